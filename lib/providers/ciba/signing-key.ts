/**
 * The private key for `private_key_jwt`: accepted as a JWK, PEM or KeyObject, checked at
 * construction, and imported into WebCrypto (what openid-client signs with) on first use. Errors
 * name the problem, never the key.
 */
import { KeyObject, createPrivateKey, webcrypto, type JsonWebKey } from 'node:crypto';
import { configError } from '../options';

export type CibaPrivateKey = JsonWebKey | KeyObject | string;

export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

export interface SigningKey {
  readonly alg: SigningAlgorithm;
  readonly kid: string | undefined;
  /** A non-extractable WebCrypto key for signing client assertions. */
  toCryptoKey(): Promise<webcrypto.CryptoKey>;
}

type ImportParams = webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;

export function toSigningKey(input: CibaPrivateKey, kid: string | undefined): SigningKey {
  const keyObject = parse(input);
  if (keyObject.type !== 'private') {
    throw cibaConfigError('privateKey must be a private key (got a public or secret key).');
  }
  const jwk = keyObject.export({ format: 'jwk' });
  const requested = isJwk(input) && typeof input.alg === 'string' ? input.alg : undefined;
  const alg = algorithmFor(jwk, requested);
  const params = importParams(alg, jwk);
  const keyId = kid ?? (isJwk(input) && typeof input.kid === 'string' ? input.kid : undefined);
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  return {
    alg,
    kid: keyId,
    toCryptoKey() {
      imported ??= webcrypto.subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, params, false, ['sign']);
      return imported;
    },
  };
}

function parse(input: CibaPrivateKey): KeyObject {
  if (input instanceof KeyObject) return input;
  try {
    if (typeof input === 'string') return createPrivateKey(input);
    if (isJwk(input)) return createPrivateKey({ key: input, format: 'jwk' });
  } catch {
    // The parser's message may quote the input: say only what was wrong.
    throw cibaConfigError('privateKey could not be read as a private key (PEM or JWK).');
  }
  throw cibaConfigError('privateKey must be a private JWK, a PEM string or a KeyObject.');
}

function isJwk(input: unknown): input is JsonWebKey {
  return typeof input === 'object' && input !== null && !(input instanceof KeyObject) && 'kty' in input;
}

const CURVE_ALGORITHMS: Readonly<Record<string, SigningAlgorithm>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
};

function algorithmFor(jwk: JsonWebKey, requested: string | undefined): SigningAlgorithm {
  if (jwk.kty === 'RSA') {
    if (requested === undefined || requested === 'RS256' || requested === 'PS256')
      return requested ?? 'RS256';
  } else if (typeof jwk.crv === 'string' && CURVE_ALGORITHMS[jwk.crv]) {
    const alg = CURVE_ALGORITHMS[jwk.crv] as SigningAlgorithm;
    if (requested === undefined || requested === alg) return alg;
  } else {
    throw cibaConfigError('privateKey must be an RSA, EC (P-256/384/521) or Ed25519 key.');
  }
  throw cibaConfigError(`privateKey "alg" ${JSON.stringify(requested)} does not fit the key type.`);
}

function importParams(alg: SigningAlgorithm, jwk: JsonWebKey): ImportParams {
  switch (alg) {
    case 'RS256':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'PS256':
      return { name: 'RSA-PSS', hash: 'SHA-256' };
    case 'EdDSA':
      return { name: 'Ed25519' };
    default:
      return { name: 'ECDSA', namedCurve: String(jwk.crv) };
  }
}

function cibaConfigError(message: string) {
  return configError('CibaProvider', message);
}

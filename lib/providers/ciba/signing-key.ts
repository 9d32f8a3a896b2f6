/**
 * The private key for `private_key_jwt`: accepted as a JWK, PEM or KeyObject, checked at
 * construction, and imported into WebCrypto (what openid-client signs with) on first use. Errors
 * name the problem, never the key.
 */
import { KeyObject, createPrivateKey, webcrypto } from 'node:crypto';
import { configError } from '../options';

/**
 * The client's private key for `private_key_jwt`: a PEM string, a JWK or a KeyObject.
 */
export type CibaPrivateKey = PrivateJwk | KeyObject | string;

/**
 * A private JSON Web Key, as `KeyObject.export({ format: 'jwk' })` returns it. Declared here rather
 * than taken from `@types/node`, where its name moved between majors (`JsonWebKey` left
 * `node:crypto` for `webcrypto.JsonWebKey` in 26), so the published types compile with any of them.
 */
export interface PrivateJwk {
  /** The key type: `RSA`, `EC` or `OKP`. */
  readonly kty?: string;
  /** The curve of an `EC` or `OKP` key (`P-256`, `Ed25519`, …). */
  readonly crv?: string;
  /** The key id, sent as the `kid` of what is signed. */
  readonly kid?: string;
  /** The algorithm the key is for (`PS256`, `ES256`, …), where the JWK names one. */
  readonly alg?: string;
  /** Private key material. */
  readonly d?: string;
  /** RSA modulus. */
  readonly n?: string;
  /** RSA public exponent. */
  readonly e?: string;
  /** RSA prime factor. */
  readonly p?: string;
  /** RSA prime factor. */
  readonly q?: string;
  /** RSA CRT exponent. */
  readonly dp?: string;
  /** RSA CRT exponent. */
  readonly dq?: string;
  /** RSA CRT coefficient. */
  readonly qi?: string;
  /** EC or OKP public x coordinate. */
  readonly x?: string;
  /** EC public y coordinate. */
  readonly y?: string;
}

/** The JWS algorithms a CIBA client key may sign request objects and client assertions with. */
export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

export interface SigningKey {
  readonly alg: SigningAlgorithm;
  readonly kid: string | undefined;
  /** A non-extractable WebCrypto key for signing client assertions. */
  toCryptoKey(): Promise<webcrypto.CryptoKey>;
}

type ImportParams = webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;

/**
 * The client's `private_key_jwt` key. The assertion's algorithm is `algorithm` when given, else the
 * JWK's `alg`, else PS256 for RSA keys when `preferPss` (FAPI) or RS256, and the curve's for EC keys.
 */
export function toSigningKey(
  input: CibaPrivateKey,
  kid: string | undefined,
  algorithm?: SigningAlgorithm,
  preferPss = false,
): SigningKey {
  const keyObject = readPrivateKey(input, 'privateKey');
  const jwk = keyObject.export({ format: 'jwk' });
  const requested = algorithm ?? (isJwk(input) && typeof input.alg === 'string' ? input.alg : undefined);
  const alg = algorithmFor(jwk, requested ?? (jwk.kty === 'RSA' && preferPss ? 'PS256' : undefined));
  const params = importParams(alg, jwk);
  const keyId = keyIdOf(input, kid);
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

/** A private key from a JWK, PEM or KeyObject; `name` is the option named in errors. */
export function readPrivateKey(input: CibaPrivateKey, name: string): KeyObject {
  const keyObject = parse(input, name);
  if (keyObject.type !== 'private') {
    throw cibaConfigError(`${name} must be a private key (got a public or secret key).`);
  }
  return keyObject;
}

/** The key's `kid`: the explicit one, else the JWK's own. */
export function keyIdOf(input: CibaPrivateKey, kid: string | undefined): string | undefined {
  return kid ?? (isJwk(input) && typeof input.kid === 'string' ? input.kid : undefined);
}

function parse(input: CibaPrivateKey, name: string): KeyObject {
  if (input instanceof KeyObject) return input;
  try {
    if (typeof input === 'string') return createPrivateKey(input);
    if (isJwk(input)) return createPrivateKey({ key: { ...input }, format: 'jwk' });
  } catch {
    // The parser's message may quote the input: say only what was wrong.
    throw cibaConfigError(`${name} could not be read as a private key (PEM or JWK).`);
  }
  throw cibaConfigError(`${name} must be a private JWK, a PEM string or a KeyObject.`);
}

function isJwk(input: unknown): input is PrivateJwk {
  return typeof input === 'object' && input !== null && !(input instanceof KeyObject) && 'kty' in input;
}

const CURVE_ALGORITHMS: Readonly<Record<string, SigningAlgorithm>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
};

function algorithmFor(jwk: PrivateJwk, requested: string | undefined): SigningAlgorithm {
  if (jwk.kty === 'RSA') {
    if (requested === undefined || requested === 'RS256' || requested === 'PS256')
      return requested ?? 'RS256';
  } else if (typeof jwk.crv === 'string' && CURVE_ALGORITHMS[jwk.crv]) {
    const alg = CURVE_ALGORITHMS[jwk.crv] as SigningAlgorithm;
    if (requested === undefined || requested === alg) return alg;
  } else {
    throw cibaConfigError('privateKey must be an RSA, EC (P-256/384/521) or Ed25519 key.');
  }
  throw cibaConfigError(
    `The client assertion algorithm ${JSON.stringify(requested)} does not fit the privateKey's type.`,
  );
}

function importParams(alg: SigningAlgorithm, jwk: PrivateJwk): ImportParams {
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

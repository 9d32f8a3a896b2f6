/**
 * Signed authentication requests (CIBA §7.1.1, FAPI-CIBA §5.2.2): the backchannel request's
 * parameters become the claims of a JWT the client signs, so the OP can trust they came from it
 * unchanged. Signed by `jose` (openid-client's own JOSE library): PS256 or ES256.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { configError } from '../options';
import { keyIdOf, readPrivateKey, type CibaPrivateKey } from './signing-key';

/**
 * The algorithms FAPI allows for request objects.
 */
export type RequestObjectAlgorithm = 'PS256' | 'ES256';

/** How long a request object is valid; FAPI-CIBA allows at most 60 minutes between nbf and exp. */
export const REQUEST_OBJECT_LIFETIME_SECONDS = 300;

/** Claims the request object carries as numbers rather than strings. */
const NUMERIC_PARAMETERS = new Set(['requested_expiry']);

/** Signs request objects for one client. Holds the private key: never log or serialise it. */
export interface RequestObjectSigner {
  readonly algorithm: RequestObjectAlgorithm;
  /** A JWT for the OP `audience` (its issuer) carrying `parameters`, iss, exp, nbf, iat and a fresh jti. */
  sign(parameters: Readonly<Record<string, string>>, audience: string, now?: Date): Promise<string>;
}

let loading: Promise<typeof Jose> | undefined;

/** jose, loaded with a real dynamic import() once per process (it is an ES module, as openid-client). */
function loadJose(): Promise<typeof Jose> {
  loading ??= import('jose').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Checks the key fits the algorithm now (at construction), so a login never finds out. */
export function createRequestObjectSigner(options: {
  algorithm: unknown;
  key: CibaPrivateKey;
  keyId: string | undefined;
  clientId: string;
}): RequestObjectSigner {
  const algorithm = options.algorithm;
  if (algorithm !== 'PS256' && algorithm !== 'ES256') {
    throw configError('CibaProvider', 'requestObject.algorithm must be "PS256" or "ES256".');
  }
  const key = readPrivateKey(options.key, 'requestObject.key');
  checkKeyType(key, algorithm);
  const kid = keyIdOf(options.key, options.keyId);
  const header = { alg: algorithm, typ: 'oauth-authz-req+jwt', ...(kid === undefined ? {} : { kid }) };
  return {
    algorithm,
    async sign(parameters, audience, now = new Date()) {
      const seconds = Math.floor(now.getTime() / 1000);
      const claims = {
        ...requestClaims(parameters),
        iss: options.clientId,
        aud: audience,
        client_id: options.clientId,
        iat: seconds,
        nbf: seconds,
        exp: seconds + REQUEST_OBJECT_LIFETIME_SECONDS,
        jti: randomUUID(),
      };
      const { SignJWT } = await loadJose();
      // The claims as they are: jose's setters would only set what is set here already.
      return new SignJWT(claims).setProtectedHeader(header).sign(key);
    },
  };
}

function requestClaims(parameters: Readonly<Record<string, string>>): Record<string, string | number> {
  // fromEntries defines own properties, so even a parameter named __proto__ stays a claim.
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [
      name,
      NUMERIC_PARAMETERS.has(name) ? Number(value) : value,
    ]),
  );
}

function checkKeyType(key: KeyObject, algorithm: RequestObjectAlgorithm): void {
  const fits =
    algorithm === 'PS256'
      ? key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!fits) {
    const needs = algorithm === 'PS256' ? 'an RSA key' : 'an EC P-256 key';
    throw configError('CibaProvider', `requestObject.key must be ${needs} for ${algorithm}.`);
  }
}

/**
 * Checks on the ID token beyond openid-client's (iss, aud, exp, iat, sub, signature): the pinned
 * signing algorithm (FAPI: PS256/ES256 only) and, when `acr_values` were requested, an `acr` among
 * them, so a weaker authentication than the one asked for is never taken as approval.
 */
import { PushError } from '../../errors';

/** What the ID token must satisfy; undefined fields are not checked. */
export interface IdTokenPolicy {
  readonly signingAlgs: readonly string[] | undefined;
  /** Space-separated `acr_values` as requested. */
  readonly acrValues: string | undefined;
}

/** Throws `invalid_response` when the ID token breaks the policy. */
export function checkIdToken(
  idToken: string | undefined,
  claims: Record<string, unknown>,
  policy: IdTokenPolicy,
): void {
  if (policy.signingAlgs !== undefined) {
    const alg = headerAlg(idToken);
    if (alg === undefined || !policy.signingAlgs.includes(alg)) {
      throw refused(
        `The ID token is signed with ${alg === undefined ? 'an unreadable algorithm' : JSON.stringify(alg)}, not ${policy.signingAlgs.join(' or ')} as configured (idTokenSigningAlg).`,
      );
    }
  }
  if (policy.acrValues !== undefined) {
    const requested = policy.acrValues.split(' ');
    const acr = claims['acr'];
    if (typeof acr !== 'string' || !requested.includes(acr)) {
      throw refused(
        `The ID token's acr ${typeof acr === 'string' ? JSON.stringify(acr) : '(none)'} is not one of the requested acr_values (${requested.join(', ')}).`,
      );
    }
  }
}

function headerAlg(jwt: string | undefined): string | undefined {
  const encoded = jwt?.split('.')[0];
  if (!encoded) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    const alg = typeof header === 'object' && header !== null ? (header as { alg?: unknown }).alg : undefined;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

function refused(message: string): PushError {
  return new PushError('protocol', message, { code: 'invalid_response' });
}

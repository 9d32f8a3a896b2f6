/**
 * OpenID CIBA meets the provider contract, against the real oidc-provider test OP (a fresh one per
 * test; ESM: run through `npm test -- test/conformance/ciba.test.ts`). Every fault kind is produced
 * by the OP's own fault queue (`op.faults`), which meets the next HTTP request: after a start that is
 * the token request a check sends; before the first start it is the discovery request a fresh
 * provider sends first (the provider offers no way to discover ahead). The OP has no drip fault,
 * and the suite asks for none.
 *
 * What the malformed answers cannot cover: an ID token validly signed by the OP but wrong in its
 * claims (another audience, expired, no `sub`). Only the OP's key makes a real signature, so the
 * answers here stop at unsigned, foreign-signed and broken tokens.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { ChallengeHandle } from '../../lib/providers/provider';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { startCibaOp, type CibaOp } from '../../lib/testing/ciba-op';
import { provider as cibaProvider } from '../integration/ciba/support';

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** ID token claims as the OP would issue them for `sub` (alice) and the client_secret_basic client. */
function claims(op: CibaOp, sub = 'alice'): object {
  const now = Math.floor(Date.now() / 1000);
  return { iss: op.issuer, aud: 'rp-basic', sub, iat: now, exp: now + 600 };
}

/** A well-formed RS256 ID token for `sub`, signed with a key the OP never published. */
function foreignSignedIdToken(op: CibaOp, sub = 'alice'): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingInput = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims(op, sub))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

const tokens = (idToken: string | undefined): string =>
  JSON.stringify({
    access_token: 'at',
    token_type: 'Bearer',
    expires_in: 600,
    ...(idToken === undefined ? {} : { id_token: idToken }),
  });

/** Well-framed token endpoint answers (HTTP 200, JSON) that must never log anyone in. */
const malformed: Record<string, (op: CibaOp) => string> = {
  'not JSON': () => '<html>Bad gateway</html>',
  'a JSON array': () => '[]',
  'an empty object': () => '{}',
  'tokens without an ID token': () => tokens(undefined),
  'an ID token that is not a JWT': () => tokens('not-a-jwt'),
  'an unsigned ID token (alg none)': (op) =>
    tokens(`${part({ alg: 'none', typ: 'JWT' })}.${part(claims(op))}.`),
  'an ID token signed with a foreign key': (op) => tokens(foreignSignedIdToken(op)),
};

/** The handle's `auth_req_id`: the phone's id for the request. */
const authReqIdOf = (handle: ChallengeHandle): string => String(handle['authReqId']);

providerConformance('CibaProvider', async (): Promise<ConformanceTarget> => {
  const op = await startCibaOp();
  const options = op.providerOptions('client_secret_basic');
  const provider = cibaProvider(op);
  return {
    provider,
    userId: 'alice',
    phone: {
      approve: async ({ handle }) => {
        if (!(await op.phone.approveNow(authReqIdOf(handle))))
          throw new Error('the phone has no such request');
      },
      deny: async ({ handle }) => void (await op.phone.denyNow(authReqIdOf(handle))),
      expire: async ({ handle }) => void (await op.phone.expireNow(authReqIdOf(handle))),
    },
    inject(fault) {
      switch (fault.kind) {
        case 'status':
          return op.faults.inject({ kind: 'status', status: fault.status }, 1);
        case 'reset':
          return op.faults.inject({ kind: 'reset' }, 1);
        case 'hang':
          return op.faults.inject({ kind: 'delay', ms: 60_000 }, 1);
        case 'malformed':
          return op.faults.inject({ kind: 'body', body: malformed[fault.name]?.(op) ?? '' }, 1);
        case 'empty':
          return op.faults.inject({ kind: 'body', body: '' }, 1);
        case 'truncate':
          return op.faults.inject({ kind: 'truncate' }, 1);
        case 'foreign':
          // Only the OP's key signs a real ID token: the forgery naming mallory carries a foreign signature.
          if (fault.about === 'user') {
            return op.faults.inject({ kind: 'body', body: tokens(foreignSignedIdToken(op, 'mallory')) }, 1);
          }
          throw new Error('A CIBA token answer cannot name another request (see inexpressible).');
      }
    },
    malformedAnswers: Object.keys(malformed),
    inexpressible: {
      request:
        'a token answer names no auth_req_id: the authenticated token request for this auth_req_id alone binds it',
    },
    secrets: options.clientSecret === undefined ? [] : [options.clientSecret],
    close: () => op.close(),
  };
});

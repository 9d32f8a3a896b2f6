/** The request object signer: what it signs, that the signature verifies, and that tampering shows. */
import { constants, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import {
  REQUEST_OBJECT_LIFETIME_SECONDS,
  createRequestObjectSigner,
  type RequestObjectAlgorithm,
} from '../../../lib/providers/ciba/request-object';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keys: Record<RequestObjectAlgorithm, { privateKey: KeyObject; publicKey: KeyObject }> = {
  PS256: rsa,
  ES256: ec,
};

/** An independent check: JOSE's PS256 (PSS, salt = digest length) and ES256 (raw r||s). */
function verifies(jwt: string, algorithm: RequestObjectAlgorithm): boolean {
  const [header, payload, signature] = jwt.split('.');
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature ?? '', 'base64url');
  const key = keys[algorithm].publicKey;
  return algorithm === 'ES256'
    ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    : verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
}

const RESERVED = new Set(['iss', 'aud', 'client_id', 'iat', 'nbf', 'exp', 'jti', 'requested_expiry']);

const part = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

describe.each(['PS256', 'ES256'] as const)('%s', (algorithm) => {
  const signer = createRequestObjectSigner({
    algorithm,
    key: keys[algorithm].privateKey,
    keyId: 'k1',
    clientId: 'rp',
  });
  const now = new Date('2026-01-02T03:04:05Z');
  const seconds = Math.floor(now.getTime() / 1000);

  test('carries the CIBA parameters and the JWT claims FAPI-CIBA requires, and verifies', async () => {
    const jwt = await signer.sign(
      { scope: 'openid', login_hint: 'alice', binding_message: 'K7Q2X', requested_expiry: '120' },
      'https://bank.example',
      now,
    );
    expect(part(jwt, 0)).toEqual({ alg: algorithm, typ: 'oauth-authz-req+jwt', kid: 'k1' });
    expect(part(jwt, 1)).toEqual({
      scope: 'openid',
      login_hint: 'alice',
      binding_message: 'K7Q2X',
      requested_expiry: 120,
      iss: 'rp',
      aud: 'https://bank.example',
      client_id: 'rp',
      iat: seconds,
      nbf: seconds,
      exp: seconds + REQUEST_OBJECT_LIFETIME_SECONDS,
      jti: expect.any(String),
    });
    expect(REQUEST_OBJECT_LIFETIME_SECONDS).toBeLessThanOrEqual(3600);
    expect(verifies(jwt, algorithm)).toBe(true);
  });

  test('every request object has a fresh jti', async () => {
    const a = part(await signer.sign({ scope: 'openid' }, 'https://bank.example'), 1);
    const b = part(await signer.sign({ scope: 'openid' }, 'https://bank.example'), 1);
    expect(a['jti']).not.toBe(b['jti']);
  });

  test('a changed claim or header no longer verifies', async () => {
    const jwt = await signer.sign({ scope: 'openid', login_hint: 'alice' }, 'https://bank.example');
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const otherUser = Buffer.from(JSON.stringify({ ...part(jwt, 1), login_hint: 'bob' })).toString(
      'base64url',
    );
    const otherHeader = Buffer.from(JSON.stringify({ ...part(jwt, 0), kid: 'k2' })).toString('base64url');
    expect(verifies(`${header}.${otherUser}.${signature}`, algorithm)).toBe(false);
    expect(verifies(`${otherHeader}.${payload}.${signature}`, algorithm)).toBe(false);
  });

  test('a parameter named __proto__ is a claim like any other, not a prototype', async () => {
    const parameters = JSON.parse('{"__proto__":"x","scope":"openid"}') as Record<string, string>;
    const claims = part(await signer.sign(parameters, 'https://bank.example'), 1);
    expect(Object.prototype.hasOwnProperty.call(claims, '__proto__')).toBe(true);
    expect(claims).toMatchObject(parameters);
  });

  test('any parameter values round-trip into verifiable claims (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), async (parameters) => {
        // The JWT's own claims win over parameters of the same name; requested_expiry is a number.
        const rest = Object.fromEntries(Object.entries(parameters).filter(([name]) => !RESERVED.has(name)));
        const jwt = await signer.sign(rest, 'https://bank.example');
        expect(part(jwt, 1)).toMatchObject(rest);
        expect(verifies(jwt, algorithm)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

/**
 * Fail closed: a token response is approval only with a valid ID token. The OP's real token
 * response is swapped for forged ones (the fault answers 200 with the given body).
 */
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { provider, signal, startOnPhone } from './support';

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp();
});
afterEach(() => op.faults.clear());
afterAll(() => op.close());

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function forgedIdToken(
  claims: Record<string, unknown> = {},
  header: object = { alg: 'RS256', kid: 'op-1' },
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: op.issuer, sub: 'alice', aud: 'rp-basic', iat: now, exp: now + 600, ...claims };
  return `${b64(header)}.${b64(payload)}.${Buffer.from('not a signature').toString('base64url')}`;
}

function tokenResponse(fields: Record<string, unknown>): string {
  return JSON.stringify({ access_token: 'forged', token_type: 'Bearer', expires_in: 600, ...fields });
}

async function checkWithTokenBody(body: string, options = {}) {
  const ciba = provider(op, options);
  const { started } = await startOnPhone(op, ciba);
  op.faults.inject({ kind: 'body', body }, 1);
  return ciba.check(started.handle, signal());
}

test('tokens without an ID token are not approval', async () => {
  await expect(checkWithTokenBody(tokenResponse({}))).rejects.toMatchObject({
    kind: 'protocol',
    code: 'invalid_response',
    retryable: false,
  });
});

test('an ID token with a wrong signature is refused', async () => {
  await expect(checkWithTokenBody(tokenResponse({ id_token: forgedIdToken() }))).rejects.toMatchObject({
    kind: 'protocol',
    code: 'invalid_response',
    retryable: false,
  });
});

test('control: the same forged token passes only when signature checks are turned off', async () => {
  const body = tokenResponse({ id_token: forgedIdToken() });
  await expect(checkWithTokenBody(body, { verifyIdTokenSignature: false })).resolves.toMatchObject({
    state: 'approved',
  });
});

test.each([
  ['another audience', { aud: 'someone-else' }],
  ['another issuer', { iss: 'https://evil.example' }],
  ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600 }],
  ['no subject', { sub: undefined }],
])('claims are checked even without signature checks: %s', async (_name, claims) => {
  const body = tokenResponse({ id_token: forgedIdToken(claims) });
  await expect(checkWithTokenBody(body, { verifyIdTokenSignature: false })).rejects.toMatchObject({
    kind: 'protocol',
    retryable: false,
  });
});

test('an unsigned (alg none) ID token is refused', async () => {
  const body = tokenResponse({ id_token: forgedIdToken({}, { alg: 'none' }) });
  await expect(checkWithTokenBody(body, { verifyIdTokenSignature: false })).rejects.toMatchObject({
    kind: 'protocol',
  });
});

test.each([
  ['not JSON', 'approved'],
  ['a JSON array', '[]'],
  ['no access token', JSON.stringify({ token_type: 'Bearer', id_token: 'x' })],
])('a malformed token response (%s) is never approval', async (_name, body) => {
  await expect(checkWithTokenBody(body)).rejects.toMatchObject({ kind: 'protocol', retryable: false });
});

test('checks that arrive together before the keys are known fetch the JWKS once', async () => {
  // A morning surge: many logins approved in the same moment, each check the first to need the
  // OP's keys. One fetch serves them all; the bench's surge saw up to 132 per instance before.
  const ciba = provider(op);
  const logins = await Promise.all(
    ['alice', 'alice', 'alice', 'alice', 'alice', 'alice'].map(() => startOnPhone(op, ciba)),
  );
  for (const { request } of logins) op.phone.approve(request.id);
  await op.phone.settled();
  const before = op.calls['jwks'] ?? 0;
  const statuses = await Promise.all(logins.map(({ started }) => ciba.check(started.handle, signal())));
  expect(statuses.map((status) => status.state)).toEqual(logins.map(() => 'approved'));
  expect((op.calls['jwks'] ?? 0) - before).toBe(1);
});

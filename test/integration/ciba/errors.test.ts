/** CibaProvider against a real oidc-provider: refusals, intervals, transport faults, credentials. */
import { PushError } from '../../../lib/errors';
import { CibaProvider } from '../../../lib/providers/ciba';
import type { StartedChallenge } from '../../../lib/providers/provider';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { everything, provider, signal, startOnPhone } from './support';

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp({ users: { alice: {}, carol: { userCode: '2468' } } });
});
afterEach(() => op.faults.clear());
afterAll(() => op.close());

async function startError(ciba: CibaProvider, userId = 'alice'): Promise<PushError> {
  const error: unknown = await ciba.start({ userId }, signal()).then(
    () => new Error('start succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof PushError)) throw error;
  return error;
}

test('unknown user: an input error with code unknown_user and the OAuth code as providerCode', async () => {
  const error = await startError(provider(op), 'mallory');
  expect(error).toMatchObject({
    kind: 'input',
    code: 'unknown_user',
    retryable: false,
    details: { providerCode: 'unknown_user_id' },
  });
  expect(error.message).toMatch(/does not know this user/);
  expect(op.phone.pending('mallory')).toEqual([]);
});

test('bad binding message: a provider error with providerCode invalid_binding_message', async () => {
  const ciba = provider(op, { bindingMessage: () => 'a binding message far too long for the OP' });
  const error = await startError(ciba);
  expect(error).toMatchObject({
    kind: 'provider',
    code: 'provider_error',
    retryable: false,
    details: { providerCode: 'invalid_binding_message' },
  });
  expect(error.message).toMatch(/binding message/);
});

test('a custom binding message reaches the phone; false sends none', async () => {
  const custom = await startOnPhone(op, provider(op, { bindingMessage: (r) => `HI-${r.userId}` }));
  expect(custom.started.display.bindingMessage).toBe('HI-alice');
  expect(custom.request.bindingMessage).toBe('HI-alice');

  const none = await startOnPhone(op, provider(op, { bindingMessage: false }));
  expect(none.started.display).toEqual({});
  expect(none.request.bindingMessage).toBeUndefined();
});

test('loginHintFrom maps the typed ID to the login_hint', async () => {
  const ciba = provider(op, { loginHintFrom: (id) => id.toLowerCase() });
  const started = await ciba.start({ userId: 'ALICE' }, signal());
  const request = op.phone.pending('alice').find((r) => r.id === started.handle.authReqId);
  expect(request?.userId).toBe('alice');
  expect(await startError(provider(op), 'ALICE')).toMatchObject({ code: 'unknown_user' });
});

test('user_code: required by the OP for carol, refused when missing or wrong, accepted when right', async () => {
  expect(await startError(provider(op), 'carol')).toMatchObject({
    kind: 'input',
    details: { providerCode: 'missing_user_code' },
  });
  expect(await startError(provider(op, { userCode: () => '1111' }), 'carol')).toMatchObject({
    details: { providerCode: 'invalid_user_code' },
  });
  const { request } = await startOnPhone(op, provider(op, { userCode: () => '2468' }), 'carol');
  expect(request.userId).toBe('carol');
});

test('slow_down widens the interval by 5 s for this and every later pending answer', async () => {
  const ciba = provider(op);
  const { started } = await startOnPhone(op, ciba);
  op.injectSlowDown(1);
  await expect(ciba.check(started.handle, signal())).resolves.toEqual({
    state: 'pending',
    retryAfterMs: 10_000,
  });
  // The OP is back to authorization_pending, but the interval stays widened.
  await expect(ciba.check(started.handle, signal())).resolves.toEqual({
    state: 'pending',
    retryAfterMs: 10_000,
  });
  op.injectSlowDown(1);
  await expect(ciba.check(started.handle, signal())).resolves.toEqual({
    state: 'pending',
    retryAfterMs: 15_000,
  });
  // Another challenge is not affected.
  const other = await startOnPhone(op, ciba);
  await expect(ciba.check(other.started.handle, signal())).resolves.toEqual({ state: 'pending' });
});

test('Retry-After on a pending answer is honoured', async () => {
  const ciba = provider(op);
  const { started } = await startOnPhone(op, ciba);
  op.injectTokenError('authorization_pending', { retryAfterSeconds: 30 });
  await expect(ciba.check(started.handle, signal())).resolves.toEqual({
    state: 'pending',
    retryAfterMs: 30_000,
  });
});

test('a 503 from the token endpoint is retryable and the challenge survives it', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba);
  op.faults.inject({ kind: 'status', status: 503, body: 'maintenance' }, 1);
  await expect(ciba.check(started.handle, signal())).rejects.toMatchObject({
    kind: 'protocol',
    code: 'http_status',
    retryable: true,
  });
  await op.phone.approveNow(request.id);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'approved' });
});

test('a reset connection and a timeout are retryable transport errors', async () => {
  // The start, and every other healthy call, under the generous default timeout: a busy machine
  // must not turn them into the timeout this test is about.
  const ciba = provider(op);
  const { started } = await startOnPhone(op, ciba);
  op.faults.inject({ kind: 'reset' }, 1);
  await expect(ciba.check(started.handle, signal())).rejects.toMatchObject({
    kind: 'protocol',
    retryable: true,
  });
  const hasty = provider(op, { timeoutMs: 200 });
  await pendingOnceAnswered(hasty, started.handle);
  // An answer that never comes: the provider's own timeout is the check's only ending.
  op.faults.inject({ kind: 'delay', ms: 600_000 }, 1);
  await expect(hasty.check(started.handle, signal())).rejects.toMatchObject({
    code: 'timeout',
    retryable: true,
  });
});

/**
 * Checks until one answers (pending), so `ciba` has its discovery done: with a short timeout, a
 * healthy call may run out of time on a busy machine, and only those are tried again.
 */
async function pendingOnceAnswered(ciba: CibaProvider, handle: StartedChallenge['handle']): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const answer = await ciba.check(handle, signal()).catch((error: unknown) => {
      if (attempt < 50 && error instanceof PushError && error.code === 'timeout') return undefined;
      throw error;
    });
    if (answer !== undefined) return void expect(answer).toEqual({ state: 'pending' });
  }
}

test("the caller's signal aborts a check", async () => {
  const ciba = provider(op);
  const { started } = await startOnPhone(op, ciba);
  op.faults.inject({ kind: 'delay', ms: 1000 }, 1);
  await expect(ciba.check(started.handle, AbortSignal.timeout(100))).rejects.toMatchObject({
    code: 'aborted',
    retryable: true,
  });
});

test('a server error at start is retryable; an OAuth error at start is not', async () => {
  const ciba = provider(op);
  await ciba.start({ userId: 'alice' }, signal()); // discovery done
  op.faults.inject({ kind: 'status', status: 502 }, 1);
  expect(await startError(ciba)).toMatchObject({ kind: 'protocol', code: 'http_status', retryable: true });
});

test('a failed discovery is not cached: the next start discovers again', async () => {
  const ciba = provider(op);
  const before = op.calls.discovery ?? 0;
  op.faults.inject({ kind: 'status', status: 500 }, 1);
  expect(await startError(ciba)).toMatchObject({ code: 'http_status', retryable: true });
  await expect(startOnPhone(op, ciba)).resolves.toBeDefined();
  expect((op.calls.discovery ?? 0) - before).toBe(2);
});

test.each(['client_secret_basic', 'client_secret_post'] as const)(
  'wrong client secret (%s): invalid_client, and the secret appears nowhere in the error',
  async (method) => {
    const secret = 'wrong-secret-0123456789-abcdefghijklmnop';
    const error = await startError(provider(op, { clientSecret: secret }, method));
    expect(error).toMatchObject({
      kind: 'provider',
      code: 'unauthorized',
      retryable: false,
      details: { providerCode: 'invalid_client' },
    });
    expect(error.message).toMatch(/client credentials/);
    expect(everything(error)).not.toContain(secret);
  },
);

test('private_key_jwt client: approve works', async () => {
  const ciba = provider(op, {}, 'private_key_jwt');
  const { started, request } = await startOnPhone(op, ciba);
  await op.phone.approveNow(request.id);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
    state: 'approved',
    subject: 'alice',
    claims: { aud: 'rp-jwt' },
  });
});

test('client_secret_post client: approve works', async () => {
  const ciba = provider(op, {}, 'client_secret_post');
  const { started, request } = await startOnPhone(op, ciba);
  await op.phone.approveNow(request.id);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'approved' });
});

test('the provider instance never shows its credentials', () => {
  const { clientSecret } = op.providerOptions('client_secret_post');
  const ciba = provider(op, {}, 'client_secret_post');
  expect(everything(ciba)).not.toContain(clientSecret);
  const jwt = provider(op, {}, 'private_key_jwt');
  const { privateKey } = op.providerOptions('private_key_jwt');
  expect(everything(jwt)).not.toContain((privateKey as { d: string }).d);
});

test('a non-https issuer is refused without allowInsecureHttp', () => {
  const options = { ...op.providerOptions(), allowInsecureHttp: false };
  expect(() => new CibaProvider(options)).toThrow(expect.objectContaining({ kind: 'config' }));
  expect(() => new CibaProvider(options)).toThrow(/must use https/);
});

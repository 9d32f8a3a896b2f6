import { generateKeyPairSync, verify, constants } from 'node:crypto';
import { PushError } from '../../../lib/errors';
import type { ChallengeHandle, ChallengeStatus } from '../../../lib/providers/provider';
import { Authentiq8Provider } from '../../../lib/providers/authentiq8/provider';
import { CLIENT_ID, PRIVATE_KEY_PEM, PUBLIC_KEY_PEM, signal, startPair, type Pair } from './setup';

let pair: Pair;
afterEach(() => pair.simulator.close());

async function pushError(promise: Promise<unknown>): Promise<PushError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a PushError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PushError);
  return error as PushError;
}

/** Starts a login for alice and returns its handle and the phone's request id. */
async function startAlice(): Promise<{ handle: ChallengeHandle; phoneId: string }> {
  const started = await pair.provider.start({ userId: 'alice', clientIp: '203.0.113.7' }, signal());
  const [request] = pair.simulator.phone.pending('alice');
  if (!request) throw new Error('no pending request on the phone');
  return { handle: started.handle, phoneId: request.id };
}

describe('Authentiq8Provider ↔ simulator: the login', () => {
  beforeEach(async () => {
    pair = await startPair();
  });

  it('approve: pending, then approved with the subject; signed, correlated requests on the wire', async () => {
    const started = await pair.provider.start(
      { userId: 'alice', clientIp: '203.0.113.7', serviceName: 'Example Shop' },
      signal(),
    );
    expect(pair.simulator.calls).toEqual({ authenticate: 1 });
    expect(Object.keys(started.handle).sort()).toEqual(['authId', 'clientIp', 'userId']);
    expect(JSON.stringify(started.handle).length).toBeLessThan(200);
    expect(started.expiresAt).toBe(pair.clock.now() + 60_000);
    expect(started.pollIntervalMs).toBe(1500);
    const [request] = pair.simulator.phone.pending('alice');
    expect(request).toMatchObject({
      userId: 'alice',
      bindingMessage: 'Sign in to Example Shop',
      fetched: false,
    });

    expect(await pair.provider.check(started.handle, signal())).toEqual({
      state: 'pending',
      retryAfterMs: 1500,
    });

    // The exact bytes on the wire carry a valid signature and the guide's headers.
    const last = pair.simulator.lastRequest;
    expect(last?.method).toBe('POST');
    expect(last?.path).toBe('/index.php');
    expect(JSON.parse(last?.body.toString() ?? '')).toEqual({
      txn_type: 'get-user-status',
      user_id: 'alice',
      auth_id: started.handle['authId'],
    });
    expect(last?.headers['content-type']).toBe('application/json');
    expect(last?.headers['clientid']).toBe(CLIENT_ID);
    expect(last?.headers['clientip']).toBe('203.0.113.7');
    expect(last?.headers['transactionid']).toMatch(/^[0-9a-f-]{36}$/);
    const signature = String(last?.headers['digitalsignature']);
    expect(signature).toMatch(/^[0-9a-f]{512}$/);
    expect(
      verify(
        'sha256',
        last?.body ?? Buffer.alloc(0),
        { key: PUBLIC_KEY_PEM, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(signature, 'hex'),
      ),
    ).toBe(true);

    pair.simulator.phone.fetch(request?.id ?? '');
    expect(pair.simulator.phone.approve(request?.id ?? '')).toBe(true);
    pair.clock.advance(1500);
    const approved = await pair.provider.check(started.handle, signal());
    expect(approved).toEqual({
      state: 'approved',
      subject: 'alice',
      claims: { userEchoed: true, approvedAt: new Date(pair.clock.now() - 1500).toISOString() },
    });
  });

  it('every request has its own TransactionID', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      await pair.provider.client.ping('World', { signal: signal() });
      ids.add(String(pair.simulator.lastRequest?.headers['transactionid']));
    }
    expect(ids.size).toBe(3);
  });

  it('decline → denied', async () => {
    const { handle, phoneId } = await startAlice();
    pair.simulator.phone.deny(phoneId);
    expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'denied' });
  });

  it('expire on the phone → expired; and the lifetime runs out by the clock', async () => {
    const first = await startAlice();
    pair.simulator.phone.expire(first.phoneId);
    expect(await pair.provider.check(first.handle, signal())).toMatchObject({ state: 'expired' });

    const second = await startAlice();
    pair.clock.advance(60_000);
    expect(await pair.provider.check(second.handle, signal())).toMatchObject({ state: 'expired' });
    expect(pair.simulator.phone.approve(second.phoneId)).toBe(false);
  });

  it('disconnect-user while pending → cancelled', async () => {
    const { handle } = await startAlice();
    await pair.provider.enrolment.disconnect('alice', { signal: signal() });
    expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'cancelled' });
  });

  it('unknown user: 1044, with and without the pre-flight', async () => {
    const checked = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      preflightDevices: true,
    });
    const error = await pushError(checked.start({ userId: 'mallory' }, signal()));
    expect(error).toMatchObject({ kind: 'input', code: 'unknown_user', retryable: false });
    expect(error.message).toMatch(/does not know this user/);
    const direct = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      preflightDevices: false,
    });
    expect(await pushError(direct.start({ userId: 'mallory' }, signal()))).toMatchObject({
      code: 'unknown_user',
    });
    expect(pair.simulator.calls['authenticate']).toBe(1);
  });

  it('no device: the pre-flight fails fast without pushing; without it the API answers 1050', async () => {
    pair.simulator.addUser('bob', { linked: false });
    const checked = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      preflightDevices: true,
    });
    const error = await pushError(checked.start({ userId: 'bob' }, signal()));
    expect(error).toMatchObject({ kind: 'input', code: 'no_device' });
    expect(error.message).toMatch(/no connected devices/);
    expect(pair.simulator.calls['authenticate']).toBeUndefined();

    const direct = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      preflightDevices: false,
    });
    expect(await pushError(direct.start({ userId: 'bob' }, signal()))).toMatchObject({ code: 'no_device' });
    expect(pair.simulator.answers['1050']).toBe(1);
  });

  it('no credit: 1051, nothing pushed', async () => {
    pair.simulator.setCredits(0);
    const error = await pushError(pair.provider.start({ userId: 'alice' }, signal()));
    expect(error).toMatchObject({ kind: 'provider', code: 'provider_error', retryable: false });
    expect(error.message).toMatch(/insufficient credit/);
    expect(pair.simulator.phone.pending()).toHaveLength(0);
  });

  it('each authenticate costs one credit, as get-credits reports', async () => {
    const before = (await pair.provider.client.getCredits({ signal: signal() })).credits;
    await startAlice();
    expect((await pair.provider.client.getCredits({ signal: signal() })).credits).toBe(before - 1);
  });

  it('ping answers as in the guide', async () => {
    expect((await pair.provider.client.ping('World', { signal: signal() })).message).toBe('Hello World');
  });
});

describe('Authentiq8Provider ↔ simulator: keys and replay', () => {
  it('wrong key: the simulator holds another public key → 1004, a clear configuration hint', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    pair = await startPair({ simulator: { clients: [{ clientId: CLIENT_ID, publicKey: other }] } });
    const error = await pushError(pair.provider.start({ userId: 'alice' }, signal()));
    expect(error).toMatchObject({ kind: 'provider', code: 'unauthorized', retryable: false });
    expect(error.message).toMatch(/public key registered in the portal matches privateKey/);
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(pair.simulator.phone.pending()).toHaveLength(0);
  });

  it('unknown client id → 1004', async () => {
    pair = await startPair({ provider: { clientId: 'someone-else' } });
    expect(await pushError(pair.provider.client.ping('x', { signal: signal() }))).toMatchObject({
      code: 'unauthorized',
    });
  });

  it('a replayed TransactionID is refused (9998), by the provider path and byte for byte', async () => {
    pair = await startPair({ provider: { newTransactionId: () => 'always-the-same' } });
    await pair.provider.client.ping('World', { signal: signal() });
    const replay = await pushError(pair.provider.client.ping('World', { signal: signal() }));
    expect(replay).toMatchObject({ kind: 'provider', code: 'provider_error' });

    // An eavesdropper resending the exact signed request gets nothing either.
    const fresh = await startPair();
    try {
      await fresh.provider.client.ping('World', { signal: signal() });
      const captured = fresh.simulator.lastRequest;
      const headers = Object.fromEntries(
        ['content-type', 'clientid', 'transactionid', 'clientip', 'digitalsignature'].map((name) => [
          name,
          String(captured?.headers[name]),
        ]),
      );
      const again = await fetch(fresh.simulator.url, {
        method: 'POST',
        headers,
        body: new Uint8Array(captured?.body ?? Buffer.alloc(0)),
      });
      expect(await again.json()).toMatchObject({
        rsp_code: '9998',
        transaction_id: headers['transactionid'],
      });
    } finally {
      await fresh.simulator.close();
    }
  });

  it('a tampered body fails the signature check (1004)', async () => {
    pair = await startPair();
    await pair.provider.client.ping('World', { signal: signal() });
    const captured = pair.simulator.lastRequest;
    const headers = Object.fromEntries(
      ['content-type', 'clientid', 'clientip', 'digitalsignature'].map((name) => [
        name,
        String(captured?.headers[name]),
      ]),
    );
    headers['transactionid'] = 'new-id';
    const body = Buffer.from(String(captured?.body).replace('World', 'Earth'));
    const answer = await fetch(pair.simulator.url, { method: 'POST', headers, body });
    expect(await answer.json()).toMatchObject({ rsp_code: '1004' });
  });
});

describe('Authentiq8Provider ↔ simulator: polling at most once per second per user', () => {
  beforeEach(async () => {
    pair = await startPair({ provider: { pollIntervalMs: 10 } });
  });

  it('a browser polling every 100 ms for 10 s reaches the API 10 times, never too early', async () => {
    const { handle } = await startAlice();
    const states: ChallengeStatus[] = [];
    for (let i = 0; i < 100; i += 1) {
      states.push(await pair.provider.check(handle, signal()));
      pair.clock.advance(100);
    }
    expect(pair.simulator.calls['get-user-status']).toBe(10);
    expect(pair.simulator.answers['1009']).toBeUndefined();
    expect(states.every((s) => s.state === 'pending')).toBe(true);
    expect(states[1]).toEqual({ state: 'pending', retryAfterMs: 900 });
  });

  it('concurrent checks at one instant reach the API once; other users are not held back', async () => {
    const { handle } = await startAlice();
    pair.simulator.addUser('bob');
    const bob = await pair.provider.start({ userId: 'bob' }, signal());
    await Promise.all([1, 2, 3, 4, 5].map(() => pair.provider.check(handle, signal())));
    await pair.provider.check(bob.handle, signal());
    expect(pair.simulator.calls['get-user-status']).toBe(2);
  });

  it('link-status checks share the per-user budget with login checks', async () => {
    const { handle } = await startAlice();
    await pair.provider.check(handle, signal());
    expect(await pair.provider.enrolment.status('alice', { signal: signal() })).toEqual({
      state: 'unknown',
      retryAfterMs: 1000,
    });
    expect(pair.simulator.calls['get-user-status']).toBe(1);
  });

  it("the API's own 1009 (another instance polled first) is a retryable rate limit with its code", async () => {
    const { handle } = await startAlice();
    const twin = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      now: pair.clock.now,
    });
    await pair.provider.check(handle, signal());
    expect(await pushError(twin.check(handle, signal()))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 1,
      details: { providerCode: '1009' },
    });
    expect(pair.simulator.answers['1009']).toBe(1);
  });
});

describe('Authentiq8Provider ↔ simulator: faults never approve', () => {
  let nextTid = 0;
  const tid = (): string => `tid-${(nextTid += 1)}`;

  beforeEach(async () => {
    // The setup's generous timeout: only the timeout case below is about one (issue 23, finding 8).
    pair = await startPair({ provider: { newTransactionId: tid } });
  });

  /** Alice has approved on the phone; the next check meets `inject`, then all is well again. */
  async function approvedBehindFault(inject: () => void): Promise<{ error: PushError }> {
    const { handle, phoneId } = await startAlice();
    pair.simulator.phone.approve(phoneId);
    inject();
    const error = await pushError(pair.provider.check(handle, signal()));
    pair.simulator.faults.clear();
    pair.clock.advance(1500);
    // The record survives a transient fault: the approval is still there on the next poll.
    if (error.retryable)
      expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'approved' });
    return { error };
  }

  it('HTML 500 → retryable protocol error', async () => {
    const { error } = await approvedBehindFault(() =>
      pair.simulator.faults.inject(
        { kind: 'status', status: 500, body: '<h1>Internal Server Error</h1>' },
        1,
      ),
    );
    expect(error).toMatchObject({ kind: 'protocol', code: 'http_status', retryable: true });
  });

  it('garbage with HTTP 200 → malformed, not approval', async () => {
    const { error } = await approvedBehindFault(() =>
      pair.simulator.faults.inject({ kind: 'body', body: 'status=approved' }, 1),
    );
    expect(error).toMatchObject({ kind: 'protocol', code: 'invalid_response' });
  });

  it('timeout → retryable', async () => {
    const { handle, phoneId } = await startAlice();
    pair.simulator.phone.approve(phoneId);
    // Only this check has a short timeout, and its answer never comes: timeout is its only ending.
    const hasty = new Authentiq8Provider({
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY_PEM,
      endpoint: pair.simulator.url,
      allowInsecureHttp: true,
      timeoutMs: 300,
      newTransactionId: tid,
      now: pair.clock.now,
    });
    pair.simulator.faults.inject({ kind: 'delay', ms: 600_000 }, 1);
    const error = await pushError(hasty.check(handle, signal()));
    expect(error).toMatchObject({ kind: 'protocol', code: 'timeout', retryable: true });
    pair.clock.advance(1500);
    // The record survives the timeout: the approval is still there on the next poll.
    expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'approved' });
  });

  it('connection reset → retryable', async () => {
    const { error } = await approvedBehindFault(() => pair.simulator.faults.inject({ kind: 'reset' }, 1));
    expect(error).toMatchObject({ kind: 'protocol', retryable: true });
  });

  /** A well-formed JSON answer to the next check, with the transaction id the provider will send. */
  const forgedAnswer = (fields: Record<string, string>) => () =>
    pair.simulator.faults.inject(
      { kind: 'body', body: JSON.stringify({ transaction_id: `tid-${nextTid + 1}`, ...fields }) },
      1,
    );

  it.each([
    [
      'system error 9997 → retryable provider error',
      { rsp_code: '9997' },
      { kind: 'provider', code: 'provider_error', retryable: true },
    ],
    [
      "someone else's transaction_id, even saying approved → protocol error",
      { rsp_code: '0000', transaction_id: 'tid-999', status: 'approved', user_id: 'alice' },
      { kind: 'protocol', code: 'transaction_mismatch' },
    ],
    [
      'an approval naming another user → protocol error',
      { rsp_code: '0000', status: 'approved', user_id: 'mallory' },
      { kind: 'protocol', code: 'subject_mismatch' },
    ],
    [
      'an approval that does not name the user → refused (fail closed)',
      { rsp_code: '0000', status: 'approved', user_id: 'alice', auth_id: 'auth-other' },
      { code: 'transaction_mismatch' },
    ],
    [
      'an unknown status value → malformed',
      { rsp_code: '0000', status: 'authenticated' },
      { kind: 'protocol', code: 'invalid_response' },
    ],
  ])('%s', async (_name, fields, expected) => {
    const { error } = await approvedBehindFault(forgedAnswer(fields));
    expect(error).toMatchObject(expected);
  });

  it('an oversized answer → refused', async () => {
    const { error } = await approvedBehindFault(() =>
      pair.simulator.faults.inject({ kind: 'huge', bytes: 300_000 }, 1),
    );
    expect(error).toMatchObject({ kind: 'protocol', code: 'too_large' });
  });
});

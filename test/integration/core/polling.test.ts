import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';
import { manualClock as clock } from '../../helpers/clock';

const json = { Accept: 'application/json' };

describe('polling', () => {
  test('polls inside the interval are answered locally: the provider is not called', async () => {
    const time = clock();
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 3000, now: time.now },
    });
    for (let i = 0; i < 5; i++) {
      const answer = await agent.get('/auth/push/status').set(json).expect(202);
      expect(answer.body.retryAfterMs).toBe(3000);
      expect(answer.headers['retry-after']).toBe('3');
    }
    expect(provider.calls.check).toBe(0);

    time.advance(3000);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);
  });

  test('a status answer is JSON no cache keeps: no-store, no ETag, and markup characters escaped', async () => {
    const time = clock();
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 1000, now: time.now },
    });
    time.advance(1000);
    provider.answer('pending', { message: { key: 'hint', text: '<script>alert(1)</script> & more' } });
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['etag']).toBeUndefined();
    expect(answer.text).not.toMatch(/[<>&]/);
    expect(answer.body.providerMessage).toEqual({ key: 'hint', text: '<script>alert(1)</script> & more' });
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
  });

  test("a JSON client with a browser library's Accept header (axios: application/json, text/plain, */*) gets JSON", async () => {
    const { agent } = await startedLogin({ provider: new ScriptedProvider() });
    const answer = await agent.get('/auth/push/status').set('Accept', 'application/json, text/plain, */*');
    expect(answer.status).toBe(202);
    expect(answer.body.state).toBe('pending');
  });

  test('a JSON answer with nothing to wait for carries no Retry-After', async () => {
    const { agent } = await startedLogin({ provider: new ScriptedProvider() });
    await agent.post('/auth/push/cancel').set(json).expect(200);
    const none = await agent.get('/auth/push/status').set(json).expect(404);
    expect(none.headers['retry-after']).toBeUndefined();
  });

  test('a HEAD status request gets the headers of the answer and no body', async () => {
    const { agent } = await startedLogin({ provider: new ScriptedProvider() });
    const answer = await agent.head('/auth/push/status').set(json).expect(202);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.text ?? '').toBe('');
  });

  test("the provider's own interval wins when it is longer, and slow_down widens it", async () => {
    const time = clock();
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider({ pollIntervalMs: 5000 }),
      strategy: { pollIntervalMs: 1000, now: time.now },
    });
    time.advance(4999);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(0);
    time.advance(1);
    provider.answer('pending', { retryAfterMs: 10_000 });
    const slowed = await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);
    expect(slowed.body.retryAfterMs).toBe(10_000);
    time.advance(9_999);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);
  });

  test('the time left is counted by the server clock, so a skewed browser clock does not matter', async () => {
    const time = clock();
    const { agent, start } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { challengeTimeoutMs: 60_000, now: time.now },
    });
    expect(start.body.expiresInMs).toBe(60_000);
    time.advance(10_000);
    const pending = await agent.get('/auth/push/status').set(json).expect(202);
    expect(pending.body.expiresInMs).toBe(50_000);
  });

  test('the local deadline ends a challenge whatever the provider says, and withdraws it', async () => {
    const time = clock();
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { challengeTimeoutMs: 60_000, now: time.now },
    });
    provider.answer('approved'); // too late: the phone approves after the deadline
    time.advance(60_000);
    const answer = await agent.get('/auth/push/status').set(json).expect(401);
    expect(answer.body).toMatchObject({ state: 'expired' });
    expect(provider.calls.check).toBe(0);
    expect(provider.calls.cancel).toBe(1);
    await agent.get('/me').expect(401);
  });

  test("the provider's expiry shortens the local deadline", async () => {
    const time = clock();
    const { agent, start } = await startedLogin({
      provider: new ScriptedProvider({ expiresInMs: 30_000, now: time.now }),
      strategy: { challengeTimeoutMs: 120_000, now: time.now },
    });
    expect(start.body.expiresAt).toBe(time.now() + 30_000);
    time.advance(30_000);
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(401, /"state":"expired"/);
  });

  test('concurrent polls of one session share a single provider call and complete once', async () => {
    const { provider, agent, verified, store } = await startedLogin({ provider: new ScriptedProvider() });
    provider.answer('approved');
    let release!: () => void;
    provider.checkGate = new Promise((resolve) => (release = resolve));
    const loads = jest.spyOn(store, 'get');
    const polls = [1, 2, 3].map(() =>
      agent
        .get('/auth/push/status')
        .set(json)
        .then((r) => r),
    );
    // All three have loaded the (same, pre-login) session before the provider answers.
    await waitFor(() => loads.mock.calls.length === 3);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const answers = await Promise.all(polls);
    expect(provider.calls.check).toBe(1);
    expect(verified).toHaveLength(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 202, 202]);
    await agent.get('/me').expect(200);
  });
});

/**
 * Waits for a condition driven by other in-flight requests (bounded, no fixed sleep). The bound is
 * generous: it only says how long a busy machine may take, a passing test returns at once.
 */
async function waitFor(condition: () => boolean, attempts = 2000): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not reached');
}

describe('long polling', () => {
  test('a held status request answers the moment the provider approves', async () => {
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 100 },
      router: { longPollMs: 10_000 },
    });
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r);
    await waitFor(() => provider.calls.check >= 2); // the request is being held and re-checks
    provider.answer('approved');
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('authenticated');
    await agent.get('/me').expect(200);
  });

  test('still pending after longPollMs: 202, and the provider was asked at most once per interval', async () => {
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 200 },
      router: { longPollMs: 700 },
    });
    await agent.get('/auth/push/status').set(json).expect(202);
    // One check at the start of the hold, then at most one per 200 ms interval of the 700 ms hold.
    expect(provider.calls.check).toBeGreaterThanOrEqual(1);
    expect(provider.calls.check).toBeLessThanOrEqual(Math.ceil(700 / 200) + 1);
  });

  test('a cancel made by another request while a poll is held is not overwritten', async () => {
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 100 },
      router: { longPollMs: 60_000 }, // the cancel, not the hold's end, answers the held poll
    });
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r);
    await waitFor(() => provider.calls.check >= 1);
    await agent.post('/auth/push/cancel').set(json).expect(200);
    const answer = await held;
    expect(answer.status).toBe(404);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(404);
    await agent.get('/me').expect(401);
  });
});

describe('what a pending status carries', () => {
  test("the JSON status body passes the provider's display and message through", async () => {
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider({ currentDisplay: () => ({ qr: 'animated-qr-frame' }) }),
    });
    provider.answer('pending', {
      display: { launchUrl: 'scripted:///?token=1' },
      message: { key: 'scripted.hint.outstanding', text: 'Open the app on your phone.' },
    });
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body).toMatchObject({
      state: 'pending',
      display: { qr: 'animated-qr-frame' },
      providerMessage: { key: 'scripted.hint.outstanding', text: 'Open the app on your phone.' },
    });
  });

  test("a provider without currentDisplay: the status's fresh display reaches the body", async () => {
    const { provider, agent } = await startedLogin({ provider: new ScriptedProvider() });
    provider.answer('pending', { display: { launchUrl: 'scripted:///?token=2' } });
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body.display).toEqual({ launchUrl: 'scripted:///?token=2' });
  });
});

/**
 * A shared store that fails or hangs (Redis down, restarting, paused) never holds a request and
 * never logs anyone in: each call has a deadline (`storeTimeoutMs`), a call that fails or runs out
 * is one typed, retryable error (`store_unavailable`), a claim that timed out counts as not
 * claimed, every fault is a `store_error` audit event naming the store and the operation (nothing
 * secret), and once the store answers again the pending login completes, once.
 */
import { MemoryCompletionStore, type CompletionStore } from '../../../lib/core/completion';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import type { PushEvent } from '../../../lib/core/events';
import { PushError } from '../../../lib/errors';
import type { NotificationRequest } from '../../../lib/providers/provider';
import { setupLogin } from '../../helpers/login-core';

/** Small, so a hung call ends at once; a memory store answers within a tick, never near it. */
const storeTimeoutMs = 25;

/** A store call that never answers (a paused Redis), and one that fails at once (a stopped one). */
const hang = () => new Promise<never>(() => undefined);
const refused = () =>
  Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));

const storeErrors = (events: PushEvent[]) => events.filter((event) => event.type === 'store_error');

/** What a store fault answers: retryable, a 2 s wait, and nothing from the store in it. */
const unavailable = {
  kind: 'error',
  error: expect.objectContaining({ code: 'store_unavailable', retryable: true, retryAfterSeconds: 2 }),
};

describe('a completion store that hangs at completion', () => {
  test('the poll gives up at the deadline with a retryable error, logs no one in, and the login completes once it answers', async () => {
    // On the login's clock (set below): claims are kept until the challenge's deadline.
    let now = () => 0;
    const completions = new MemoryCompletionStore(() => now());
    const decide = completions.decide.bind(completions);
    completions.decide = hang;
    const { login, provider, req, events, verified, time } = setupLogin(
      {},
      { storeTimeoutMs, stores: { completions } },
    );
    now = time.now;
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');

    expect(await login.poll(req())).toMatchObject(unavailable);
    expect(verified).toHaveLength(0);
    expect(storeErrors(events)).toEqual([
      expect.objectContaining({
        type: 'store_error',
        store: 'completion',
        operation: 'decide',
        cause: 'TimeoutError',
      }),
    ]);
    expect(JSON.stringify(storeErrors(events))).not.toContain('alice');

    completions.decide = decide;
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
    expect(verified).toHaveLength(1);
  });
});

describe('a completion store whose answer the login gave up on', () => {
  test('is told (its signal aborts at the deadline), so it can undo a claim that lands late', async () => {
    let now = () => 0;
    const completions = new MemoryCompletionStore(() => now());
    const signals: (AbortSignal | undefined)[] = [];
    const contract: CompletionStore = completions;
    contract.decide = (_id, _expiresAt, _ending, signal) => {
      signals.push(signal);
      return hang();
    };
    const { login, provider, req, time } = setupLogin({}, { storeTimeoutMs, stores: { completions } });
    now = time.now;
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject(unavailable);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });
});

describe('a counter store that is down at a start', () => {
  test('the start is refused as unavailable (no push sent), and heard', async () => {
    const store = new MemoryRateLimitStore();
    store.hit = refused;
    const { login, provider, req, events } = setupLogin(
      {},
      { storeTimeoutMs, limiter: { sessionCooldownMs: 30_000 }, stores: { rateLimits: store } },
    );
    expect(await login.start(req({ username: 'alice' }))).toMatchObject(unavailable);
    expect(provider.challenges).toHaveLength(0);
    expect(storeErrors(events)).toEqual([
      expect.objectContaining({ store: 'rate_limit', operation: 'hit', cause: 'ECONNREFUSED' }),
    ]);
  });
});

describe('a session store that hangs', () => {
  test('when the start regenerates the session: unavailable, no push sent', async () => {
    const { login, provider, req, session, events } = setupLogin({}, { storeTimeoutMs });
    session.regenerate = hang;
    expect(await login.start(req({ username: 'alice' }))).toMatchObject(unavailable);
    expect(provider.challenges).toHaveLength(0);
    expect(storeErrors(events)).toEqual([
      expect.objectContaining({ store: 'session', operation: 'regenerate', cause: 'TimeoutError' }),
    ]);
  });

  test('when the poll checks the session is still stored: nothing is written, nobody is logged in, and it completes later', async () => {
    const { login, provider, req, session, verified } = setupLogin({}, { storeTimeoutMs });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    const stillStored = session.stillStored.bind(session);
    session.stillStored = hang;
    expect(await login.poll(req())).toMatchObject(unavailable);
    expect(verified).toHaveLength(0);
    session.stillStored = stillStored;
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });
});

describe('a notification index that is down when a notification comes', () => {
  test('the sender is told to try again later, nothing is approved, and the next check completes', async () => {
    const notificationIndex = new MemoryNotificationIndex();
    const { login, provider, req, events, time } = setupLogin(
      { notificationSecret: 's3cret' },
      { storeTimeoutMs, pollIntervalMs: 2000, stores: { notificationIndex } },
    );
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    notificationIndex.find = refused;
    const { headers, body } = provider.notification();
    const request: NotificationRequest = { headers, body: Buffer.from(body) };
    expect(await login.notify(request)).toEqual({ kind: 'unavailable', retryAfterSeconds: 2 });
    expect(storeErrors(events)).toEqual([
      expect.objectContaining({ store: 'notification_index', operation: 'find', cause: 'ECONNREFUSED' }),
    ]);
    // The lost notification is made up by the next provider check.
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    time.advance(2000);
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });
});

test('a store error is a PushError the app can tell apart', async () => {
  const completions = new MemoryCompletionStore();
  completions.decide = refused;
  const { login, provider, req } = setupLogin({}, { storeTimeoutMs, stores: { completions } });
  await login.start(req({ username: 'alice' }));
  provider.answer('denied');
  const result = await login.poll(req());
  expect(result.kind === 'error' && result.error instanceof PushError && result.error.details).toEqual({
    store: 'completion',
    operation: 'decide',
  });
});

test('a store class with private fields works through the deadline (its methods run on the store itself)', async () => {
  class PrivateDisplays {
    readonly #kept = new Map<string, object>();
    async set(challengeId: string, display: object): Promise<void> {
      this.#kept.set(challengeId, display);
    }
    async get(challengeId: string) {
      return this.#kept.get(challengeId);
    }
    async delete(challengeId: string): Promise<void> {
      this.#kept.delete(challengeId);
    }
    get size(): number {
      return this.#kept.size;
    }
  }
  const displays = new PrivateDisplays();
  const { login } = setupLogin({}, { storeTimeoutMs, stores: { displays } });
  await login.displays.set('c1', { bindingMessage: 'A1' }, Number.MAX_SAFE_INTEGER);
  expect(await login.displays.get('c1')).toEqual({ bindingMessage: 'A1' });
  expect((login.displays as unknown as PrivateDisplays).size).toBe(1);
});

describe('what a bounded store call leaves and reports', () => {
  test('a call that answers leaves no deadline timer behind', async () => {
    jest.useFakeTimers();
    try {
      const { login } = setupLogin({}, { storeTimeoutMs: 60_000 });
      await login.displays.set('c1', { bindingMessage: 'A1' }, Number.MAX_SAFE_INTEGER);
      expect(await login.displays.get('c1')).toEqual({ bindingMessage: 'A1' });
      // A kept timer would hold the process open, and a thousand calls' closures, for a minute.
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test.each([
    ['rejects', refused],
    [
      'throws',
      () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
      },
    ],
  ])(
    "a claim that %s before its deadline reports the store's own error, not a timeout",
    async (_how, fail) => {
      const completions = new MemoryCompletionStore();
      completions.decide = fail;
      const { login, provider, req, events } = setupLogin({}, { storeTimeoutMs, stores: { completions } });
      await login.start(req({ username: 'alice' }));
      provider.answer('approved');
      expect(await login.poll(req())).toMatchObject(unavailable);
      expect(storeErrors(events)).toEqual([
        expect.objectContaining({ store: 'completion', operation: 'decide', cause: 'ECONNREFUSED' }),
      ]);
    },
  );

  test("a store's own PushError of another kind is a store fault like any other", async () => {
    const completions = new MemoryCompletionStore();
    completions.decide = async () => Promise.reject(new PushError('config', 'Not connected.'));
    const { login, provider, req } = setupLogin({}, { storeTimeoutMs, stores: { completions } });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject(unavailable);
  });

  test("a counter store's own limit error reaches the limiter as it is", async () => {
    const rateLimits = new MemoryRateLimitStore();
    const limit = new PushError('limit', 'The counter store cannot count now.', { code: 'rate_limited' });
    rateLimits.hit = async () => Promise.reject(limit);
    const { login, req, provider } = setupLogin(
      {},
      { storeTimeoutMs, limiter: undefined, stores: { rateLimits } },
    );
    const result = await login.start(req({ username: 'alice' }));
    // Refused by the limiter (as the store asked), not a store fault answered with a 503.
    expect(JSON.stringify(result)).toContain('rate_limited');
    expect(JSON.stringify(result)).not.toContain('store_unavailable');
    expect(provider.calls.start).toBe(0);
  });
});

/**
 * The start path of the login core: what it refuses, what it stores, what it tells the provider,
 * the audit event of every branch, the announcement to the replaced challenge's waiters, and the
 * pace and deadline of the new challenge.
 */
import { createStartLimiter, type RateLimitStore } from '../../../lib/core/limits';
import { MemoryRateLimitStore } from '../../../lib/core/memory-rate-limit-store';
import type { DeviceTrust, LoginRequest } from '../../../lib/core/login';
import { PushError } from '../../../lib/errors';
import { MAX_HANDLE_LENGTH } from '../../../lib/core/challenge';
import type { NotificationEvent } from '../../../lib/core/notification-bus';
import { alterStart, fakeSession, setupLogin } from '../../helpers/login-core';

/** A limiter with every rule off but `limits`. */
function onlyLimits(limits: Parameters<typeof createStartLimiter>[0] = {}) {
  return createStartLimiter({
    sessionCooldownMs: 0,
    userCooldownMs: 0,
    perIp: false,
    perUser: false,
    perUserCeiling: false,
    ...limits,
  });
}

describe('a provider handle too big for the session', () => {
  test('is refused as invalid_response, stores nothing and leaves an error event', async () => {
    const { login, provider, req, events } = setupLogin();
    alterStart(provider, (started) => ({ ...started, handle: { id: 'x'.repeat(MAX_HANDLE_LENGTH) } }));
    const result = await login.start(req({ username: 'alice' }));
    expect(result.kind).toBe('error');
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ kind: 'protocol', code: 'invalid_response' });
    expect(events).toEqual([
      {
        type: 'error',
        userId: 'alice',
        ip: '203.0.113.9',
        message: 'The provider returned a handle the session cannot hold.',
        provider: 'scripted',
      },
    ]);
    expect(login.challengeIdOf(req().session)).toBeUndefined();
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
  });
});

describe('starts without an ID', () => {
  const userCooldownOnly = () => onlyLimits({ userCooldownMs: 60_000 });

  test('from different browsers do not share one per-ID count', async () => {
    const { login, req } = setupLogin(
      { userId: 'optional', subjectRule: 'provider' },
      { limiter: userCooldownOnly() },
    );
    expect(await login.start(req({}))).toMatchObject({ kind: 'pending' });
    const other: LoginRequest = { session: fakeSession(), ip: '203.0.113.9', body: {} };
    expect(await login.start(other)).toMatchObject({ kind: 'pending' });
    // The same rule does hold a typed ID across browsers: the two above were counted apart.
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    const third: LoginRequest = { session: fakeSession(), ip: '203.0.113.9', body: { username: 'alice' } };
    expect(await login.start(third)).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
  });
});

describe('what the limits count', () => {
  const only = onlyLimits;
  const browser = (ip: string, device?: DeviceTrust): LoginRequest => ({
    session: fakeSession(),
    ip,
    body: { username: 'alice' },
    ...(device ? { device } : {}),
  });
  const trusting = (id: string, ...ids: string[]): DeviceTrust => ({
    id,
    trusts: (userId) => ids.includes(userId),
  });
  const pending = { kind: 'pending' };
  const refused = { kind: 'error', error: { kind: 'limit' } };

  test('one browser is one session, across the regenerate of every start, on the clock of the strategy', async () => {
    const { login, provider, req, time } = setupLogin({}, { limiter: only({ sessionCooldownMs: 30_000 }) });
    // A start that timed out may have pushed, and leaves no pending login to replace: its cooldown
    // holds for this browser (a start that replaces a pending one frees it, as Cancel does).
    provider.failNext(mayHavePushed());
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'error' });
    expect(await login.start(req({ username: 'bob' }))).toMatchObject(refused);
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(pending);
    time.advance(30_000);
    expect(await login.start(req({ username: 'bob' }))).toMatchObject(pending);
  });

  test("the per-address window counts the request's address", async () => {
    const { login } = setupLogin({}, { limiter: only({ perIp: { max: 1, windowMs: 60_000 } }) });
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(pending);
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(refused);
    expect(await login.start(browser('198.51.100.7'))).toMatchObject(pending);
  });

  test('per ID and client, the client is the device cookie, else the address', async () => {
    const { login } = setupLogin({}, { limiter: only({ perUser: { max: 1, windowMs: 60_000 } }) });
    expect(await login.start(browser('203.0.113.9', trusting('device-1')))).toMatchObject(pending);
    expect(await login.start(browser('203.0.113.9', trusting('device-2')))).toMatchObject(pending);
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(pending);
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(refused);
  });

  test('a browser where the ID completed a login skips the per-ID windows; one trusted for another ID does not', async () => {
    const { login } = setupLogin({}, { limiter: only({ perUserCeiling: { max: 1, windowMs: 60_000 } }) });
    expect(await login.start(browser('203.0.113.9'))).toMatchObject(pending);
    expect(await login.start(browser('198.51.100.7', trusting('device-1', 'bob')))).toMatchObject(refused);
    expect(await login.start(browser('198.51.100.7', trusting('device-2', 'alice')))).toMatchObject(pending);
  });
});

describe('a start without an ID from a browser with a device cookie', () => {
  test('starts: the cookie is asked about typed IDs only', async () => {
    const { login, provider } = setupLogin(
      { userId: 'optional', subjectRule: 'provider' },
      { limiter: createStartLimiter() },
    );
    // Like the real cookie, which hashes the ID it is asked about.
    const device: DeviceTrust = {
      id: 'device-1',
      trusts: (userId: string) => userId.toLowerCase() === 'alice',
    };
    expect(await login.start({ session: fakeSession(), ip: '203.0.113.9', body: {}, device })).toMatchObject({
      kind: 'pending',
    });
    expect(provider.latest.request).toStrictEqual({
      clientIp: '203.0.113.9',
      serviceName: undefined,
      serviceAddress: undefined,
      message: undefined,
    });
  });
});

describe('audit events of the start', () => {
  test('a start: the typed ID, the address and the provider', async () => {
    const { login, req, events } = setupLogin();
    await login.start(req({ username: 'alice' }));
    expect(events).toEqual([{ type: 'start', userId: 'alice', ip: '203.0.113.9', provider: 'scripted' }]);
  });

  test('a start the limits refuse: refused, with the reason, and no provider call', async () => {
    const limiter = createStartLimiter({ sessionCooldownMs: 30_000 });
    const { login, provider, req, events } = setupLogin({}, { limiter });
    provider.failNext(mayHavePushed());
    await login.start(req({ username: 'alice' }));
    const refused = await login.start(req({ username: 'alice' }));
    expect(refused).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
    const { message } = (refused as { error: PushError }).error;
    expect(events.at(-1)).toEqual({
      type: 'refused',
      userId: 'alice',
      ip: '203.0.113.9',
      reason: message,
      rule: 'sessionCooldown',
      client: '203.0.113.9',
      provider: 'scripted',
    });
    expect(provider.calls.start).toBe(1);
  });

  test("a provider's failure: an error event with its message, also for a thrown non-Error", async () => {
    const { login, provider, req, events } = setupLogin();
    provider.failNext(
      new PushError('protocol', 'The provider is down.', { code: 'timeout', retryable: true }),
    );
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({
      kind: 'error',
      error: { code: 'timeout' },
    });
    provider.start = async () => Promise.reject('plain text');
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({
      kind: 'error',
      error: 'plain text',
    });
    expect(events).toEqual([
      {
        type: 'error',
        userId: 'alice',
        ip: '203.0.113.9',
        message: 'The provider is down.',
        provider: 'scripted',
      },
      { type: 'error', userId: 'alice', ip: '203.0.113.9', message: 'plain text', provider: 'scripted' },
    ]);
    expect(login.challengeIdOf(req().session)).toBeUndefined();
  });

  test('an audit hook that throws changes nothing', async () => {
    const { login, provider, req } = setupLogin(
      {},
      {
        onEvent: () => {
          throw new Error('audit log down');
        },
      },
    );
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });

  test('personal IDs reach the hook as pseudonyms, unless the app opted in', async () => {
    const hidden = setupLogin({ personalUserIds: true });
    await hidden.login.start(hidden.req({ username: '199001011234' }));
    expect(hidden.events[0]).toMatchObject({ type: 'start', userId: expect.stringMatching(/^personal:/) });
    expect(JSON.stringify(hidden.events)).not.toContain('199001011234');
    const shown = setupLogin({ personalUserIds: true }, { auditPersonalIds: true });
    await shown.login.start(shown.req({ username: '199001011234' }));
    expect(shown.events[0]).toMatchObject({ type: 'start', userId: '199001011234' });
  });
});

describe('a start that replaces the session’s challenge', () => {
  test('withdraws the old one at the provider and tells its waiters it was suspended', async () => {
    const { login, provider, req } = setupLogin();
    const first = await login.start(req({ username: 'alice' }));
    const heard: NotificationEvent[] = [];
    login.subscribe((first as { challengeId: string }).challengeId, (event) => heard.push(event));
    await login.start(req({ username: 'alice' }));
    expect(heard).toEqual([{ type: 'settled', state: 'suspended' }]);
    expect(provider.challenges[0]?.cancelled).toBe(true);
    expect(provider.challenges[1]?.cancelled).toBe(false);
  });

  test('announces only once the response is done, when the request says when that is', async () => {
    const { login, req } = setupLogin();
    const first = await login.start(req({ username: 'alice' }));
    const heard: NotificationEvent[] = [];
    login.subscribe((first as { challengeId: string }).challengeId, (event) => heard.push(event));
    const later: (() => void)[] = [];
    await login.start({ ...req({ username: 'alice' }), afterResponse: (task) => later.push(task) });
    expect(heard).toEqual([]);
    for (const task of later) task();
    await Promise.resolve();
    expect(heard).toEqual([{ type: 'settled', state: 'suspended' }]);
  });
});

describe('what the provider is asked', () => {
  test('the ID, the client address and the service, as configured', async () => {
    const { login, provider, req } = setupLogin(
      {},
      { serviceName: 'Example Bank', serviceAddress: 'https://bank.example', message: 'Log in?' },
    );
    await login.start(req({ username: 'alice' }));
    expect(provider.latest.request).toEqual({
      userId: 'alice',
      clientIp: '203.0.113.9',
      serviceName: 'Example Bank',
      serviceAddress: 'https://bank.example',
      message: 'Log in?',
    });
  });
});

describe('the pace and deadline of a new challenge', () => {
  test("the next check waits the longer of the strategy's and the provider's interval", async () => {
    const slowProvider = setupLogin({ pollIntervalMs: 5_000 }, { pollIntervalMs: 2_000 });
    expect(await slowProvider.login.start(slowProvider.req({ username: 'alice' }))).toMatchObject({
      retryAfterMs: 5_000,
    });
    const slowStrategy = setupLogin({ pollIntervalMs: 1_000 }, { pollIntervalMs: 2_000 });
    expect(await slowStrategy.login.start(slowStrategy.req({ username: 'alice' }))).toMatchObject({
      retryAfterMs: 2_000,
    });
  });

  test('a poll before the next check answers without asking the provider; at it, the provider is asked', async () => {
    const { login, provider, req, time } = setupLogin({}, { pollIntervalMs: 2_000 });
    await login.start(req({ username: 'alice' }));
    time.advance(1_999);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', retryAfterMs: 1 });
    expect(provider.calls.check).toBe(0);
    time.advance(1);
    await login.poll(req());
    expect(provider.calls.check).toBe(1);
  });

  test("a provider interval that is no number is ignored: the strategy's applies", async () => {
    const { login, req } = setupLogin({ pollIntervalMs: Number.NaN }, { pollIntervalMs: 2_000 });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ retryAfterMs: 2_000 });
  });

  test("the deadline is the earlier of the strategy's and the provider's", async () => {
    const early = setupLogin({ expiresInMs: 30_000 }, { challengeTimeoutMs: 60_000 });
    expect(await early.login.start(early.req({ username: 'alice' }))).toMatchObject({
      expiresAt: early.time.now() + 30_000,
      expiresInMs: 30_000,
    });
    const late = setupLogin({ expiresInMs: 90_000 }, { challengeTimeoutMs: 60_000 });
    expect(await late.login.start(late.req({ username: 'alice' }))).toMatchObject({
      expiresAt: late.time.now() + 60_000,
    });
    const none = setupLogin({}, { challengeTimeoutMs: 60_000 });
    expect(await none.login.start(none.req({ username: 'alice' }))).toMatchObject({
      expiresAt: none.time.now() + 60_000,
    });
  });

  test('the answer carries the challenge id the waiting requests subscribe to', async () => {
    const { login, req } = setupLogin();
    const started = await login.start(req({ username: 'alice' }));
    expect(started).toMatchObject({ kind: 'pending', started: true, userId: 'alice' });
    expect((started as { challengeId: string }).challengeId).toBe(login.challengeIdOf(req().session));
  });
});

describe('a provider that spells IDs one way (canonicalUserId)', () => {
  const lowerCase = (typed: string) => typed.toLowerCase();

  test('the ID is asked, counted and kept in its one spelling', async () => {
    const { login, provider, req } = setupLogin({}, { limiter: onlyLimits({ userCooldownMs: 60_000 }) });
    Object.assign(provider, { canonicalUserId: lowerCase });
    expect(await login.start(req({ username: 'ALICE' }))).toMatchObject({ kind: 'pending', userId: 'alice' });
    expect(provider.latest.request.userId).toBe('alice');
    // Another spelling from another browser is the same person: the per-ID cooldown holds.
    const other: LoginRequest = { session: fakeSession(), ip: '198.51.100.7', body: { username: 'Alice' } };
    expect(await login.start(other)).toMatchObject({ kind: 'error', error: { kind: 'limit' } });
  });

  test('a start without an ID is not asked to spell one', async () => {
    const { login, provider, req } = setupLogin({ userId: 'optional', subjectRule: 'provider' });
    Object.assign(provider, { canonicalUserId: lowerCase });
    expect(await login.start(req({}))).toMatchObject({ kind: 'pending' });
    expect(provider.latest.request).not.toHaveProperty('userId');
  });
});

describe('the cooldowns of a start the provider refused', () => {
  const cooldownOnly = () => onlyLimits({ sessionCooldownMs: 30_000 });

  test.each([
    ['an ID the provider does not know', new PushError('provider', 'Unknown.', { code: 'unknown_user' })],
    ['an ID the provider cannot push to', new PushError('input', 'Bad ID.', { code: 'invalid_user_id' })],
  ])('%s reached no phone: the user may try again at once', async (_name, refusal) => {
    const { login, provider, req } = setupLogin({}, { limiter: cooldownOnly() });
    provider.failNext(refusal);
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({
      kind: refusal.kind === 'input' ? 'failed' : 'error',
    });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
  });

  test('already_in_progress (the provider cancelled an order it had pushed): the cooldown holds', async () => {
    const { login, provider, req } = setupLogin({}, { limiter: cooldownOnly() });
    provider.failNext(new PushError('provider', 'In progress.', { code: 'already_in_progress' }));
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'error' });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({
      kind: 'error',
      error: { kind: 'limit' },
    });
  });
});

describe('the session a start regenerates', () => {
  test('keeps what the app stored in it, unless keepSessionInfo is false', async () => {
    const kept = setupLogin();
    kept.session.data['cart'] = 'three books';
    await kept.login.start(kept.req({ username: 'alice' }));
    expect(kept.session.data['cart']).toBe('three books');
    const dropped = setupLogin({}, { keepSessionInfo: false });
    dropped.session.data['cart'] = 'three books';
    await dropped.login.start(dropped.req({ username: 'alice' }));
    expect(dropped.session.data).not.toHaveProperty('cart');
    expect(await dropped.login.poll(dropped.req())).toMatchObject({ kind: 'pending' });
  });
});

describe('a start that replaces the session’s pending login', () => {
  test("is not held by that login's cooldown (as after Cancel): the user resubmitted the form", async () => {
    const { login, req } = setupLogin({}, { limiter: onlyLimits({ sessionCooldownMs: 30_000 }) });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
  });
});

describe('Cancel, then sign in again', () => {
  const idCooldownOnly = () => onlyLimits({ userCooldownMs: 60_000 });

  test("is not held by the typed ID's cooldown, on Cancel or on a resubmitted form", async () => {
    const { login, req } = setupLogin({}, { limiter: idCooldownOnly() });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
  });

  test("without an ID, is not held by the browser's own per-ID cooldown either", async () => {
    const { login, req } = setupLogin(
      { userId: 'optional', subjectRule: 'provider' },
      { limiter: idCooldownOnly() },
    );
    expect(await login.start(req({}))).toMatchObject({ kind: 'pending' });
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    expect(await login.start(req({}))).toMatchObject({ kind: 'pending' });
  });
});

describe('the refused event', () => {
  const refusing = { check: async () => new PushError('limit', 'Slow down.'), settle: async () => undefined };

  test('of a limiter that names no rule, or a request without an address: only what is known', async () => {
    const { login, events, session } = setupLogin({}, { limiter: refusing });
    const result = await login.start({ session, body: { username: 'alice' } });
    expect(result).toMatchObject({ kind: 'error', error: { kind: 'limit', message: 'Slow down.' } });
    expect(events).toStrictEqual([
      { type: 'refused', userId: 'alice', ip: undefined, reason: 'Slow down.', provider: 'scripted' },
    ]);
  });
});

describe('a start without an ID on a provider whose IDs are personal data (a QR login)', () => {
  test('starts, and keeps no ID to seal', async () => {
    const { login, provider, req } = setupLogin({
      userId: 'optional',
      subjectRule: 'provider',
      personalUserIds: true,
    });
    expect(await login.start(req({}))).toMatchObject({ kind: 'pending' });
    provider.answer('approved', { subject: '199001011234' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: '199001011234' } });
  });
});

describe("the default limiter's counter store", () => {
  const perIdCooldownOnly = {
    sessionCooldownMs: 0,
    userCooldownMs: 60_000,
    perIp: false,
    perUser: false,
    perUserCeiling: false,
  } as const;

  test("shared by two instances with the app's secret: one person's cooldown holds on both", async () => {
    const counters = new MemoryRateLimitStore();
    const shared: RateLimitStore = {
      shared: true,
      hit: (key, windowMs, now) => counters.hit(key, windowMs, now),
      peek: (key, now) => counters.peek(key, now),
      remove: (key) => counters.remove(key),
    };
    const instance = () =>
      setupLogin(
        {},
        {
          secret: 'an-app-secret-of-at-least-32-characters!',
          limiter: perIdCooldownOnly,
          stores: { rateLimits: shared },
        },
      );
    const first = instance();
    const second = instance();
    expect(await first.login.start(first.req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(await second.login.start(second.req({ username: 'alice' }))).toMatchObject({
      kind: 'error',
      error: { kind: 'limit' },
    });
  });

  test('full, sheds counters to make room: the start goes on, and a shed event says a flood is on', async () => {
    const shedding: RateLimitStore = {
      hit: async (_key, windowMs, now) => ({ count: 1, resetAt: now + windowMs, shed: 3 }),
      peek: async (_key, now) => ({ count: 0, resetAt: now }),
      remove: async () => undefined,
    };
    const { login, req, events } = setupLogin(
      {},
      { limiter: perIdCooldownOnly, stores: { rateLimits: shedding } },
    );
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(events).toContainEqual({ type: 'shed', count: 3, provider: 'scripted' });
  });
});

/** A provider timeout at start: the push may have gone out, so the start's cooldowns are kept. */
function mayHavePushed(): PushError {
  return new PushError('protocol', 'The provider did not answer in time.', {
    code: 'timeout',
    retryable: true,
  });
}

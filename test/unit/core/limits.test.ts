/**
 * createStartLimiter: what each refusal says, and that every option turns its rule off or changes it.
 * Unit level with an injected clock; the attacks themselves are in test/security/.
 */
import { createHash, createHmac } from 'node:crypto';
import { createStartLimiter, PushError, type RateLimitStore, type StartAttempt } from '../../../lib';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { errorStatus } from '../../../lib/web/http-status';

const attempt = (over: Partial<StartAttempt> = {}): StartAttempt => ({
  userId: 'alice',
  sessionId: 's',
  ip: '192.0.2.1',
  now: 0,
  ...over,
});

/** Runs the attempts in order; the last one's refusal. */
async function lastOf(limits: Parameters<typeof createStartLimiter>[0], attempts: StartAttempt[]) {
  const limiter = createStartLimiter(limits);
  let refusal: PushError | undefined;
  for (const a of attempts) {
    refusal = await limiter.check(a);
    if (!refusal) await limiter.settle(a, true); // the push was sent
  }
  return refusal;
}

const off = {
  sessionCooldownMs: 0,
  userCooldownMs: 0,
  perUser: false,
  perUserCeiling: false,
  perIp: false,
} as const;

describe('each rule refuses with its own message, 429 and the seconds until its window ends', () => {
  test.each([
    [
      'perIp',
      { ...off, perIp: { max: 1, windowMs: 60_000 } },
      { sessionId: 'b', userId: 'bob' },
      /from your network/,
      60,
    ],
    ['sessionCooldownMs', { ...off, sessionCooldownMs: 5_000 }, { userId: 'bob' }, /wait a moment before/, 5],
    ['perUser', { ...off, perUser: { max: 1, windowMs: 90_500 } }, { sessionId: 'b' }, /for this ID/, 91],
    [
      'perUserCeiling',
      { ...off, perUserCeiling: { max: 1, windowMs: 30_000 } },
      { ip: '2', sessionId: 'b' },
      /for this ID/,
      30,
    ],
    [
      'userCooldownMs',
      { ...off, userCooldownMs: 4_000 },
      { ip: '2', sessionId: 'b' },
      /just sent to this ID/,
      4,
    ],
  ] as const)('%s', async (option, limits, second, message, seconds) => {
    const refusal = await lastOf(limits, [attempt(), attempt(second)]);
    expect(refusal).toBeInstanceOf(PushError);
    expect(refusal).toMatchObject({
      kind: 'limit',
      code: 'rate_limited',
      retryAfterSeconds: seconds,
    });
    // PushError carries no HTTP status since the core redesign: the web layer's one table maps it.
    expect(refusal && errorStatus(refusal)).toBe(429);
    expect(refusal?.message).toMatch(message);
    expect(refusal?.details['rule']).toBe(
      option === 'sessionCooldownMs' || option === 'userCooldownMs' ? option.replace('Ms', '') : option,
    );
  });

  test('Retry-After is at least one second, even at the very end of a window', async () => {
    const refusal = await lastOf({ ...off, sessionCooldownMs: 5_000 }, [
      attempt(),
      attempt({ now: 4_999.5 }),
    ]);
    expect(refusal?.retryAfterSeconds).toBe(1);
  });
});

describe('options', () => {
  test('with every rule off, nothing is ever refused, nor counted', async () => {
    const attempts = Array.from({ length: 100 }, () => attempt());
    expect(await lastOf(off, attempts)).toBeUndefined();
    const hits: string[] = [];
    const store: RateLimitStore = {
      hit: async (key) => (hits.push(key), { count: 1, resetAt: 1 }),
      peek: async (key) => (hits.push(key), { count: 0, resetAt: 1 }),
      remove: async () => undefined,
    };
    await createStartLimiter({ ...off, store }).check(attempt());
    expect(hits).toEqual([]);
  });

  test('defaults: one start per session per 5 s, then again', async () => {
    const limiter = createStartLimiter({ ...off, sessionCooldownMs: undefined });
    expect(await limiter.check(attempt())).toBeUndefined();
    expect(await limiter.check(attempt({ now: 4_999 }))).toBeDefined();
    expect(await limiter.check(attempt({ now: 5_000 }))).toBeUndefined();
  });

  test('defaults: one push per ID per 5 s from any session', async () => {
    const limiter = createStartLimiter({ ...off, userCooldownMs: undefined });
    expect(await limiter.check(attempt())).toBeUndefined();
    expect(await limiter.check(attempt({ sessionId: 'b', now: 4_999 }))).toBeDefined();
    expect(await limiter.check(attempt({ sessionId: 'c', now: 5_000 }))).toBeUndefined();
  });

  test('defaults: 50 starts per IP in 15 minutes, whatever the session and ID', async () => {
    const limiter = createStartLimiter({ ...off, perIp: undefined });
    for (let i = 0; i < 50; i++)
      expect(await limiter.check(attempt({ sessionId: `${i}`, userId: `${i}` }))).toBeUndefined();
    expect(await limiter.check(attempt({ sessionId: 'x', userId: 'x', now: 15 * 60_000 - 1 }))).toBeDefined();
    expect(await limiter.check(attempt({ sessionId: 'y', userId: 'y', now: 15 * 60_000 }))).toBeUndefined();
  });

  test('an attempt without an IP skips the per-IP rule', async () => {
    const limiter = createStartLimiter({ ...off, perIp: { max: 1, windowMs: 60_000 } });
    expect(await limiter.check(attempt({ ip: undefined }))).toBeUndefined();
    expect(await limiter.check(attempt({ ip: undefined }))).toBeUndefined();
  });

  test('without a clientId the IP is the client; without either, all such starts share one client', async () => {
    const limits = { ...off, perUser: { max: 1, windowMs: 60_000 } };
    expect(await lastOf(limits, [attempt({ ip: '1' }), attempt({ ip: '2' })])).toBeUndefined();
    expect(await lastOf(limits, [attempt({ ip: '1' }), attempt({ ip: '1' })])).toBeDefined();
    expect(await lastOf(limits, [attempt({ ip: undefined }), attempt({ ip: undefined })])).toBeDefined();
    expect(await lastOf(limits, [attempt({ clientId: 'c1' }), attempt({ clientId: 'c2' })])).toBeUndefined();
  });

  test('cooldowns come first: a start they refuse counts nothing else, and frees what it held', async () => {
    const { store, calls } = recordingStore((key) => (key.startsWith('user:') ? 2 : 1));
    const refusal = await createStartLimiter({ store }).check(attempt());
    expect(refusal?.details['rule']).toBe('userCooldown');
    expect(calls.map((call) => call.split(' ')[0])).toEqual(['hit', 'hit', 'remove']);
    expect(calls[2]).toBe('remove session:s'); // the session may start again at once
  });

  test('the per-ID windows are only read by check, and counted by settle once the push was sent', async () => {
    const { store, calls } = recordingStore(() => 1);
    const limiter = createStartLimiter({ store });
    const a = attempt({ clientId: 'c' });
    expect(await limiter.check(a)).toBeUndefined();
    expect(calls.filter((call) => call.startsWith('hit user-'))).toEqual([]);
    expect(calls.filter((call) => call.startsWith('peek'))).toHaveLength(2);
    await limiter.settle(a, true);
    expect(calls.filter((call) => call.startsWith('hit user-'))).toHaveLength(2);
  });

  test('settle without a push frees the cooldowns and counts nothing', async () => {
    const { store, calls } = recordingStore(() => 1);
    const limiter = createStartLimiter({ store });
    await limiter.settle(attempt({ trustedDevice: true }), true); // a trusted device: no per-ID count
    expect(calls).toEqual([]);
    await limiter.settle(attempt(), false);
    expect(calls.map((call) => call.split(' ')[0])).toEqual(['remove', 'remove']);
  });

  test('a refusal names its rule; a window read by peek gives the seconds left of that window', async () => {
    const limiter = createStartLimiter({ ...off, perUserCeiling: { max: 1, windowMs: 60_000 } });
    await limiter.settle(attempt(), true);
    const refusal = await limiter.check(attempt({ now: 20_000, ip: '192.0.2.2' }));
    expect(refusal).toMatchObject({ retryAfterSeconds: 40, details: { rule: 'perUserCeiling' } });
  });

  test('onShed hears only of real sheds, and a limiter without onShed ignores them', async () => {
    const heard: number[] = [];
    const shedding = (shed: number | undefined): RateLimitStore => ({
      hit: async (_key, windowMs, now) => ({
        count: 1,
        resetAt: now + windowMs,
        ...(shed === undefined ? {} : { shed }),
      }),
      peek: async (_key, now) => ({ count: 0, resetAt: now }),
      remove: async () => undefined,
    });
    for (const shed of [undefined, 0]) {
      await createStartLimiter({ store: shedding(shed), onShed: (n) => heard.push(n) }).check(attempt());
    }
    expect(heard).toEqual([]);
    await createStartLimiter({ store: shedding(2), onShed: (n) => heard.push(n) }).check(attempt());
    expect(heard).toEqual([2, 2, 2]); // session cooldown, ID cooldown, client window
    expect(await createStartLimiter({ store: shedding(2) }).check(attempt())).toBeUndefined();
  });

  test('a start without an ID touches no per-ID counter: no cooldown, window or count shared by all such starts', async () => {
    const { store, calls } = recordingStore(() => 1);
    const limiter = createStartLimiter({ store });
    const anonymous = attempt({ userId: undefined });
    expect(await limiter.check(anonymous)).toBeUndefined();
    await limiter.settle(anonymous, true);
    expect(calls).toEqual(['hit session:s', 'hit ip:192.0.2.1']);
    const real = createStartLimiter();
    expect(await real.check(attempt({ userId: undefined, sessionId: 'a' }))).toBeUndefined();
    expect(await real.check(attempt({ userId: undefined, sessionId: 'b' }))).toBeUndefined();
  });

  test('settle without a push removes exactly the two cooldowns it held', async () => {
    const secret = 'a limit secret of at least thirty-two characters';
    const { store, calls } = recordingStore(() => 1);
    await createStartLimiter({ store, secret }).settle(attempt(), false);
    const hash = createHmac('sha256', secret).update('alice').digest('base64url').slice(0, 22);
    expect(calls).toEqual(['remove session:s', `remove user:${hash}`]);
  });

  test('IPv6 clients are counted by their /56 unless ipv6Subnet says otherwise', async () => {
    const perIp = { max: 1, windowMs: 60_000 };
    const sameSlash56 = [
      attempt({ ip: '2001:db8:1:1::1', sessionId: 'a', userId: 'a' }),
      attempt({ ip: '2001:db8:1:2::1', sessionId: 'b', userId: 'b' }),
    ];
    expect(await lastOf({ ...off, perIp }, sameSlash56)).toMatchObject({ details: { rule: 'perIp' } });
    expect(await lastOf({ ...off, perIp, ipv6Subnet: 64 }, sameSlash56)).toBeUndefined();
  });

  test('a full store tells onShed how many counters it shed', async () => {
    const shed: number[] = [];
    const limiter = createStartLimiter({ store: new MemoryRateLimitStore(3), onShed: (n) => shed.push(n) });
    for (let i = 0; i < 3; i++)
      await limiter.check(attempt({ userId: `u${i}`, sessionId: `s${i}`, ip: `192.0.2.${i}` }));
    expect(shed.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });
});

/** A store that answers `countOf(key)` for every window and records what it was asked. */
function recordingStore(countOf: (key: string) => number) {
  const calls: string[] = [];
  const store: RateLimitStore = {
    hit: async (key, windowMs, now) => (
      calls.push(`hit ${key}`),
      { count: countOf(key), resetAt: now + windowMs }
    ),
    peek: async (key, now) => (calls.push(`peek ${key}`), { count: 0, resetAt: now }),
    remove: async (key) => void calls.push(`remove ${key}`),
  };
  return { store, calls };
}

describe('the secret', () => {
  const shared = (): RateLimitStore => ({ ...recordingStore(() => 1).store, shared: true });

  test('a shared store without a secret is a configuration error at construction', () => {
    expect(() => createStartLimiter({ store: shared() })).toThrow(
      expect.objectContaining({
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringMatching(/needs `secret`/),
      }),
    );
    expect(() => createStartLimiter({ store: { ...shared(), shared: false } })).not.toThrow();
    expect(() => createStartLimiter({ store: shared(), secret: 'x'.repeat(32) })).not.toThrow();
  });

  test('a secret shorter than 32 characters is refused, with any store', () => {
    expect(() => createStartLimiter({ secret: 'x'.repeat(31) })).toThrow(
      expect.objectContaining({
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringMatching(/at least 32/),
      }),
    );
    expect(() => createStartLimiter({ secret: 'x'.repeat(32) })).not.toThrow();
  });
});

describe('the store', () => {
  const failing = (error: unknown): RateLimitStore => ({
    hit: () => Promise.reject(error),
    peek: () => Promise.reject(error),
    remove: () => Promise.reject(error),
  });

  test("a store's limit error (it cannot count) is the refusal", async () => {
    const full = new PushError('limit', 'full', { retryAfterSeconds: 3 });
    expect(await createStartLimiter({ store: failing(full) }).check(attempt())).toBe(full);
  });

  test('any other store failure propagates (the app reports it; the start does not go through)', async () => {
    const down = new Error('redis down');
    await expect(createStartLimiter({ store: failing(down) }).check(attempt())).rejects.toBe(down);
    const protocol = new PushError('protocol', 'bad reply');
    await expect(createStartLimiter({ store: failing(protocol) }).check(attempt())).rejects.toBe(protocol);
  });
});

describe('what the counter store holds', () => {
  const SECRET = 'a limit secret of at least thirty-two characters';

  test('a key names a user ID only by a keyed hash of it (IDs such as personal numbers are personal data)', async () => {
    const { store, calls } = recordingStore(() => 1);
    const limiter = createStartLimiter({ store });
    const a = attempt({ userId: '198512249874', clientId: 'client-1' });
    await limiter.check(a);
    await limiter.settle(a, true);
    expect(calls.filter((call) => call.startsWith('hit user'))).toHaveLength(3);
    for (const call of calls) {
      expect(call).not.toContain('19851224');
      expect(call).not.toContain('9874');
      expect(call).not.toContain(
        createHash('sha256').update('198512249874').digest('base64url').slice(0, 22),
      );
    }
  });

  test('the ID part of a key is HMAC-SHA256 of the lower-cased ID under `secret`, 22 base64url characters', async () => {
    // docs/limits.md: keyed, so a dump reveals nothing; the same secret on every instance, one key.
    const { store, calls } = recordingStore(() => 1);
    const limiter = createStartLimiter({ store, secret: SECRET });
    const a = attempt({ userId: 'Alice', clientId: 'c' });
    await limiter.check(a);
    await limiter.settle(a, true);
    const hash = createHmac('sha256', SECRET).update('alice').digest('base64url').slice(0, 22);
    expect(calls.filter((call) => call.startsWith('hit user'))).toEqual([
      `hit user:${hash}`,
      `hit user-client:${hash}:c`,
      `hit user-window:${hash}`,
    ]);
  });

  test('without a secret, a store in memory gets a random one per limiter: two limiters never share a key', async () => {
    const first = recordingStore(() => 1);
    const second = recordingStore(() => 1);
    await createStartLimiter({ store: first.store }).check(attempt());
    await createStartLimiter({ store: second.store }).check(attempt());
    const userKey = (calls: string[]) => calls.find((call) => call.startsWith('hit user:'));
    expect(userKey(first.calls)).not.toBe(userKey(second.calls));
  });

  test('one ID in any letter case is one counter', async () => {
    const limiter = createStartLimiter({ ...off, userCooldownMs: 60_000 });
    expect(await limiter.check(attempt({ userId: 'Alice', sessionId: 'a' }))).toBeUndefined();
    expect(await limiter.check(attempt({ userId: 'ALICE', sessionId: 'b' }))).toBeInstanceOf(PushError);
  });
});

/**
 * createStartLimiter: what each refusal says, and that every option turns its rule off or changes it.
 * Unit level with an injected clock; the attacks themselves are in test/security/.
 */
import { createHash } from 'node:crypto';
import { createStartLimiter, PushError, type RateLimitStore, type StartAttempt } from '../../../lib';
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
  for (const a of attempts) refusal = await limiter.check(a);
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
  ] as const)('%s', async (_rule, limits, second, message, seconds) => {
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
    const store: RateLimitStore = { hit: async (key) => (hits.push(key), { count: 1, resetAt: 1 }) };
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

  test('a refused start is not counted by the rules after the one that refused it', async () => {
    const hits: string[] = [];
    const store: RateLimitStore = {
      hit: async (key) => {
        hits.push(key);
        return { count: key.startsWith('ip:') ? 99 : 1, resetAt: 1_000 };
      },
    };
    expect(await createStartLimiter({ store }).check(attempt())).toBeDefined();
    expect(hits).toEqual(['ip:192.0.2.1']);
  });
});

describe('the store', () => {
  test("a store's limit error (full) is the refusal", async () => {
    const full = new PushError('limit', 'full', { retryAfterSeconds: 3 });
    const limiter = createStartLimiter({ store: { hit: () => Promise.reject(full) } });
    expect(await limiter.check(attempt())).toBe(full);
  });

  test('any other store failure propagates (the app reports it; the start does not go through)', async () => {
    const down = new Error('redis down');
    const limiter = createStartLimiter({ store: { hit: () => Promise.reject(down) } });
    await expect(limiter.check(attempt())).rejects.toBe(down);
    const protocol = new PushError('protocol', 'bad reply');
    const limiter2 = createStartLimiter({ store: { hit: () => Promise.reject(protocol) } });
    await expect(limiter2.check(attempt())).rejects.toBe(protocol);
  });
});

describe('what the counter store holds', () => {
  test('a key names a user ID only by a hash of it (IDs such as personal numbers are personal data)', async () => {
    const keys: string[] = [];
    const store: RateLimitStore = {
      hit: async (key, windowMs, now) => {
        keys.push(key);
        return { count: 1, resetAt: now + windowMs };
      },
    };
    const limiter = createStartLimiter({ store });
    await limiter.check(attempt({ userId: '19851224-9874', clientId: 'client-1' }));
    expect(keys.filter((key) => key.startsWith('user'))).toHaveLength(3);
    for (const key of keys) {
      expect(key).not.toContain('19851224');
      expect(key).not.toContain('9874');
    }
  });

  test('the ID part of a key is the documented pseudonym: SHA-256 of the lower-cased ID, 22 base64url characters', async () => {
    // docs/limits.md: unkeyed, so every instance (and every release) counts an ID under one key.
    const keys: string[] = [];
    const store: RateLimitStore = {
      hit: async (key, windowMs, now) => {
        keys.push(key);
        return { count: 1, resetAt: now + windowMs };
      },
    };
    await createStartLimiter({ store }).check(attempt({ userId: 'Alice', clientId: 'c' }));
    const hash = createHash('sha256').update('alice').digest('base64url').slice(0, 22);
    expect(keys.filter((key) => key.startsWith('user'))).toEqual([
      `user-client:${hash}:c`,
      `user-window:${hash}`,
      `user:${hash}`,
    ]);
  });

  test('one ID in any letter case is one counter', async () => {
    const limiter = createStartLimiter({ ...off, userCooldownMs: 60_000 });
    expect(await limiter.check(attempt({ userId: 'Alice', sessionId: 'a' }))).toBeUndefined();
    expect(await limiter.check(attempt({ userId: 'ALICE', sessionId: 'b' }))).toBeInstanceOf(PushError);
  });
});

/**
 * Flushing the in-memory limiter: a flood must not evict anybody's live counter. With the default
 * limits and the default store (100 000 keys), an address that floods with fresh sessions and IDs
 * stays refused and its victim's per-ID window still holds afterwards. The clock is injected: the
 * flood "lasts" 54 s without any real time passing.
 */
import { createStartLimiter, MemoryRateLimitStore, PushError, type StartAttempt } from '../../lib';
import { manualClock } from '../helpers/clock';

const FLOOD_SECONDS = 54;
/** Store sizes to flood. The mutation run (stryker.config.mjs) keeps only the small one, for time. */
const SIZES = (process.env['LIMITER_FLOOD_SIZES'] ?? '1000,100000').split(',').map(Number);

/** A limiter with its store and a record of who got a push. */
function limiterOn(store: MemoryRateLimitStore) {
  const clock = manualClock();
  const limiter = createStartLimiter({ store });
  const pushesTo = new Map<string, number>();
  const refusals: PushError[] = [];
  let sessions = 0;
  async function start(attempt: Omit<StartAttempt, 'now' | 'sessionId'> & { sessionId?: string }) {
    const refusal = await limiter.check({ sessionId: `s${sessions++}`, ...attempt, now: clock.now() });
    if (refusal) {
      refusals.push(refusal);
      return false;
    }
    if (attempt.userId) pushesTo.set(attempt.userId, (pushesTo.get(attempt.userId) ?? 0) + 1);
    return true;
  }
  return { clock, start, pushesTo, refusals };
}

describe.each(SIZES)('a store of %i keys', (maxKeys) => {
  const requests = Math.round(maxKeys * 0.88);
  const step = (FLOOD_SECONDS * 1000) / requests;

  test('one address flooding with fresh sessions and IDs stays refused, and its victim gets no fresh budget', async () => {
    const store = new MemoryRateLimitStore(maxKeys);
    const { clock, start, pushesTo } = limiterOn(store);
    const attacker = '203.0.113.9';
    // The attacker spends the victim's budget from its address: 10 pushes, 6 s apart.
    for (let i = 0; i < 12; i++) {
      await start({ userId: 'victim', ip: attacker });
      clock.advance(6_000);
    }
    expect(pushesTo.get('victim')).toBe(10);

    // Then floods to flush the counters: every request a new session and a new ID.
    let accepted = 0;
    for (let i = 0; i < requests; i++) {
      if (await start({ userId: `u${i}`, ip: attacker })) accepted += 1;
      clock.advance(step);
    }
    expect(accepted).toBe(38); // the per-IP 50 in 15 minutes, less the 12 starts for the victim
    expect(store.size).toBeLessThanOrEqual(maxKeys);

    // Three more minutes of pushes to the victim: still refused, from the address and its ID window.
    for (let i = 0; i < 30; i++) {
      expect(await start({ userId: 'victim', ip: attacker })).toBe(false);
      expect(await start({ userId: `late${i}`, ip: attacker })).toBe(false);
      clock.advance(6_000);
    }
    expect(pushesTo.get('victim')).toBe(10);
  });

  test('a flood from as many addresses as the store holds keys: no live counter is evicted, new keys are refused', async () => {
    const store = new MemoryRateLimitStore(maxKeys);
    const { clock, start, pushesTo, refusals } = limiterOn(store);
    for (let i = 0; i < maxKeys; i++) {
      await start({ userId: 'victim', ip: `a${i}` });
      clock.advance((FLOOD_SECONDS * 1000) / maxKeys);
    }
    expect(store.size).toBeLessThanOrEqual(maxKeys);
    expect(pushesTo.get('victim')).toBeLessThanOrEqual(30); // the per-ID ceiling
    expect(refusals.some((r) => r.kind === 'limit' && /right now/.test(r.message))).toBe(true);
    expect(
      refusals.every((r) => r.kind === 'limit' && r.code === 'rate_limited' && r.retryAfterSeconds! > 0),
    ).toBe(true);

    // Three minutes on, the victim's ceiling still holds for a new address.
    clock.advance(3 * 60_000);
    expect(await start({ userId: 'victim', ip: 'fresh' })).toBe(false);
    expect(pushesTo.get('victim')).toBeLessThanOrEqual(30);
  });
});

describe('MemoryRateLimitStore bounds', () => {
  test('a full store of live windows refuses a new key with a typed limit error, and keeps counting old ones', async () => {
    const store = new MemoryRateLimitStore(3);
    for (const key of ['a', 'b', 'c']) await store.hit(key, 60_000, 0);
    await expect(store.hit('d', 60_000, 1_000)).rejects.toMatchObject({
      kind: 'limit',
      code: 'rate_limited',
      retryAfterSeconds: 59,
    });
    expect(await store.hit('a', 60_000, 1_000)).toEqual({ count: 2, resetAt: 60_000 });
  });

  test('ended windows make room for new keys', async () => {
    const store = new MemoryRateLimitStore(3);
    for (const key of ['a', 'b', 'c']) await store.hit(key, 1_000, 0);
    expect(await store.hit('d', 1_000, 1_000)).toEqual({ count: 1, resetAt: 2_000 });
    expect(store.size).toBeLessThanOrEqual(3);
  });

  test('a key whose window began again is not dropped when its old window is swept', async () => {
    const store = new MemoryRateLimitStore(10);
    await store.hit('a', 1_000, 0);
    await store.hit('a', 1_000, 1_000); // new window, ends at 2 000
    await store.hit('a', 1_000, 1_500);
    await store.hit('b', 1_000, 1_500); // sweeps the stale entry of a's first window
    expect(await store.hit('a', 1_000, 1_600)).toEqual({ count: 3, resetAt: 2_000 });
  });

  test('a full store sweeps windows of every length before refusing, and names the earliest end', async () => {
    const store = new MemoryRateLimitStore(3);
    for (const key of ['a', 'b', 'c']) await store.hit(key, 1_000, 0);
    expect(await store.hit('long', 60_000, 1_000)).toEqual({ count: 1, resetAt: 61_000 });
    await store.hit('d', 10_000, 1_000);
    await store.hit('e', 10_000, 1_000);
    await expect(store.hit('f', 60_000, 2_000)).rejects.toMatchObject({
      kind: 'limit',
      retryAfterSeconds: 9,
    });
  });

  test('sweeping lags behind: a window ending before its entry is swept still starts over on time', async () => {
    const store = new MemoryRateLimitStore(100);
    for (const key of ['x1', 'x2', 'x3', 'a']) await store.hit(key, 1_000, 0);
    // This hit sweeps two ended windows (x1, x2); a's has ended too and must not count on.
    expect(await store.hit('a', 1_000, 1_000)).toEqual({ count: 1, resetAt: 2_000 });
  });

  test("sweeping a restarted key's old entry later leaves its live counter alone", async () => {
    const store = new MemoryRateLimitStore(100);
    for (const key of ['x1', 'x2', 'x3', 'x4', 'a']) await store.hit(key, 1_000, 0);
    await store.hit('a', 1_000, 1_000); // sweeps x1, x2; a starts again, its old entry still queued
    await store.hit('a', 1_000, 1_100);
    await store.hit('y', 1_000, 1_100); // sweeps x3, x4
    await store.hit('z', 1_000, 1_100); // sweeps a's old entry: a's live window must stay
    expect(await store.hit('a', 1_000, 1_200)).toEqual({ count: 3, resetAt: 2_000 });
  });

  test('ended windows are swept as hits go by, without the store being full', async () => {
    const store = new MemoryRateLimitStore(1_000_000);
    for (let i = 0; i < 5_000; i++) await store.hit(`k${i}`, 1_000, i);
    expect(store.size).toBeLessThanOrEqual(1_001);
  });
});

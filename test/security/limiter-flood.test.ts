/**
 * Flushing the in-memory limiter: a flood must not evict the counters that matter, nor make the
 * store refuse everyone. With the default limits and the default store (100 000 keys), an address
 * that floods with fresh sessions and IDs stays refused and its victim's per-ID window still holds
 * afterwards; a full store sheds single-hit counters, never a spent window. The clock is injected:
 * the flood "lasts" 54 s without any real time passing.
 */
import { createStartLimiter, PushError, type StartAttempt } from '../../lib';
import { MemoryRateLimitStore } from '../../lib/core/limits';
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
    const full = { sessionId: `s${sessions++}`, ...attempt, now: clock.now() };
    const refusal = await limiter.check(full);
    if (refusal) {
      refusals.push(refusal);
      return false;
    }
    await limiter.settle(full, true); // the push was sent
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

  test('a flood from as many addresses as the store holds keys: the spent ceiling survives, newcomers are not refused', async () => {
    const store = new MemoryRateLimitStore(maxKeys);
    const { clock, start, pushesTo, refusals } = limiterOn(store);
    // The attacker spends the victim's ceiling first: 30 real pushes from 40 addresses, 6 s apart.
    for (let i = 0; i < 40; i++) {
      await start({ userId: 'victim', ip: `198.18.0.${i}` });
      clock.advance(6_000);
    }
    expect(pushesTo.get('victim')).toBe(30);
    // Then floods from as many addresses as the store holds keys, a new ID each time.
    for (let i = 0; i < maxKeys; i++) {
      await start({ userId: `u${i}`, ip: `a${i}` });
      clock.advance((FLOOD_SECONDS * 1000) / maxKeys);
    }
    expect(store.size).toBeLessThanOrEqual(maxKeys);
    expect(refusals.every((r) => r.details['rule'] === 'perUserCeiling')).toBe(true);
    // The victim's spent ceiling (hit 30 times) was not shed: still refused from a new address.
    expect(await start({ userId: 'victim', ip: 'fresh' })).toBe(false);
    expect(pushesTo.get('victim')).toBe(30);
    // And a newcomer is not refused by a full store.
    expect(await start({ userId: 'newcomer', ip: 'new-address' })).toBe(true);
  });
});

describe('MemoryRateLimitStore bounds', () => {
  test('a full store of live windows sheds the oldest single-hit counter for a new key, and says so', async () => {
    const store = new MemoryRateLimitStore(3);
    await store.hit('a', 60_000, 0);
    await store.hit('a', 60_000, 0); // hit twice: kept
    for (const key of ['b', 'c']) await store.hit(key, 60_000, 0);
    expect(await store.hit('d', 60_000, 1_000)).toEqual({ count: 1, resetAt: 61_000, shed: 1 });
    expect(await store.peek('b', 1_000)).toEqual({ count: 0, resetAt: 1_000 }); // b went
    expect(await store.peek('a', 1_000)).toEqual({ count: 2, resetAt: 60_000 });
    expect(await store.peek('c', 1_000)).toEqual({ count: 1, resetAt: 60_000 });
    expect(store.size).toBe(3);
  });

  test('when every live counter was hit more than once, the oldest of the longest window goes', async () => {
    const store = new MemoryRateLimitStore(2);
    for (const key of ['a', 'a', 'b', 'b']) await store.hit(key, 60_000, 0);
    expect(await store.hit('c', 60_000, 0)).toMatchObject({ shed: 1 });
    expect((await store.peek('a', 0)).count).toBe(0);
    expect((await store.peek('b', 0)).count).toBe(2);
  });

  test('shedding the oldest skips counters already gone, so the store stays within maxKeys', async () => {
    const store = new MemoryRateLimitStore(2);
    for (const key of ['a', 'a']) await store.hit(key, 60_000, 0);
    await store.remove('a'); // its queue entry stays, dead
    for (const key of ['b', 'b', 'c', 'c']) await store.hit(key, 60_000, 0);
    expect(await store.hit('d', 60_000, 0)).toMatchObject({ shed: 1 });
    expect(store.size).toBe(2);
    expect((await store.peek('b', 0)).count).toBe(0);
    expect((await store.peek('c', 0)).count).toBe(2);
  });

  test('peek counts nothing and sees an ended window as empty', async () => {
    const store = new MemoryRateLimitStore(10);
    await store.hit('a', 1_000, 0);
    expect(await store.peek('a', 999)).toEqual({ count: 1, resetAt: 1_000 });
    expect(await store.peek('a', 999)).toEqual({ count: 1, resetAt: 1_000 });
    expect(await store.peek('a', 1_000)).toEqual({ count: 0, resetAt: 1_000 });
  });

  test('longer windows are shed before short cooldowns', async () => {
    const store = new MemoryRateLimitStore(2);
    await store.hit('cooldown', 5_000, 0);
    await store.hit('window', 900_000, 0);
    await store.hit('new', 5_000, 1);
    expect((await store.peek('cooldown', 1)).count).toBe(1);
    expect((await store.peek('window', 1)).count).toBe(0);
  });

  test('remove forgets a window; its old queue entry is skipped later', async () => {
    const store = new MemoryRateLimitStore(2);
    await store.hit('a', 60_000, 0);
    await store.remove('a');
    expect(await store.peek('a', 0)).toEqual({ count: 0, resetAt: 0 });
    await store.hit('b', 60_000, 0);
    await store.hit('c', 60_000, 0);
    expect(await store.hit('d', 60_000, 0)).toMatchObject({ shed: 1 });
    expect(store.size).toBe(2);
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

  test('a full store sweeps windows of every length before shedding a live one', async () => {
    const store = new MemoryRateLimitStore(3);
    for (const key of ['a', 'b', 'c']) await store.hit(key, 1_000, 0);
    expect(await store.hit('long', 60_000, 1_000)).toEqual({ count: 1, resetAt: 61_000 });
    await store.hit('d', 10_000, 1_000);
    await store.hit('e', 10_000, 1_000);
    expect(await store.hit('f', 60_000, 2_000)).toMatchObject({ count: 1, shed: 1 });
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

import { CLAIM_MARGIN_MS, MemoryCompletionStore } from '../../../lib/core/completion';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { SingleFlight } from '../../../lib/core/single-flight';

describe('MemoryCompletionStore', () => {
  test('a challenge id can be claimed once', async () => {
    const store = new MemoryCompletionStore(() => 0);
    expect(await store.claim('a', 100)).toBe(true);
    expect(await store.claim('a', 100)).toBe(false);
    expect(await store.claim('b', 100)).toBe(true);
  });

  test('a claim for a deadline that has come (or is no number) is refused: no late completion', async () => {
    const store = new MemoryCompletionStore(() => 1000);
    expect(await store.claim('a', 1000)).toBe(false);
    expect(await store.claim('b', 999)).toBe(false);
    expect(await store.claim('c', Number.NaN)).toBe(false);
    expect(await store.claim('d', 1001)).toBe(true);
  });

  test('a claim is held until its deadline plus CLAIM_MARGIN_MS, then forgotten (memory stays bounded)', async () => {
    let now = 0;
    const store = new MemoryCompletionStore(() => now);
    expect(await store.claim('a', 100)).toBe(true);
    now = 100 + CLAIM_MARGIN_MS - 1;
    expect(await store.claim('a', now + 1000)).toBe(false);
    // Forgotten: the id could be claimed again, were it ever reused (ids are random, so it is not).
    now = 100 + CLAIM_MARGIN_MS;
    expect(await store.claim('a', now + 1000)).toBe(true);
  });
});

describe('MemoryRateLimitStore', () => {
  test('counts hits in a fixed window, then starts over', async () => {
    const store = new MemoryRateLimitStore();
    expect(await store.hit('k', 1000, 0)).toEqual({ count: 1, resetAt: 1000 });
    expect(await store.hit('k', 1000, 999)).toEqual({ count: 2, resetAt: 1000 });
    expect(await store.hit('k', 1000, 1000)).toEqual({ count: 1, resetAt: 2000 });
  });

  test('holds at most maxKeys windows: a new key sheds a single-hit one, never one hit again', async () => {
    const store = new MemoryRateLimitStore(10);
    for (let i = 0; i < 10; i++) await store.hit(`k${i}`, 60_000, 0);
    await store.hit('k0', 60_000, 0); // k0 counted twice
    for (let i = 10; i < 100; i++)
      expect(await store.hit(`k${i}`, 60_000, 0)).toMatchObject({ count: 1, shed: 1 });
    expect(store.size).toBe(10);
    expect(await store.hit('k0', 60_000, 0)).toEqual({ count: 3, resetAt: 60_000 });
  });
});

describe('SingleFlight', () => {
  test('concurrent calls for one key share one run; later calls start a new one', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const call = () => new Promise<number>((resolve) => setImmediate(() => resolve(++runs)));
    const [a, b] = await Promise.all([flight.run('k', call), flight.run('k', call)]);
    expect([a, b]).toEqual([1, 1]);
    expect(await flight.run('k', call)).toBe(2);
  });
});

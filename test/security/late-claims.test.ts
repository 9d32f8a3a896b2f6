/**
 * Late completions: a challenge completes at most once, ever. A claim is held until the deadline has
 * passed plus a margin, and a claim for a deadline already past is refused, so polls racing after
 * the deadline (five tabs, retried requests) log nobody in. Memory store, and Redis on a real
 * redis-server (skipped with a message when there is none).
 */
import { createClient } from 'redis';
import type { CompletionStore } from '../../lib';
import { CLAIM_MARGIN_MS, MemoryCompletionStore } from '../../lib/core/completion';
import { RedisCompletionStore } from '../../lib/stores/redis';
import { manualClock, type ManualClock } from '../helpers/clock';
import { hasRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { ioRedis, type ConnectedRedis } from '../helpers/redis-clients';

/** The attacks, for any store built on the given clock. */
function lateCompletions(make: (clock: ManualClock) => CompletionStore) {
  test('five concurrent polls after the deadline: none completes, though one claimed in time', async () => {
    const clock = manualClock();
    const store = make(clock);
    const expiresAt = clock.now() + 1_000;
    expect(await store.claim('c1', expiresAt)).toBe(true);
    clock.advance(1_001);
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim('c1', expiresAt)));
    expect(claims).toEqual([false, false, false, false, false]);
  });

  test('a challenge never claimed cannot be claimed after its deadline, by any of five polls', async () => {
    const clock = manualClock();
    const store = make(clock);
    const expiresAt = clock.now() + 1_000;
    clock.advance(1_000);
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim('c2', expiresAt)));
    expect(claims).toEqual([false, false, false, false, false]);
  });

  test('a claim outlives its deadline by the margin, and is still refused long after', async () => {
    const clock = manualClock();
    const store = make(clock);
    const expiresAt = clock.now() + 1_000;
    expect(await store.claim('c3', expiresAt)).toBe(true);
    expect(await store.claim('c3', expiresAt)).toBe(false);
    clock.advance(1_000 + CLAIM_MARGIN_MS - 1);
    expect(await store.claim('c3', expiresAt)).toBe(false);
    clock.advance(10 * CLAIM_MARGIN_MS);
    expect(await store.claim('c3', expiresAt)).toBe(false);
  });

  test('five concurrent polls before the deadline: exactly one completes', async () => {
    const clock = manualClock();
    const store = make(clock);
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim('c4', clock.now() + 500)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
}

describe('MemoryCompletionStore', () => {
  lateCompletions((clock) => new MemoryCompletionStore(clock.now));

  test('claims held past the margin are forgotten (the map does not grow without bound)', async () => {
    const clock = manualClock();
    const store = new MemoryCompletionStore(clock.now);
    for (let i = 0; i < 100; i++) await store.claim(`old${i}`, clock.now() + 1_000);
    clock.advance(1_000 + CLAIM_MARGIN_MS);
    await store.claim('new', clock.now() + 1_000);
    expect((store as unknown as { claimed: Map<string, number> }).claimed.size).toBe(1);
  });
});

describe('RedisCompletionStore, commands as sent', () => {
  test('SET NX with a PX covering the time left plus the margin; nothing sent for a past deadline', async () => {
    const clock = manualClock();
    const sent: string[][] = [];
    const store = new RedisCompletionStore(
      { sendCommand: async (args: string[]) => (sent.push(args), 'OK') },
      'p:',
      clock.now,
    );
    expect(await store.claim('c', clock.now() + 1_500.5)).toBe(true);
    // The value: '1' and this attempt's own token (so only it can release a claim it gave up on).
    expect(sent).toEqual([
      ['SET', 'p:{c}', expect.stringMatching(/^1\|[\w-]{16}$/), 'NX', 'PX', String(1_501 + CLAIM_MARGIN_MS)],
    ]);
    expect(await store.claim('late', clock.now())).toBe(false);
    expect(await store.claim('nan', Number.NaN)).toBe(false);
    expect(sent).toHaveLength(1);
  });

  test('anything but OK is a refusal (the key existed)', async () => {
    const store = new RedisCompletionStore({ sendCommand: async () => null }, 'p:', () => 0);
    expect(await store.claim('c', 1_000)).toBe(false);
  });
});

const redisAvailable = hasRedisServer();
if (!redisAvailable)
  console.log('RedisCompletionStore on a real server skipped: redis-server is not on PATH.');

(redisAvailable ? describe : describe.skip)('RedisCompletionStore on a real redis-server', () => {
  let server: RedisServer;
  let redis: ReturnType<typeof createClient>;
  let run = 0;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = createClient({ url: server.url });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.close();
    await server?.stop();
  });

  // Each test its own prefix: Redis's own clock keeps running, only the store's clock is injected.
  lateCompletions((clock) => new RedisCompletionStore(redis, `t${run++}:`, clock.now));

  test('a server that lost its scripts (SCRIPT FLUSH, as after a restart) still decides once', async () => {
    const store = new RedisCompletionStore(redis, 'flush:', () => 0);
    await expect(store.decide('c', 10_000, 'denied')).resolves.toEqual({ decided: true, ending: 'denied' });
    await redis.sendCommand(['SCRIPT', 'FLUSH']);
    await expect(store.decide('c', 10_000, 'approved')).resolves.toEqual({
      decided: false,
      ending: 'denied',
    });
  });

  describe('on ioredis', () => {
    let ioredis: ConnectedRedis;
    beforeAll(async () => {
      ioredis = await ioRedis.connect(server);
    });
    afterAll(() => ioredis?.close());
    lateCompletions((clock) => new RedisCompletionStore(ioredis.client, `io${run++}:`, clock.now));
  });

  test('the key lives at least until the deadline plus the margin', async () => {
    const store = new RedisCompletionStore(redis, 'ttl:', () => 0);
    expect(await store.claim('c', 10_000)).toBe(true);
    expect(await redis.pTTL('ttl:{c}')).toBeGreaterThan(10_000 + CLAIM_MARGIN_MS - 5_000);
  });
});

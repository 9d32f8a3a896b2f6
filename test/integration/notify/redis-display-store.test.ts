/**
 * The display in Redis: written by the instance that started the challenge, read by any other (a
 * reload served elsewhere still shows the access pass), gone at the challenge's expiry, capped in
 * size, and a corrupt value is a miss, never a crash. Spawns its own redis-server; skipped with a
 * message when there is none.
 */
import { createClient } from 'redis';
import { RedisDisplayStore } from '../../../lib/stores/redis-display-store';
import { randomDesign, renderAccessPass, toDataUrl } from '../../../lib/testing/secsign-id-access-pass';
import { manualClock } from '../../helpers/clock';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { CLIENT_KINDS } from '../../helpers/redis-clients';
import { runsWith } from '../../helpers/system-tool';
import type { RedisStoresClient } from '../../../lib/stores/redis-stores';

// Skipped with the install line on a machine without redis-server; failed in CI.
const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server');
const describeWithRedis = withRedis ? describe : describe.skip;

const connectTo = (url: string) => createClient({ url });
type Client = ReturnType<typeof connectTo>;
const MINUTE = 60_000;

describeWithRedis.each(CLIENT_KINDS)('RedisDisplayStore on $name', (kind) => {
  let server: RedisServer;
  /** Raw node-redis connections that look at what the stores wrote. */
  let a: Client;
  let b: Client;
  /** The stores' connections, of the client library under test. */
  let storeA: RedisStoresClient;
  let storeB: RedisStoresClient;
  const closers: (() => Promise<void>)[] = [];
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    server = await startRedisServer();
    a = connectTo(server.url);
    b = connectTo(server.url);
    await Promise.all([a.connect(), b.connect()]);
    const connected = await Promise.all([kind.connect(server), kind.connect(server)]);
    [storeA, storeB] = connected.map(({ client }) => client) as [RedisStoresClient, RedisStoresClient];
    closers.push(...connected.map(({ close }) => close));
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), ...closers.map((close) => close())]);
    await server?.stop();
  });

  it('a display stored by one instance is read by another, exactly', async () => {
    const display = { accessPass: toDataUrl(renderAccessPass(randomDesign())), instruction: 'Pick it' };
    await new RedisDisplayStore(storeA, { now: clock.now }).set('c1', display, clock.now() + MINUTE);
    await expect(new RedisDisplayStore(storeB, { now: clock.now }).get('c1')).resolves.toEqual(display);
  });

  it('stores under the prefix, the id in a hash tag, with a TTL no longer than the time left', async () => {
    await new RedisDisplayStore(storeA, { now: clock.now }).set(
      'c2',
      { instruction: 'x' },
      clock.now() + MINUTE,
    );
    const ttl = await b.pTTL('push:display:{c2}');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(MINUTE);
  });

  it('stores nothing for a challenge that has already expired', async () => {
    await new RedisDisplayStore(storeA, { now: clock.now }).set('c3', { instruction: 'x' }, clock.now());
    await expect(b.exists('push:display:{c3}')).resolves.toBe(0);
  });

  it('delete() removes it for every instance', async () => {
    const store = new RedisDisplayStore(storeA, { now: clock.now });
    await store.set('c4', { instruction: 'x' }, clock.now() + MINUTE);
    await store.delete('c4');
    await expect(new RedisDisplayStore(storeB).get('c4')).resolves.toBeUndefined();
  });

  it('refuses a display over the cap with a typed limit error, storing nothing', async () => {
    const store = new RedisDisplayStore(storeA, { now: clock.now });
    await expect(
      store.set('c5', { accessPass: 'data:image/png;base64,' + 'A'.repeat(70_000) }, clock.now() + MINUTE),
    ).rejects.toMatchObject({ kind: 'limit', code: 'display_too_large' });
    await expect(b.exists('push:display:{c5}')).resolves.toBe(0);
  });

  it.each([
    ['not JSON', '{'],
    ['JSON null', 'null'],
    ['an array', '["data:image/png;base64,AAAA"]'],
    ['a field that is not text', '{"accessPass":{"src":"x"}}'],
    ['an oversized value', JSON.stringify({ instruction: 'x'.repeat(70_000) })],
  ])('treats %s in Redis as a miss', async (_name, value) => {
    await a.set('push:display:{bad}', value);
    await expect(new RedisDisplayStore(storeB).get('bad')).resolves.toBeUndefined();
  });

  it('keeps its keys under its own prefix (another app on the same Redis)', async () => {
    const mine = new RedisDisplayStore(storeA, { prefix: 'app1:display:', now: clock.now });
    await mine.set('c6', { instruction: 'mine' }, clock.now() + MINUTE);
    await expect(new RedisDisplayStore(storeB).get('c6')).resolves.toBeUndefined();
    await expect(new RedisDisplayStore(storeB, { prefix: 'app1:display:' }).get('c6')).resolves.toEqual({
      instruction: 'mine',
    });
  });

  it('refuses a size cap that is not a positive integer', () => {
    expect(() => new RedisDisplayStore(storeA, { maxEntryBytes: 0 })).toThrow(/maxEntryBytes/);
  });
});

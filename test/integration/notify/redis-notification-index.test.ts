/**
 * The notification index in Redis, as two instances share it: the first challenge to add a key
 * keeps it, and only that challenge's removal deletes it (a compare-and-delete script), so another
 * session starting and ending a login for the same ID cannot clear it. Spawns its own redis-server.
 */
import { RedisNotificationIndex } from '../../../lib/stores/redis-notification-index';
import { manualClock } from '../../helpers/clock';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { runsWith } from '../../helpers/system-tool';
import { CLIENT_KINDS } from '../../helpers/redis-clients';
import type { RedisStoresClient } from '../../../lib/stores/redis-stores';

const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server');

(withRedis ? describe : describe.skip).each(CLIENT_KINDS)('RedisNotificationIndex on $name', (kind) => {
  let server: RedisServer;
  let storeA: RedisStoresClient;
  let storeB: RedisStoresClient;
  const closers: (() => Promise<void>)[] = [];
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    server = await startRedisServer();
    const connected = await Promise.all([kind.connect(server), kind.connect(server)]);
    [storeA, storeB] = connected.map(({ client }) => client) as [RedisStoresClient, RedisStoresClient];
    closers.push(...connected.map(({ close }) => close));
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await server?.stop();
  });

  test('the first challenge keeps its key; another one neither takes it nor removes it', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('alice', 'victim', clock.now() + 60_000);
    await onB.add('alice', 'attacker', clock.now() + 60_000);
    expect(await onA.find('alice')).toBe('victim');
    await onB.remove('alice', 'attacker');
    expect(await onB.find('alice')).toBe('victim');
    await onA.remove('alice', 'victim');
    expect(await onB.find('alice')).toBeUndefined();
  });
});

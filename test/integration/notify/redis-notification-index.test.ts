/**
 * The notification index in Redis, as two instances share it: the first challenge to add a key
 * keeps it, and only that challenge's removal deletes it (a compare-and-delete script), so another
 * session starting and ending a login for the same ID cannot clear it. Spawns its own redis-server.
 */
import { createClient } from 'redis';
import { RedisNotificationIndex } from '../../../lib/stores/redis-notification-index';
import { manualClock } from '../../helpers/clock';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { runsWith } from '../../helpers/system-tool';

const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server');
const connectTo = (url: string) => createClient({ url });

(withRedis ? describe : describe.skip)('RedisNotificationIndex', () => {
  let server: RedisServer;
  let a: ReturnType<typeof connectTo>;
  let b: ReturnType<typeof connectTo>;
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    server = await startRedisServer();
    a = connectTo(server.url);
    b = connectTo(server.url);
    await Promise.all([a.connect(), b.connect()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  test('the first challenge keeps its key; another one neither takes it nor removes it', async () => {
    const onA = new RedisNotificationIndex(a, { now: clock.now });
    const onB = new RedisNotificationIndex(b, { now: clock.now });
    await onA.add('alice', 'victim', clock.now() + 60_000);
    await onB.add('alice', 'attacker', clock.now() + 60_000);
    expect(await onA.find('alice')).toBe('victim');
    await onB.remove('alice', 'attacker');
    expect(await onB.find('alice')).toBe('victim');
    await onA.remove('alice', 'victim');
    expect(await onB.find('alice')).toBeUndefined();
  });
});

/**
 * `redisStores(client)`: one client, every store, and the pub/sub connection handled whole: made
 * with `client.duplicate()` and closed by `close()`, or the app's own (never closed here), and never
 * left open when subscribing fails.
 */
import type { RedisMessageListener } from '../../../lib/stores/redis-notification-bus';
import { redisStores, type RedisStoresClient } from '../../../lib/stores/redis-stores';

/** A fake node-redis client recording the keys and channels it is asked about. */
function fakeClient(subscribeFails = false) {
  const log: string[] = [];
  const connection = {
    connected: false,
    closed: false,
    async connect() {
      this.connected = true;
    },
    async close() {
      this.closed = true;
    },
    async subscribe(channel: string, _listener: RedisMessageListener) {
      if (subscribeFails) throw new Error('subscribe refused');
      log.push(`subscribe ${channel}`);
    },
    async unsubscribe(channel: string) {
      log.push(`unsubscribe ${channel}`);
    },
  };
  let duplicates = 0;
  const client: RedisStoresClient = {
    // EVALSHA sha numkeys key…: logged as `eval key`.
    sendCommand: async ([command = '', first = '', , key = '']) => {
      if (command === 'EVALSHA') return (log.push(`eval ${key}`), [1, 60_000]);
      log.push(`${command.toLowerCase()} ${first}`);
      return command === 'SET' ? 'OK' : command === 'GET' ? null : 1;
    },
    duplicate: () => (duplicates++, connection),
  };
  return { client, connection, log, duplicates: () => duplicates };
}

test('by default the bus subscribes on client.duplicate(), connected here and closed by close()', async () => {
  const { client, connection, log, duplicates } = fakeClient();
  const stores = await redisStores(client);
  expect(duplicates()).toBe(1);
  expect(connection.connected).toBe(true);
  expect(log).toEqual(['subscribe push:notify']);
  await stores.close();
  expect(log).toContain('unsubscribe push:notify');
  expect(connection.closed).toBe(true);
});

test("the app's own subscriber is used and left open", async () => {
  const { client, connection, duplicates } = fakeClient();
  const log: string[] = [];
  const subscriber = {
    subscribe: async (channel: string) => void log.push(`subscribe ${channel}`),
    unsubscribe: async (channel: string) => void log.push(`unsubscribe ${channel}`),
  };
  const stores = await redisStores(client, { subscriber });
  await stores.close();
  expect(duplicates()).toBe(0);
  expect(log).toEqual(['subscribe push:notify', 'unsubscribe push:notify']);
  expect(connection.closed).toBe(false);
});

test('every key and the channel carry the prefix', async () => {
  const { client, log } = fakeClient();
  const stores = await redisStores(client, { prefix: 'shop:', now: () => 0 });
  await stores.completions.claim('c1', 60_000);
  await stores.rateLimits.hit('k1', 60_000, 0);
  await stores.notificationIndex.add('h1', 'c1', 60_000);
  await stores.displays.set('c1', { bindingMessage: 'AB12' }, 60_000);
  await stores.notificationBus.publish('c1', { type: 'check' });
  expect(log).toEqual([
    'subscribe shop:notify',
    'set shop:done:{c1}',
    'eval shop:limit:k1',
    'set shop:notify-key:h1',
    'set shop:display:{c1}',
    'publish shop:notify',
  ]);
  await stores.close();
});

test('a subscription that fails closes the connection made for it and says why', async () => {
  const { client, connection } = fakeClient(true);
  await expect(redisStores(client)).rejects.toThrow('subscribe refused');
  expect(connection.closed).toBe(true);
});

test('the shared parts say so: the strategy then needs its secret', async () => {
  const { client } = fakeClient();
  const stores = await redisStores(client);
  expect(stores.rateLimits.shared).toBe(true);
  expect(stores.notificationIndex.shared).toBe(true);
  await stores.close();
});

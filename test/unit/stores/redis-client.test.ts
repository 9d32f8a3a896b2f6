/**
 * The one adapter between the stores and the app's Redis client: node-redis or ioredis, server or
 * cluster, told apart by shape; scripts by EVALSHA, loaded again with EVAL where a node lost them
 * (a restart, a new primary); an ioredis Cluster subscriber without sharded subscribers refused.
 */
import { RedisCompletionStore } from '../../../lib/stores/redis';
import { commandsOf, redisScript } from '../../../lib/stores/redis-client';
import { RedisNotificationBus } from '../../../lib/stores/redis-notification-bus';
import { redisStores } from '../../../lib/stores/redis-stores';

const SCRIPT = redisScript('return 1');

/** A server that knows no script until it was sent once with EVAL. */
function scriptCache() {
  const known = new Set<string>();
  const sent: string[] = [];
  const reply = (args: string[]): unknown => {
    const [command = '', first = ''] = args;
    sent.push(command);
    if (command === 'EVALSHA' && !known.has(first)) throw new Error('NOSCRIPT No matching script.');
    if (command === 'EVAL') known.add(SCRIPT.sha);
    return 1;
  };
  return { sent, reply };
}

test('node-redis: a script unknown to the node is sent once with EVAL, then by its SHA1', async () => {
  const server = scriptCache();
  const redis = commandsOf({ sendCommand: async (args: string[]) => server.reply(args) });
  expect(redis.cluster).toBe(false);
  await redis.script(SCRIPT, ['k'], []);
  await redis.script(SCRIPT, ['k'], []);
  expect(server.sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
});

test('ioredis: commands go through call(); a Cluster is a cluster', async () => {
  const calls: string[][] = [];
  const call = async (command: string, ...args: string[]) => (calls.push([command, ...args]), 'OK');
  const redis = commandsOf({ isCluster: true, call });
  expect(redis.cluster).toBe(true);
  await redis.run('k', ['SET', 'k', 'v']);
  expect(calls).toEqual([['SET', 'k', 'v']]);
  expect(commandsOf({ isCluster: false, call }).cluster).toBe(false);
});

test("node-redis cluster: a command goes to its first key's slot", async () => {
  const routed: (string | undefined)[] = [];
  const redis = commandsOf({
    masters: [],
    sendCommand: async (firstKey: string | undefined) => (routed.push(firstKey), 1),
  });
  expect(redis.cluster).toBe(true);
  await redis.script(SCRIPT, ['push:done:{c}'], []);
  expect(routed).toEqual(['push:done:{c}']);
});

test('an error other than NOSCRIPT is not retried: the store fails closed', async () => {
  const sent: string[] = [];
  const store = new RedisCompletionStore(
    {
      sendCommand: async ([command = '']: string[]) => {
        sent.push(command);
        throw new Error('LOADING Redis is loading the dataset in memory');
      },
    },
    'p:',
    () => 0,
  );
  await expect(store.decide('c', 60_000, 'approved')).rejects.toThrow('LOADING');
  // The decision once, not retried as EVAL; then the release of whatever a failed attempt may have set.
  expect(sent).toEqual(['EVALSHA', 'EVALSHA']);
});

/** An ioredis Cluster as far as the bus and redisStores see it. */
function ioCluster(shardedSubscribers: boolean) {
  const log: string[] = [];
  const connection = {
    isCluster: true,
    options: { shardedSubscribers },
    call: async () => 1,
    subscribe: async (channel: string) => log.push(`subscribe ${channel}`),
    unsubscribe: async (channel: string) => log.push(`unsubscribe ${channel}`),
    ssubscribe: async (channel: string) => log.push(`ssubscribe ${channel}`),
    sunsubscribe: async (channel: string) => log.push(`sunsubscribe ${channel}`),
    on: () => undefined,
    off: () => undefined,
    quit: async () => log.push('quit'),
  };
  const duplicates: unknown[][] = [];
  const client = {
    ...connection,
    call: async (command: string, channel: string) => (log.push(`${command} ${channel}`), 1),
    duplicate: (...args: unknown[]) => (
      duplicates.push(args),
      { ...connection, options: { shardedSubscribers: true } }
    ),
  };
  return { client, connection, log, duplicates };
}

test('on an ioredis Cluster, redisStores subscribes on a duplicate with sharded subscribers and publishes with SPUBLISH', async () => {
  const { client, log, duplicates } = ioCluster(false);
  const stores = await redisStores(client);
  expect(duplicates).toEqual([[[], { shardedSubscribers: true }]]);
  await stores.notificationBus.publish('c1', { type: 'check' });
  await stores.close();
  expect(log).toEqual(['ssubscribe push:notify', 'SPUBLISH push:notify', 'sunsubscribe push:notify', 'quit']);
});

test('an ioredis Cluster subscriber without sharded subscribers is a configuration error, not a silent bus', async () => {
  const { client, connection } = ioCluster(false);
  await expect(RedisNotificationBus.start(client, connection)).rejects.toMatchObject({
    kind: 'config',
    message: expect.stringMatching(/shardedSubscribers: true/),
  });
});

/**
 * The Redis clients an app may hand the stores, as suites iterate over them (`describe.each`):
 * node-redis and ioredis, each on one redis-server or on a cluster (test/helpers/redis-cluster.ts).
 * Every client is connected and closed here, as the app would; the session store stays on
 * node-redis (connect-redis 8+ speaks only node-redis).
 */
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { RedisSubscriber } from '../../lib/stores/redis-notification-bus';
import type { RedisStoresClient } from '../../lib/stores/redis-stores';

/** Where Redis listens: one server's URL, or every primary of a cluster. */
export type RedisTarget = { url: string } | { nodes: { host: string; port: number }[] };

/** A connected client and how to let it go. */
export interface ConnectedRedis {
  client: RedisStoresClient;
  close(): Promise<void>;
}

/** A connected pub/sub connection and how to let it go. */
export interface ConnectedSubscriber {
  subscriber: RedisSubscriber;
  close(): Promise<void>;
}

/** One client library, on a server or a cluster. */
export interface RedisClientKind {
  readonly name: 'node-redis' | 'ioredis';
  connect(target: RedisTarget): Promise<ConnectedRedis>;
  /** A connection for the bus's subscriptions (an ioredis Cluster with sharded subscribers). */
  subscriber(target: RedisTarget): Promise<ConnectedSubscriber>;
}

const urlsOf = (target: RedisTarget): string[] =>
  'url' in target ? [target.url] : target.nodes.map(({ host, port }) => `redis://${host}:${port}`);

/** node-redis: `createClient` on a server, `createCluster` on a cluster. */
export const nodeRedis: RedisClientKind = {
  name: 'node-redis',
  async connect(target) {
    if ('url' in target) {
      const client = createClient({ url: target.url });
      await client.connect();
      return { client, close: async () => void (await client.close()) };
    }
    const cluster = createCluster({ rootNodes: urlsOf(target).map((url) => ({ url })) });
    await cluster.connect();
    return { client: cluster, close: async () => void (await cluster.close()) };
  },
  async subscriber(target) {
    const { client, close } = await nodeRedis.connect(target);
    return { subscriber: client as unknown as RedisSubscriber, close };
  },
};

/**
 * ioredis's deadline for learning a cluster's slots (its default is 1 s): a busy machine took
 * longer, and the cluster client then gave up ("Failed to refresh slots cache", "None of startup
 * nodes is available"). Generous, since no test is about it.
 */
const SLOTS_REFRESH_MS = 10_000;

/** ioredis: `Redis` on a server, `Cluster` on a cluster. */
export const ioRedis: RedisClientKind = {
  name: 'ioredis',
  async connect(target) {
    const client =
      'url' in target
        ? new Redis(target.url, { lazyConnect: true })
        : new Cluster(target.nodes, { lazyConnect: true, slotsRefreshTimeout: SLOTS_REFRESH_MS });
    await client.connect();
    return { client, close: async () => void (await client.quit()) };
  },
  async subscriber(target) {
    const client =
      'url' in target
        ? new Redis(target.url, { lazyConnect: true })
        : new Cluster(target.nodes, {
            lazyConnect: true,
            shardedSubscribers: true,
            slotsRefreshTimeout: SLOTS_REFRESH_MS,
          });
    await client.connect();
    return { subscriber: client, close: async () => void (await client.quit()) };
  },
};

/** Both libraries, for `describe.each(CLIENT_KINDS)('… (%s)', …)` with `kind.name`. */
export const CLIENT_KINDS: readonly RedisClientKind[] = [nodeRedis, ioRedis];

/** A node-redis connection for connect-redis's session store on the same target. */
export async function sessionClient(target: RedisTarget) {
  if ('url' in target) {
    const client = createClient({ url: target.url });
    await client.connect();
    return client;
  }
  const cluster = createCluster({ rootNodes: urlsOf(target).map((url) => ({ url })) });
  await cluster.connect();
  return cluster;
}

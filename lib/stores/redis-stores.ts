/**
 * `redisStores(client)`: every shared store of a push login on one client (node-redis v5+ or
 * ioredis, one server or a cluster), as the one value `PushStrategy`'s `stores` takes. The
 * notification bus needs a connection of its own for pub/sub: by default `client.duplicate()`,
 * connected and later closed here.
 */
import type { PushStores } from '../core/push-stores';
import { RedisCompletionStore, RedisRateLimitStore } from './redis';
import { isIoRedis, type IoRedisClient, type NodeRedisClient, type NodeRedisCluster } from './redis-client';
import { RedisDisplayStore } from './redis-display-store';
import {
  RedisNotificationBus,
  type IoRedisSubscriber,
  type NodeRedisClusterSubscriber,
  type NodeRedisSubscriber,
  type RedisSubscriber,
} from './redis-notification-bus';
import { RedisNotificationIndex } from './redis-notification-index';

/** node-redis's own connections: opened with `connect()`, closed with `close()`. */
interface NodeRedisConnection {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Closes the connection. */
  close(): Promise<unknown>;
}

/** ioredis connects by itself and closes with `quit()`. */
interface IoRedisConnection {
  /** Closes the connection once its replies are in. */
  quit(): Promise<unknown>;
}

/**
 * A connection `redisStores` makes for pub/sub with the client's `duplicate()`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisSubscriberConnection } from 'passport-push/redis';
 *
 * const connection: RedisSubscriberConnection = createClient().duplicate();
 * ```
 */
export type RedisSubscriberConnection =
  | (NodeRedisSubscriber & NodeRedisConnection)
  | (NodeRedisClusterSubscriber & NodeRedisConnection)
  | (IoRedisSubscriber & IoRedisConnection);

/**
 * One connected client for every Redis store: node-redis (`createClient()`, `createCluster()`) or
 * ioredis (`new Redis()`, `new Cluster([...])`), with the `duplicate()` it comes with.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { RedisStoresClient } from 'passport-push/redis';
 *
 * const client: RedisStoresClient = new Redis(); // node-redis: createClient(), connected
 * ```
 */
export type RedisStoresClient =
  | (NodeRedisClient & {
      /** A new connection with the client's options, for pub/sub. */
      duplicate(): NodeRedisSubscriber & NodeRedisConnection;
    })
  | (NodeRedisCluster & {
      /** A new cluster with the cluster's options, for sharded pub/sub. */
      duplicate(): NodeRedisClusterSubscriber & NodeRedisConnection;
    })
  | (IoRedisClient & {
      /** A new connection with the client's options, for pub/sub. */
      duplicate(): IoRedisSubscriber & IoRedisConnection;
    });

/**
 * Options of `redisStores`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStores } from 'passport-push/redis';
 *
 * const client = createClient();
 * await client.connect();
 * const stores = await redisStores(client, { prefix: 'shop:' });
 * ```
 */
export interface RedisStoresOptions {
  /**
   * The pub/sub connection of the notification bus, connected, when the app manages it (it is
   * then never closed here); an ioredis `Cluster` one needs `shardedSubscribers: true`. Default:
   * `client.duplicate()` (ioredis `Cluster`: with `shardedSubscribers: true`), connected now and
   * closed by `close()`.
   */
  subscriber?: RedisSubscriber;
  /** Put before every key and the channel (default `push:`), when apps share one Redis. */
  prefix?: string;
  /** The clock deadlines are compared with (tests move it). Default `Date.now`. */
  now?: () => number;
}

/**
 * The stores `redisStores` made, and how to let go of them.
 *
 * @example
 * ```ts
 * import type { RedisStores } from 'passport-push/redis';
 *
 * declare const stores: RedisStores;
 * await stores.close(); // at shutdown, before client.close()
 * ```
 */
export interface RedisStores extends PushStores {
  /** Leaves the bus's channel and closes the subscriber connection made here (not `client`). */
  close(): Promise<void>;
}

/**
 * Every shared store on one client (node-redis or ioredis, one server or a cluster): completion
 * claims, start-limit counters, the notification index and bus, and the wait page's displays. Give
 * it to `PushStrategy` as `stores` (with `secret`, the same on every instance); `pushLogin({ strategy })`
 * uses the same ones.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { PushStrategy } from 'passport-push';
 * import { redisStores } from 'passport-push/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const stores = await redisStores(client);
 * new PushStrategy({ provider, stores, secret: process.env.PUSH_SECRET }, async (subject) => findUser(subject));
 * ```
 */
export async function redisStores(
  client: RedisStoresClient,
  options: RedisStoresOptions = {},
): Promise<RedisStores> {
  const prefix = options.prefix ?? 'push:';
  const now = options.now ?? Date.now;
  let own: { close(): Promise<unknown> } | undefined;
  let subscriber = options.subscriber;
  if (!subscriber) {
    // A subscribed connection can run no other command: the bus gets one of its own.
    const made = await openSubscriber(client);
    own = made;
    subscriber = made.subscriber;
  }
  try {
    const notificationBus = await RedisNotificationBus.start(client, subscriber, {
      channel: `${prefix}notify`,
    });
    return {
      completions: new RedisCompletionStore(client, `${prefix}done:`, now),
      rateLimits: new RedisRateLimitStore(client, `${prefix}limit:`),
      notificationIndex: new RedisNotificationIndex(client, { prefix: `${prefix}notify-key:`, now }),
      notificationBus,
      displays: new RedisDisplayStore(client, { prefix: `${prefix}display:`, now }),
      close: async () => {
        await notificationBus.close();
        await own?.close();
      },
    };
  } catch (error) {
    await own?.close().catch(() => undefined);
    throw error;
  }
}

/** The client's `duplicate()`, connected, and how to close it. */
async function openSubscriber(
  client: RedisStoresClient,
): Promise<{ subscriber: RedisSubscriber; close(): Promise<unknown> }> {
  if (isIoRedis(client)) {
    // ioredis connects by itself; a Cluster routes SSUBSCRIBE to the shard only with this option.
    const subscriber = client.isCluster
      ? (client as unknown as ShardedDuplicate).duplicate([], { shardedSubscribers: true })
      : client.duplicate();
    return { subscriber, close: () => subscriber.quit() };
  }
  const subscriber = client.duplicate();
  await subscriber.connect();
  return { subscriber, close: () => subscriber.close() };
}

/** ioredis `Cluster#duplicate(startupNodes, options)`. */
interface ShardedDuplicate {
  duplicate(nodes: never[], options: { shardedSubscribers: true }): IoRedisSubscriber & IoRedisConnection;
}

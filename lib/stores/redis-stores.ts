/**
 * `redisStores(client)`: every shared store of a push login on one node-redis client (v5 or
 * later), as the one value `PushStrategy`'s `stores` takes. The notification bus needs a connection
 * of its own for pub/sub: by default `client.duplicate()`, connected and later closed here.
 */
import type { PushStores } from '../core/push-stores';
import { RedisCompletionStore, RedisRateLimitStore, type RedisCommands } from './redis';
import { RedisDisplayStore, type RedisDisplayCommands } from './redis-display-store';
import { RedisNotificationBus, type RedisPublisher, type RedisSubscriber } from './redis-notification-bus';
import { RedisNotificationIndex, type RedisIndexCommands } from './redis-notification-index';

/**
 * A connection `redisStores` makes for pub/sub, as node-redis's `client.duplicate()` gives it.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisSubscriberConnection } from 'passport-push/redis';
 *
 * const connection: RedisSubscriberConnection = createClient().duplicate();
 * ```
 */
export type RedisSubscriberConnection = RedisSubscriber & {
  /** Opens the connection (node-redis's `connect()`). */
  connect(): Promise<unknown>;
  /** Closes the connection (node-redis's `close()`). */
  close(): Promise<unknown>;
};

/**
 * The commands of every Redis store, as one connected node-redis client (v5+) offers them.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisStoresClient } from 'passport-push/redis';
 *
 * const client: RedisStoresClient = createClient(); // connect it before redisStores(client)
 * ```
 */
export type RedisStoresClient = RedisCommands &
  RedisDisplayCommands &
  RedisIndexCommands &
  RedisPublisher & {
    /** A new connection with the client's options, for pub/sub (node-redis's `duplicate()`). */
    duplicate(): RedisSubscriberConnection;
  };

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
   * then never closed here). Default: `client.duplicate()`, connected now and closed by `close()`.
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
 * Every shared store on one node-redis client: completion claims, start-limit counters, the
 * notification index and bus, and the wait page's displays. Give it to `PushStrategy` as `stores`
 * (with `secret`, the same on every instance); `pushLogin({ strategy })` uses the same ones.
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
  let own: RedisSubscriberConnection | undefined;
  let subscriber = options.subscriber;
  if (!subscriber) {
    // A subscribed connection can run no other command: the bus gets one of its own.
    own = client.duplicate();
    await own.connect();
    subscriber = own;
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

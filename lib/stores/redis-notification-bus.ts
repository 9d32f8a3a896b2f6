/**
 * The notification bus across instances, on Redis pub/sub (a node-redis or ioredis client passed in:
 * no dependency here; on a cluster, sharded pub/sub: `SPUBLISH`/`SSUBSCRIBE`, Redis 7 or later, so
 * a message travels only within the channel's shard). Each process subscribes to one channel once,
 * and every message names its challenge; the process fans it out to its own waiters through a
 * `MemoryNotificationBus`. So waiting on a challenge costs Redis nothing, and a challenge nobody waits on costs nothing
 * anywhere. A message that is not a well-formed notification is dropped.
 *
 * Pub/sub is at most once: a message published while this instance's subscriber is reconnecting
 * (the client subscribes again by itself) is lost. Waiters therefore never rely on the bus alone:
 * a long poll still answers at its timeout and a stream still re-reads every `recheckMs`.
 */
import {
  MemoryNotificationBus,
  type MemoryNotificationBusOptions,
  type NotificationBus,
  type NotificationEvent,
  type NotificationListener,
} from '../core/notification-bus';
import { PushError } from '../errors';
import { decodeNotification, encodeNotification } from './notification-message';
import { commandsOf, type RedisClient, type RedisCommandRunner } from './redis-client';

/**
 * Receives a channel's messages as text.
 *
 * @example
 * ```ts
 * import type { RedisMessageListener } from 'passport-push/redis';
 *
 * const listener: RedisMessageListener = (message, channel) => console.log(channel, message);
 * ```
 */
export type RedisMessageListener = (message: string, channel: string) => void;

/**
 * A node-redis (v5+) connection for pub/sub, `client.duplicate()`, connected. It must be a
 * connection of its own: a subscribed connection can run no other command.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { NodeRedisSubscriber } from 'passport-push/redis';
 *
 * const subscriber: NodeRedisSubscriber = createClient().duplicate();
 * ```
 */
export interface NodeRedisSubscriber {
  /** Redis `SUBSCRIBE channel`, calling `listener` with each message. */
  subscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  /** Redis `UNSUBSCRIBE channel` for that listener. */
  unsubscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
}

/**
 * A node-redis (v5+) cluster for sharded pub/sub, `cluster.duplicate()`, connected.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * import type { NodeRedisClusterSubscriber } from 'passport-push/redis';
 *
 * const subscriber: NodeRedisClusterSubscriber = createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] });
 * ```
 */
export interface NodeRedisClusterSubscriber {
  /** Redis `SSUBSCRIBE channel` on the channel's shard, calling `listener` with each message. */
  sSubscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  /** Redis `SUNSUBSCRIBE channel` for that listener. */
  sUnsubscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  /** The cluster's primaries (how a cluster is told from a client). */
  readonly masters: readonly unknown[];
}

/** The message events of an ioredis connection: (channel, message). */
type IoRedisMessageEvent = (channel: string, message: string) => void;

/**
 * An ioredis connection for pub/sub, `client.duplicate()`: a `Redis`, or a `Cluster` made with
 * `shardedSubscribers: true` (it then subscribes with `SSUBSCRIBE`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { IoRedisSubscriber } from 'passport-push/redis';
 *
 * const subscriber: IoRedisSubscriber = new Redis().duplicate();
 * ```
 */
export interface IoRedisSubscriber {
  /** `true` on an ioredis `Cluster`. */
  readonly isCluster: boolean;
  /** Redis `SUBSCRIBE channel`. */
  subscribe(channel: string): Promise<unknown>;
  /** Redis `UNSUBSCRIBE channel`. */
  unsubscribe(channel: string): Promise<unknown>;
  /** Redis `SSUBSCRIBE channel` (a cluster). */
  ssubscribe(channel: string): Promise<unknown>;
  /** Redis `SUNSUBSCRIBE channel` (a cluster). */
  sunsubscribe(channel: string): Promise<unknown>;
  /** Listens to `message` (or `smessage`, sharded) events. */
  on(event: string, listener: IoRedisMessageEvent): unknown;
  /** Stops listening. */
  off(event: string, listener: IoRedisMessageEvent): unknown;
}

/**
 * The pub/sub connection of the bus, of the same library and topology as the publishing client.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { RedisSubscriber } from 'passport-push/redis';
 *
 * const subscriber: RedisSubscriber = new Redis().duplicate();
 * ```
 */
export type RedisSubscriber = NodeRedisSubscriber | NodeRedisClusterSubscriber | IoRedisSubscriber;

/**
 * Options of `RedisNotificationBus.start`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisNotificationBus } from 'passport-push/redis';
 *
 * const redis = createClient();
 * await RedisNotificationBus.start(redis, redis.duplicate(), { channel: 'shop:notify' });
 * ```
 */
export interface RedisNotificationBusOptions extends MemoryNotificationBusOptions {
  /** The Redis channel every instance of the app shares (default `push:notify`). */
  channel?: string;
}

/**
 * A `NotificationBus` whose events reach the waiters of every instance subscribed to the channel.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisNotificationBus } from 'passport-push/redis';
 *
 * const redis = createClient();
 * const subscriber = redis.duplicate(); // pub/sub needs its own connection
 * await Promise.all([redis.connect(), subscriber.connect()]);
 * const bus = await RedisNotificationBus.start(redis, subscriber);
 * await bus.publish('challenge-id', { type: 'check' });
 * ```
 */
export class RedisNotificationBus implements NotificationBus {
  /** The channel used when none is given. */
  static readonly DEFAULT_CHANNEL = 'push:notify';

  private readonly local: MemoryNotificationBus;
  private readonly publisher: RedisCommandRunner;
  private readonly onMessage: RedisMessageListener = (message) => this.deliver(message);
  private closed = false;
  private unsubscribe: () => Promise<unknown> = async () => undefined;

  private constructor(
    publisher: RedisClient,
    private readonly channel: string,
    options: MemoryNotificationBusOptions,
  ) {
    this.publisher = commandsOf(publisher);
    this.local = new MemoryNotificationBus(options);
  }

  /**
   * Subscribes to the channel and resolves once Redis confirmed it: from then on, every event any
   * instance publishes reaches this one's waiters.
   */
  static async start(
    publisher: RedisClient,
    subscriber: RedisSubscriber,
    options: RedisNotificationBusOptions = {},
  ): Promise<RedisNotificationBus> {
    const { channel = RedisNotificationBus.DEFAULT_CHANNEL, ...local } = options;
    if (channel.length === 0)
      throw new PushError('config', 'RedisNotificationBus: channel must not be empty.');
    const bus = new RedisNotificationBus(publisher, channel, local);
    bus.unsubscribe = await listen(subscriber, channel, bus.onMessage);
    return bus;
  }

  /**
   * Sends the event through Redis; this instance's own waiters hear it when it comes back, like
   * everyone else's, so each waiter hears it exactly once.
   */
  async publish(challengeId: string, event: NotificationEvent): Promise<void> {
    if (this.closed) throw new PushError('config', 'RedisNotificationBus: publish after close().');
    // A cluster shards the channel (SPUBLISH): the message reaches the channel's shard only.
    const command = this.publisher.cluster ? 'SPUBLISH' : 'PUBLISH';
    await this.publisher.run(this.channel, [command, this.channel, encodeNotification(challengeId, event)]);
  }

  subscribe(challengeId: string, listener: NotificationListener): () => void {
    return this.local.subscribe(challengeId, listener);
  }

  /** Challenges this instance has waiters for. */
  get challengeCount(): number {
    return this.local.challengeCount;
  }

  /** Leaves the channel; the clients stay open (they are the app's). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.unsubscribe();
  }

  private deliver(message: string): void {
    const notification = decodeNotification(message);
    if (!notification) return;
    // A listener that throws has already been isolated from the others by the local bus; there is
    // no caller here to hand its error to, and the subscriber connection must keep running.
    this.local.publish(notification.challengeId, notification.event).catch(() => undefined);
  }
}

/** Subscribes `listener` to `channel` on whichever connection was given; resolves to its undo. */
async function listen(
  subscriber: RedisSubscriber,
  channel: string,
  listener: RedisMessageListener,
): Promise<() => Promise<unknown>> {
  if ('isCluster' in subscriber) {
    const sharded = subscriber.isCluster;
    if (sharded && !shardsSubscribers(subscriber)) {
      throw new PushError(
        'config',
        'RedisNotificationBus: an ioredis Cluster subscriber needs `shardedSubscribers: true` (sharded pub/sub).',
      );
    }
    const event = sharded ? 'smessage' : 'message';
    const onEvent: IoRedisMessageEvent = (from, message) => {
      if (from === channel) listener(message, from);
    };
    subscriber.on(event, onEvent);
    await (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));
    return async () => {
      subscriber.off(event, onEvent);
      return sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel);
    };
  }
  if ('masters' in subscriber) {
    await subscriber.sSubscribe(channel, listener);
    return () => subscriber.sUnsubscribe(channel, listener);
  }
  await subscriber.subscribe(channel, listener);
  return () => subscriber.unsubscribe(channel, listener);
}

/** ioredis routes SSUBSCRIBE to the channel's shard only on a Cluster made with this option. */
function shardsSubscribers(subscriber: object): boolean {
  const options = (subscriber as { options?: { shardedSubscribers?: unknown } }).options;
  return options?.shardedSubscribers === true;
}

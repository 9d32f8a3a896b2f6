/**
 * The notification bus across instances, on Redis pub/sub (the `redis` npm client, v5 or later,
 * passed in: no dependency here). Each process subscribes to one channel once, and every message
 * names its challenge; the process fans it out to its own waiters through a `MemoryNotificationBus`.
 * So waiting on a challenge costs Redis nothing, and a challenge nobody waits on costs nothing
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

/**
 * The one command publishing uses, as the `redis` client (v5+) offers it.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisPublisher } from 'passport-push/redis';
 *
 * const publisher: RedisPublisher = createClient();
 * ```
 */
export interface RedisPublisher {
  /** Redis `PUBLISH channel message`. */
  publish(channel: string, message: string): Promise<unknown>;
}

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
 * Subscribing, as the `redis` client (v5+) offers it. It must be a connection of its own
 * (`client.duplicate()`): a subscribed connection can run no other command.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisSubscriber } from 'passport-push/redis';
 *
 * const subscriber: RedisSubscriber = createClient().duplicate();
 * ```
 */
export interface RedisSubscriber {
  /** Redis `SUBSCRIBE channel`, calling `listener` with each message. */
  subscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  /** Redis `UNSUBSCRIBE channel` for that listener. */
  unsubscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
}

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
  private readonly onMessage: RedisMessageListener = (message) => this.deliver(message);
  private closed = false;

  private constructor(
    private readonly publisher: RedisPublisher,
    private readonly subscriber: RedisSubscriber,
    private readonly channel: string,
    options: MemoryNotificationBusOptions,
  ) {
    this.local = new MemoryNotificationBus(options);
  }

  /**
   * Subscribes to the channel and resolves once Redis confirmed it: from then on, every event any
   * instance publishes reaches this one's waiters.
   */
  static async start(
    publisher: RedisPublisher,
    subscriber: RedisSubscriber,
    options: RedisNotificationBusOptions = {},
  ): Promise<RedisNotificationBus> {
    const { channel = RedisNotificationBus.DEFAULT_CHANNEL, ...local } = options;
    if (channel.length === 0)
      throw new PushError('config', 'RedisNotificationBus: channel must not be empty.');
    const bus = new RedisNotificationBus(publisher, subscriber, channel, local);
    await subscriber.subscribe(channel, bus.onMessage);
    return bus;
  }

  /**
   * Sends the event through Redis; this instance's own waiters hear it when it comes back, like
   * everyone else's, so each waiter hears it exactly once.
   */
  async publish(challengeId: string, event: NotificationEvent): Promise<void> {
    if (this.closed) throw new PushError('config', 'RedisNotificationBus: publish after close().');
    await this.publisher.publish(this.channel, encodeNotification(challengeId, event));
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
    await this.subscriber.unsubscribe(this.channel, this.onMessage);
  }

  private deliver(message: string): void {
    const notification = decodeNotification(message);
    if (!notification) return;
    // A listener that throws has already been isolated from the others by the local bus; there is
    // no caller here to hand its error to, and the subscriber connection must keep running.
    this.local.publish(notification.challengeId, notification.event).catch(() => undefined);
  }
}

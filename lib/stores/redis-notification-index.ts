/**
 * The notification index in Redis (the `redis` npm client, v5 or later, passed in: no dependency
 * here), so a provider notification that reaches any instance finds its challenge. One key per
 * notification-key hash, `SET … NX PX` until the challenge's deadline (nothing is left after it),
 * removed only by its own challenge (a compare-and-delete script).
 */
import type { NotificationIndex } from '../core/notification-index';

/**
 * The four commands this index uses, as the `redis` client (v5+) offers them.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisNotificationIndex, type RedisIndexCommands } from 'passport-push/redis';
 *
 * const redis: RedisIndexCommands = createClient();
 * new RedisNotificationIndex(redis);
 * ```
 */
export interface RedisIndexCommands {
  /** Redis `SET key value [NX] PX ms` (node-redis option form). */
  set(
    key: string,
    value: string,
    options: { condition?: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
  /** Redis `GET key`: the value, or `null`. */
  get(key: string): Promise<string | null>;
  /** Redis `DEL key`. */
  del(key: string): Promise<unknown>;
  /** Redis `EVAL script numkeys keys… args…` (node-redis option form). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Deletes the key only while it holds this challenge's id: one atomic compare-and-delete. */
const REMOVE_IF_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Options of `RedisNotificationIndex`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisNotificationIndex } from 'passport-push/redis';
 *
 * new RedisNotificationIndex(createClient(), { prefix: 'shop:notify-key:' });
 * ```
 */
export interface RedisNotificationIndexOptions {
  /** Key prefix (default `push:notify-key:`). */
  prefix?: string;
  /** The clock `expiresAt` is compared with. */
  now?: () => number;
}

/**
 * A `NotificationIndex` every instance shares.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { PushStrategy } from 'passport-push';
 * import { RedisNotificationIndex } from 'passport-push/redis';
 *
 * const redis = createClient();
 * await redis.connect();
 * const notificationIndex = new RedisNotificationIndex(redis);
 * new PushStrategy(
 *   { provider, stores: { notificationIndex }, secret: process.env.PUSH_SECRET },
 *   async (subject) => findUser(subject),
 * );
 * ```
 */
export class RedisNotificationIndex implements NotificationIndex {
  /** Every instance reads it: the strategies need one `secret` to key its entries alike. */
  readonly shared = true;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisIndexCommands,
    options: RedisNotificationIndexOptions = {},
  ) {
    this.prefix = options.prefix ?? 'push:notify-key:';
    this.now = options.now ?? Date.now;
  }

  async add(keyHash: string, challengeId: string, expiresAt: number): Promise<void> {
    const ttlMs = Math.ceil(expiresAt - this.now());
    if (ttlMs <= 0) return;
    // NX: a live entry of another challenge stays (first wins, as in memory).
    await this.redis.set(this.prefix + keyHash, challengeId, {
      condition: 'NX',
      expiration: { type: 'PX', value: ttlMs },
    });
  }

  async find(keyHash: string): Promise<string | undefined> {
    const value = await this.redis.get(this.prefix + keyHash);
    // Anything but a plausible challenge id (a foreign or corrupt value) is a miss.
    return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
  }

  async remove(keyHash: string, challengeId?: string): Promise<void> {
    if (challengeId === undefined) {
      await this.redis.del(this.prefix + keyHash);
      return;
    }
    await this.redis.eval(REMOVE_IF_OWNED, { keys: [this.prefix + keyHash], arguments: [challengeId] });
  }
}

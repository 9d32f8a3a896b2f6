/**
 * The notification index in Redis (the `redis` npm client, v5 or later, passed in: no dependency
 * here), so a provider notification that reaches any instance finds its challenge. One key per
 * notification-key hash, `SET … PX` until the challenge's deadline: nothing is left after it.
 */
import type { NotificationIndex } from '../core/notification-index';

/** The three commands this index uses, as the `redis` client (v5+) offers them. */
export interface RedisIndexCommands {
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

/** Options of `RedisNotificationIndex`. */
export interface RedisNotificationIndexOptions {
  /** Key prefix (default `push:notify-key:`). */
  prefix?: string;
  /** The clock `expiresAt` is compared with. */
  now?: () => number;
}

/** A `NotificationIndex` every instance shares. */
export class RedisNotificationIndex implements NotificationIndex {
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
    await this.redis.set(this.prefix + keyHash, challengeId, { expiration: { type: 'PX', value: ttlMs } });
  }

  async find(keyHash: string): Promise<string | undefined> {
    const value = await this.redis.get(this.prefix + keyHash);
    // Anything but a plausible challenge id (a foreign or corrupt value) is a miss.
    return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
  }

  async remove(keyHash: string): Promise<void> {
    await this.redis.del(this.prefix + keyHash);
  }
}

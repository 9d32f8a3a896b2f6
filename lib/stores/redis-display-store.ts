/**
 * The wait page's display in Redis (the `redis` npm client, v5 or later, passed in: no dependency
 * here), so every instance can show it: a reload served by another instance still shows the access
 * pass. One key per challenge, JSON, `SET … PX` until the challenge's expiry; no timers, nothing
 * left behind in Redis after the expiry.
 */
import { MAX_DISPLAY_BYTES, parseDisplay, serializeDisplay, type DisplayStore } from '../core/display-store';
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';

/**
 * The three commands this store uses, as the `redis` client (v5+) offers them.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisDisplayStore, type RedisDisplayCommands } from 'passport-push/redis';
 *
 * const redis: RedisDisplayCommands = createClient();
 * new RedisDisplayStore(redis);
 * ```
 */
export interface RedisDisplayCommands {
  /** Redis `SET key value PX ms` (node-redis option form). */
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  /** Redis `GET key`: the value, or `null`. */
  get(key: string): Promise<string | null>;
  /** Redis `DEL key`. */
  del(key: string): Promise<unknown>;
}

/**
 * Options of `RedisDisplayStore`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisDisplayStore } from 'passport-push/redis';
 *
 * new RedisDisplayStore(createClient(), { prefix: 'shop:display:' });
 * ```
 */
export interface RedisDisplayStoreOptions {
  /** Key prefix (default `push:display:`); the challenge id follows it. */
  prefix?: string;
  /** Largest display stored or read back, in bytes of its JSON (default 64 KB). */
  maxEntryBytes?: number;
  /** The clock `expiresAt` is compared with. */
  now?: () => number;
}

/**
 * A `DisplayStore` every instance shares.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisDisplayStore } from 'passport-push/redis';
 *
 * const redis = createClient();
 * await redis.connect();
 * const displays = new RedisDisplayStore(redis); // a reload on another instance still shows the access pass
 * ```
 */
export class RedisDisplayStore implements DisplayStore {
  private readonly prefix: string;
  private readonly maxEntryBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisDisplayCommands,
    options: RedisDisplayStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'push:display:';
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_DISPLAY_BYTES;
    if (!Number.isInteger(this.maxEntryBytes) || this.maxEntryBytes < 1) {
      throw new PushError('config', 'RedisDisplayStore: maxEntryBytes must be a positive integer.');
    }
    this.now = options.now ?? Date.now;
  }

  async set(challengeId: string, display: ChallengeDisplay, expiresAt: number): Promise<void> {
    const json = serializeDisplay(display, this.maxEntryBytes);
    const ttlMs = Math.ceil(expiresAt - this.now());
    if (ttlMs <= 0) return;
    await this.redis.set(this.prefix + challengeId, json, { expiration: { type: 'PX', value: ttlMs } });
  }

  async get(challengeId: string): Promise<ChallengeDisplay | undefined> {
    const json = await this.redis.get(this.prefix + challengeId);
    return json === null ? undefined : parseDisplay(json, this.maxEntryBytes);
  }

  async delete(challengeId: string): Promise<void> {
    await this.redis.del(this.prefix + challengeId);
  }
}

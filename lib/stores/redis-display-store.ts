/**
 * The wait page's display in Redis (a node-redis or ioredis client, server or cluster, passed in: no
 * dependency here), so every instance can show it: a reload served by another instance still shows
 * the access pass. One key per challenge, JSON, `SET … PX` until the challenge's expiry; no timers, nothing
 * left behind in Redis after the expiry.
 */
import { MAX_DISPLAY_BYTES, parseDisplay, serializeDisplay, type DisplayStore } from '../core/display-store';
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';
import { challengeKey, commandsOf, type RedisClient, type RedisCommandRunner } from './redis-client';

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
  /** Key prefix (default `push:display:`); the challenge id follows it, in a hash tag (`{id}`). */
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
  private readonly redis: RedisCommandRunner;

  constructor(client: RedisClient, options: RedisDisplayStoreOptions = {}) {
    this.redis = commandsOf(client);
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
    const key = challengeKey(this.prefix, challengeId);
    await this.redis.run(key, ['SET', key, json, 'PX', String(ttlMs)]);
  }

  async get(challengeId: string): Promise<ChallengeDisplay | undefined> {
    const key = challengeKey(this.prefix, challengeId);
    const json = await this.redis.run(key, ['GET', key]);
    return typeof json === 'string' ? parseDisplay(json, this.maxEntryBytes) : undefined;
  }

  async delete(challengeId: string): Promise<void> {
    const key = challengeKey(this.prefix, challengeId);
    await this.redis.run(key, ['DEL', key]);
  }
}

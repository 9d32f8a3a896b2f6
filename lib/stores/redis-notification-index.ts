/**
 * The notification index in Redis (a node-redis or ioredis client, server or cluster, passed in: no
 * dependency here), so a provider notification that reaches any instance finds its challenge. One key per
 * notification-key hash, `SET … NX PX` until the challenge's deadline (nothing is left after it),
 * removed only by its own challenge (a compare-and-delete script). A notification is noted beside
 * it (`<key>:heard`, the challenge id and the time, until the entry's deadline or the challenge's
 * end), for a browser request that reaches another instance after the notification did.
 */
import type { NotificationIndex } from '../core/notification-index';
import { commandsOf, redisScript, type RedisClient, type RedisCommandRunner } from './redis-client';

/** Where a notification for the entry `key` is noted. */
function heardKey(key: string): string {
  return `${key}:heard`;
}

/** A plausible challenge id: anything else read back (a foreign or corrupt value) is a miss. */
const CHALLENGE_ID = '[A-Za-z0-9_-]{1,64}';
const ENTRY = new RegExp(`^${CHALLENGE_ID}$`);
/** A note as `noteNotification` writes it: `<challenge id> <epoch ms>`, nothing else. */
const NOTE = new RegExp(`^(${CHALLENGE_ID}) (\\d{1,16})$`);

/** Deletes the key only while it holds this challenge's id: one atomic compare-and-delete. */
const REMOVE_IF_OWNED = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** Deletes a note only while it is this challenge's (`<id> <time>`): another login's note stays. */
const REMOVE_NOTE_IF_OWNED = redisScript(`
local note = redis.call('GET', KEYS[1])
if note and string.sub(note, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then return redis.call('DEL', KEYS[1]) end
return 0`);

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
  private readonly redis: RedisCommandRunner;

  constructor(client: RedisClient, options: RedisNotificationIndexOptions = {}) {
    this.redis = commandsOf(client);
    this.prefix = options.prefix ?? 'push:notify-key:';
    this.now = options.now ?? Date.now;
  }

  async add(keyHash: string, challengeId: string, expiresAt: number): Promise<void> {
    const ttlMs = Math.ceil(expiresAt - this.now());
    if (ttlMs <= 0) return;
    // NX: a live entry of another challenge stays (first wins, as in memory).
    const key = this.prefix + keyHash;
    await this.redis.run(key, ['SET', key, challengeId, 'NX', 'PX', String(ttlMs)]);
  }

  async find(keyHash: string): Promise<string | undefined> {
    const key = this.prefix + keyHash;
    const value = await this.redis.run(key, ['GET', key]);
    // Anything but a plausible challenge id (a foreign or corrupt value) is a miss.
    return typeof value === 'string' && ENTRY.test(value) ? value : undefined;
  }

  async noteNotification(keyHash: string, challengeId: string, at: number): Promise<void> {
    const key = this.prefix + keyHash;
    // As long as the entry lives: its deadline is the challenge's (two commands, one key each, so
    // any key prefix works on a cluster).
    const ttlMs = await this.redis.run(key, ['PTTL', key]);
    if (typeof ttlMs !== 'number' || ttlMs <= 0) return;
    const heard = heardKey(key);
    await this.redis.run(heard, ['SET', heard, `${challengeId} ${at}`, 'PX', String(ttlMs)]);
  }

  async lastNotification(keyHash: string, challengeId: string): Promise<number | undefined> {
    const heard = heardKey(this.prefix + keyHash);
    const value = await this.redis.run(heard, ['GET', heard]);
    if (typeof value !== 'string') return undefined;
    // Another challenge's note (an ended login of the same key) or a foreign value is none.
    const note = NOTE.exec(value);
    const time = Number(note?.[2]);
    return note?.[1] === challengeId && Number.isSafeInteger(time) && time > 0 ? time : undefined;
  }

  async remove(keyHash: string, challengeId?: string): Promise<void> {
    const key = this.prefix + keyHash;
    const heard = heardKey(key);
    if (challengeId === undefined) {
      await Promise.all([this.redis.run(key, ['DEL', key]), this.redis.run(heard, ['DEL', heard])]);
      return;
    }
    // One key per call (any key prefix works on a cluster): nothing of the login is left after it.
    await Promise.all([
      this.redis.script(REMOVE_IF_OWNED, [key], [challengeId]),
      this.redis.script(REMOVE_NOTE_IF_OWNED, [heard], [challengeId]),
    ]);
  }
}

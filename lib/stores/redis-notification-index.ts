/**
 * The notification index in Redis (a node-redis or ioredis client, server or cluster, passed in: no
 * dependency here), so a provider notification that reaches any instance finds its challenge. One key per
 * notification-key hash, `SET … NX PX` until the challenge's deadline (nothing is left after it),
 * removed only by its own challenge (a compare-and-delete script). The notification's lookup also
 * notes it in the entry (`<challenge id> <epoch ms>`, one script, the deadline kept), for a browser
 * request that reaches another instance after the notification did: one key, one round trip, gone
 * with the entry.
 */
import type { NotificationIndex } from '../core/notification-index';
import { commandsOf, redisScript, type RedisClient, type RedisCommandRunner } from './redis-client';

/**
 * An entry as `add` writes it (`<challenge id>`) or as a note leaves it (`<challenge id> <epoch
 * ms>`), nothing else: a foreign or corrupt value is a miss.
 */
const ENTRY = /^([A-Za-z0-9_-]{1,64})(?: (\d{1,16}))?$/;
const CHALLENGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * How far ahead of a new note a kept one may be and stay (crossed messages, clocks a little apart):
 * the least floor a reader allows a note from the future (`LiveChallenges`' default
 * `minCheckIntervalMs`). A note further ahead is from a clock far off, and is replaced.
 */
const NOTE_AHEAD_MS = 1000;

/** Deletes the entry (noted or not) only while it is this challenge's: one atomic compare-and-delete. */
const REMOVE_IF_OWNED = redisScript(`
local entry = redis.call('GET', KEYS[1])
if entry == ARGV[1] or string.sub(entry or '', 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/**
 * Finds the entry's challenge and notes the notification in it, keeping its deadline, never over a
 * later note (instances' clocks differ; messages cross) unless that one is more than `ARGV[2]` ms
 * ahead (a clock far off, whose note every reader drops: kept, it would hold back every note after
 * it): the challenge id, or nil when there is no entry or a foreign one (read as `ENTRY` reads
 * it). A time that is not 1 to 16 digits is not written: the entry would no longer read as one.
 */
const FIND_AND_NOTE = redisScript(`
local entry = redis.call('GET', KEYS[1])
if not entry then return false end
local id, noted = string.match(entry, '^([%w_%-]+) (%d+)$')
if not id then id = string.match(entry, '^[%w_%-]+$') end
if not id or #id > 64 or (noted and #noted > 16) then return false end
if not string.match(ARGV[1], '^%d+$') or #ARGV[1] > 16 then return id end
local gap = noted and tonumber(noted) - tonumber(ARGV[1])
if gap and gap >= 0 and gap <= tonumber(ARGV[2]) then return id end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], id .. ' ' .. ARGV[1], 'PX', ttl) end
return id`);

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
    return (await this.entry(keyHash))?.[1];
  }

  async noteNotification(keyHash: string, at: number): Promise<string | undefined> {
    const key = this.prefix + keyHash;
    // Whole milliseconds: a fractional clock's `1.5` would leave an entry `ENTRY` cannot read.
    const id = await this.redis.script(FIND_AND_NOTE, [key], [String(Math.floor(at)), String(NOTE_AHEAD_MS)]);
    return typeof id === 'string' && CHALLENGE_ID.test(id) ? id : undefined;
  }

  async lastNotification(keyHash: string, challengeId: string): Promise<number | undefined> {
    const entry = await this.entry(keyHash);
    // Another challenge's entry (a later login of the same key) or an entry not noted is none.
    const time = Number(entry?.[2]);
    return entry?.[1] === challengeId && Number.isSafeInteger(time) && time > 0 ? time : undefined;
  }

  async remove(keyHash: string, challengeId?: string): Promise<void> {
    const key = this.prefix + keyHash;
    if (challengeId === undefined) await this.redis.run(key, ['DEL', key]);
    // Only this challenge's entry (noted or not): another login's stays.
    else await this.redis.script(REMOVE_IF_OWNED, [key], [challengeId]);
  }

  /** The entry of `keyHash` as [value, challenge id, note time?], or undefined when none or foreign. */
  private async entry(keyHash: string): Promise<RegExpExecArray | undefined> {
    const key = this.prefix + keyHash;
    const value = await this.redis.run(key, ['GET', key]);
    return (typeof value === 'string' && ENTRY.exec(value)) || undefined;
  }
}

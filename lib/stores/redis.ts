/**
 * The two stores an app needs besides its session store when it runs on several instances, on Redis
 * (a node-redis or ioredis client, server or cluster, passed in: no dependency here): start-limit
 * counters (INCR + PEXPIRE, atomic in one Lua script) and one-completion claims (SET NX PX, held past
 * the deadline).
 */
import { randomBytes } from 'node:crypto';
import { CLAIM_MARGIN_MS, type CompletionStore, type Decision } from '../core/completion';
import { isSettledState, type SettledState } from '../core/notification-bus';
import { PushError } from '../errors';
import type { RateLimitStore } from '../core/limits';
import {
  challengeKey,
  commandsOf,
  redisScript,
  type RedisClient,
  type RedisCommandRunner,
} from './redis-client';

/**
 * Count, and start the window's clock on the first hit. A key left without a TTL (by hand, or a crash
 * between two commands in an older version of this script) gets one, so it can never block for good.
 */
const HIT_SCRIPT = redisScript(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`);

/** The count of a live window and its time left, without counting; `{0, 0}` when there is none. */
const PEEK_SCRIPT = redisScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}`);

/**
 * Fixed windows in Redis: every instance counts against the same keys. Redis holds each counter
 * until its window ends (PEXPIRE), so under a flood its memory is bounded by the starts of one
 * window, about 100 bytes a key (docs/limits.md). Shared: the limiter needs its `secret`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createStartLimiter } from 'passport-push';
 * import { RedisRateLimitStore } from 'passport-push/redis';
 *
 * const redis = createClient();
 * await redis.connect();
 * createStartLimiter({ store: new RedisRateLimitStore(redis), secret: process.env.PUSH_LIMIT_SECRET });
 * ```
 */
export class RedisRateLimitStore implements RateLimitStore {
  /** Several instances count here: IDs in keys must be keyed with the app's own secret. */
  readonly shared = true;

  private readonly redis: RedisCommandRunner;

  constructor(
    client: RedisClient,
    private readonly prefix = 'push:limit:',
  ) {
    this.redis = commandsOf(client);
  }

  async hit(key: string, windowMs: number, now: number): ReturnType<RateLimitStore['hit']> {
    const reply = await this.redis.script(
      HIT_SCRIPT,
      [this.prefix + key],
      [String(Math.max(1, Math.ceil(windowMs)))],
    );
    return windowOf(reply, now);
  }

  async peek(
    key: string,
    now: number,
  ): Promise<{
    /** The hits in the live window (0 when there is none). */
    count: number;
    /** When the window ends, in epoch ms. */
    resetAt: number;
  }> {
    return windowOf(await this.redis.script(PEEK_SCRIPT, [this.prefix + key], []), now);
  }

  async remove(key: string): Promise<void> {
    await this.redis.run(this.prefix + key, ['DEL', this.prefix + key]);
  }
}

/** A script's `{count, ttl}` reply as a window; the window runs on Redis's clock, `now + ttl` is the caller's. */
function windowOf(reply: unknown, now: number): { count: number; resetAt: number } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new PushError('protocol', 'RedisRateLimitStore: unexpected reply from Redis.', { retryable: true });
  }
  return { count: reply[0], resetAt: now + reply[1] };
}

/**
 * A challenge id is claimed once across all instances; the claim lives until the challenge's deadline
 * plus a margin of 60 s, and a deadline already past is refused without asking Redis.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { PushStrategy } from 'passport-push';
 * import { RedisCompletionStore } from 'passport-push/redis';
 *
 * const redis = createClient();
 * await redis.connect();
 * const completions = new RedisCompletionStore(redis); // redisStores(redis) gives every shared store
 * new PushStrategy({ provider, stores: { completions } }, async (subject) => findUser(subject));
 * ```
 */
export class RedisCompletionStore implements CompletionStore {
  private readonly redis: RedisCommandRunner;

  constructor(
    client: RedisClient,
    private readonly prefix = 'push:done:',
    private readonly now: () => number = Date.now,
  ) {
    this.redis = commandsOf(client);
  }

  async claim(challengeId: string, expiresAt: number, signal?: AbortSignal): Promise<boolean> {
    const remainingMs = expiresAt - this.now();
    if (!(remainingMs > 0) || signal?.aborted) return false;
    const key = this.keyOf(challengeId);
    const ttlMs = String(Math.ceil(remainingMs) + CLAIM_MARGIN_MS);
    // '1': a claim keeps no ending.
    const value = ownValue('1');
    const won = (reply: unknown) => reply === 'OK';
    const reply = await this.attempt(key, value, signal, won, () =>
      this.redis.run(key, ['SET', key, value, 'NX', 'PX', ttlMs]),
    );
    return won(reply) && !signal?.aborted;
  }

  async decide(
    challengeId: string,
    expiresAt: number,
    ending: SettledState,
    signal?: AbortSignal,
  ): Promise<Decision> {
    if (signal?.aborted) return { decided: false };
    const remainingMs = expiresAt - this.now();
    const key = this.keyOf(challengeId);
    const value = ownValue(ending);
    const won = (reply: unknown) => Array.isArray(reply) && reply[0] === 1;
    const reply = await this.attempt(key, value, signal, won, () =>
      this.redis.script(
        DECIDE_SCRIPT,
        [key],
        // A deadline already past still reads what was decided, but records nothing (PX 0 = refuse).
        [value, String(remainingMs > 0 ? Math.ceil(remainingMs) + CLAIM_MARGIN_MS : 0), ending],
      ),
    );
    if (!Array.isArray(reply) || (reply[0] !== 0 && reply[0] !== 1)) {
      throw new PushError('protocol', 'RedisCompletionStore: unexpected reply from Redis.', {
        retryable: true,
      });
    }
    if (signal?.aborted) return { decided: false };
    // A claim made by `claim` holds '1': decided, but no state to tell.
    const held: unknown = reply[1];
    return { decided: reply[0] === 1, ...(isSettledState(held) ? { ending: held } : {}) };
  }

  /**
   * Sends one claim (`value` carries this attempt's token). Its caller counts a claim it gave up on
   * (`signal` aborted) or that failed as not claimed, but Redis may still run it (a paused server
   * when it resumes, a client's offline queue on reconnecting, a connection lost after the command
   * ran): the claim is then released if it is still this attempt's, so it never stands for a
   * completion nobody made. The release goes right when the caller gives up, queued behind the claim
   * on the same connection (they run in that order); once more after a late win, in case the claim
   * went after it (a NOSCRIPT retry, a cluster redirect). A claim that won in time is never released.
   */
  private async attempt(
    key: string,
    value: string,
    signal: AbortSignal | undefined,
    won: (reply: unknown) => boolean,
    send: () => Promise<unknown>,
  ): Promise<unknown> {
    const release = () => this.release(key, value);
    signal?.addEventListener('abort', release, { once: true });
    let reply: unknown;
    try {
      reply = await send();
    } catch (error) {
      release();
      throw error;
    } finally {
      signal?.removeEventListener('abort', release);
    }
    if (signal?.aborted && won(reply)) release();
    return reply;
  }

  /**
   * Deletes the claim if it holds `value` (this attempt's token). Best effort: a release that fails
   * too (Redis away again) leaves the claim to expire with the challenge, a minute after its deadline.
   */
  private release(key: string, value: string): void {
    this.redis.script(RELEASE_SCRIPT, [key], [value]).catch(() => undefined);
  }

  /** `push:done:{id}`: the hash tag puts a challenge's claim in the slot of its display (cluster-ready). */
  private keyOf(challengeId: string): string {
    return challengeKey(this.prefix, challengeId);
  }
}

/**
 * Records an ending (ARGV[1]: `ending|token`) unless one is held: {1, ending} when this call
 * decided, {0, held ending} otherwise (the part before `|`: values without a token are read whole);
 * a TTL of 0 (deadline past) only reads.
 */
const DECIDE_SCRIPT = redisScript(`
local held = redis.call('GET', KEYS[1])
if held then return {0, string.match(held, '^[^|]*')} end
if tonumber(ARGV[2]) <= 0 then return {0, false} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, ARGV[3]}`);

/** Deletes a claim only if it is still the given attempt's (compare-and-delete): 1 when it did. */
const RELEASE_SCRIPT = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** A claim's value: what it records, and a token only this attempt knows (`|`: not in base64url). */
function ownValue(recorded: string): string {
  return `${recorded}|${randomBytes(12).toString('base64url')}`;
}

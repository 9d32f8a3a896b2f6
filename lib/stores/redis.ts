/**
 * The two stores an app needs besides its session store when it runs on several instances, on Redis
 * (the `redis` npm client, v5 or later, passed in: no dependency here): start-limit counters (INCR +
 * PEXPIRE, atomic in one Lua script) and one-completion claims (SET NX PX, held past the deadline).
 */
import { CLAIM_MARGIN_MS, type CompletionStore } from '../core/completion';
import { PushError } from '../errors';
import type { RateLimitStore } from '../core/limits';

/** The two commands these stores use, as the `redis` client (v5+) offers them. */
export interface RedisCommands {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
}

/**
 * Count, and start the window's clock on the first hit. A key left without a TTL (by hand, or a crash
 * between two commands in an older version of this script) gets one, so it can never block for good.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Fixed windows in Redis: every instance counts against the same keys. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisCommands,
    private readonly prefix = 'push:limit:',
  ) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const reply = await this.redis.eval(HIT_SCRIPT, {
      keys: [this.prefix + key],
      arguments: [String(Math.max(1, Math.ceil(windowMs)))],
    });
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw new PushError('protocol', 'RedisRateLimitStore: unexpected reply from Redis.', {
        retryable: true,
      });
    }
    // The window runs on Redis's clock; `now + ttl` turns it back into the caller's.
    return { count: reply[0], resetAt: now + reply[1] };
  }
}

/**
 * A challenge id is claimed once across all instances; the claim lives until the challenge's deadline
 * plus {@link CLAIM_MARGIN_MS}, and a deadline already past is refused without asking Redis.
 */
export class RedisCompletionStore implements CompletionStore {
  constructor(
    private readonly redis: RedisCommands,
    private readonly prefix = 'push:done:',
    private readonly now: () => number = Date.now,
  ) {}

  async claim(challengeId: string, expiresAt: number): Promise<boolean> {
    const remainingMs = expiresAt - this.now();
    if (!(remainingMs > 0)) return false;
    const reply = await this.redis.set(this.prefix + challengeId, '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.ceil(remainingMs) + CLAIM_MARGIN_MS },
    });
    return reply === 'OK';
  }
}

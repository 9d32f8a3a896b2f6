/**
 * Push-bombing protection: a user must not be able to make somebody's phone buzz over and over.
 * Every start counts against fixed windows per client IP, per session, per user ID and client, and
 * per user ID; one over its limit refuses the start with 429 before the provider is called.
 *
 * Rules run broadest first and stop at the first refusal, so a refused start creates no counter
 * beyond the rule that refused it: a flood from one address costs one key, not four per request.
 */
import { createHash } from 'node:crypto';
import { PushError } from '../errors';
import { MemoryRateLimitStore } from './memory-rate-limit-store';

export { MemoryRateLimitStore } from './memory-rate-limit-store';

/**
 * One start, as the limiter sees it.
 *
 * @example
 * ```ts
 * import { createStartLimiter, type StartAttempt } from 'passport-push';
 *
 * const attempt: StartAttempt = { userId: 'alice', sessionId: 's1', ip: '192.0.2.10', now: Date.now() };
 * await createStartLimiter().check(attempt); // throws PushError kind 'limit' when refused
 * ```
 */
export interface StartAttempt {
  /** The ID the push goes to; absent for providers that start without one (per-ID rules then do not apply). */
  userId?: string;
  sessionId: string;
  ip?: string;
  /** A per-browser key that costs something to mint: the device cookie's id. Defaults to `ip`. */
  clientId?: string;
  /** True when the browser holds a valid signed device cookie for `userId` (set after a completed login). */
  trustedDevice?: boolean;
  now: number;
}

/**
 * Decides whether a start may go to the provider.
 *
 * @example
 * ```ts
 * import { createStartLimiter } from 'passport-push';
 *
 * const limiter = createStartLimiter();
 * await limiter.check({ userId: 'alice', sessionId: 's1', ip: '192.0.2.10', now: Date.now() });
 * ```
 */
export interface StartLimiter {
  /** Counts the attempt; returns the refusal when one limit is exceeded. */
  check(attempt: StartAttempt): Promise<PushError | undefined>;
}

/**
 * Counters shared by app instances: implement `hit` with Redis INCR + PEXPIRE, or similar.
 *
 * @example
 * ```ts
 * import { createStartLimiter, type RateLimitStore } from 'passport-push';
 *
 * // Counters in your own shared store: one fixed window per key.
 * declare const store: RateLimitStore;
 * createStartLimiter({ store });
 * ```
 */
export interface RateLimitStore {
  /**
   * Adds a hit to `key` in a fixed window of `windowMs`; returns the hits in that window and when it
   * ends. May throw a `PushError` of kind `limit` when it cannot count (full): the start is refused.
   */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
}

/**
 * At most `max` hits per `windowMs`.
 *
 * @example
 * ```ts
 * import { createStartLimiter, type LimitWindow } from 'passport-push';
 *
 * const fifteenMinutes: LimitWindow = { max: 50, windowMs: 15 * 60_000 };
 * createStartLimiter({ perIp: fifteenMinutes });
 * ```
 */
export interface LimitWindow {
  max: number;
  windowMs: number;
}

/**
 * Options of {@link createStartLimiter}.
 *
 * @example
 * ```ts
 * import { createStartLimiter, type StartLimits } from 'passport-push';
 *
 * const limits: StartLimits = { perUser: { max: 5, windowMs: 15 * 60_000 }, perUserCeiling: false };
 * createStartLimiter(limits);
 * ```
 */
export interface StartLimits {
  /** Minimum time between two starts from one session. Default 5 000 ms; 0 turns it off. */
  sessionCooldownMs?: number;
  /** Minimum time between two pushes to one user ID, from any session. Default 5 000 ms; 0 off. */
  userCooldownMs?: number;
  /** Pushes to one user ID from one client (`clientId`, else IP) per window. Default 10 per 15 minutes. */
  perUser?: LimitWindow | false;
  /** Pushes to one user ID from all clients together per window. Default 30 per 15 minutes. */
  perUserCeiling?: LimitWindow | false;
  /** Starts from one client IP per window. Default 50 per 15 minutes. */
  perIp?: LimitWindow | false;
  /** Where counters live. Default: this process's memory (at most 100 000 live counters). */
  store?: RateLimitStore;
}

interface Rule {
  key: (attempt: StartAttempt) => string | undefined;
  window: LimitWindow;
  message: string;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** Key parts joined so that no ID or client can forge another's key (`a:b` + `c` ≠ `a` + `b:c`). */
const part = (value: string) => encodeURIComponent(value);

/**
 * The per-ID rules' subject: a hash of the lower-cased ID, or none when the start has no ID or comes
 * from a trusted device (its owner completed a login there, so the per-ID windows must not lock
 * them out). A hash, because IDs may be personal data (BankID's personal numbers) and a shared store
 * is often a Redis that many can read; unkeyed, so that every instance counts under the same key.
 */
function limitedUser(attempt: StartAttempt): string | undefined {
  if (attempt.userId === undefined || attempt.trustedDevice === true) return undefined;
  return createHash('sha256').update(attempt.userId.toLowerCase()).digest('base64url').slice(0, 22);
}

/**
 * Builds the default limiter; every option can be tuned or turned off.
 *
 * @example
 * ```ts
 * import { createStartLimiter, PushStrategy } from 'passport-push';
 *
 * const limiter = createStartLimiter({ perIp: { max: 20, windowMs: 15 * 60_000 }, userCooldownMs: 10_000 });
 * new PushStrategy({ provider, limiter }, async (subject) => findUser(subject));
 * ```
 */
export function createStartLimiter(limits: StartLimits = {}): StartLimiter {
  const store = limits.store ?? new MemoryRateLimitStore();
  const rules: Rule[] = [];
  const perIp = limits.perIp ?? { max: 50, windowMs: FIFTEEN_MINUTES };
  if (perIp) {
    rules.push({
      key: (a) => (a.ip ? `ip:${part(a.ip)}` : undefined),
      window: perIp,
      message: 'Too many login requests from your network. Please try again later.',
    });
  }
  const sessionCooldown = limits.sessionCooldownMs ?? 5_000;
  if (sessionCooldown > 0) {
    rules.push({
      key: (a) => `session:${part(a.sessionId)}`,
      window: { max: 1, windowMs: sessionCooldown },
      message: 'Please wait a moment before asking for another login.',
    });
  }
  const perUser = limits.perUser ?? { max: 10, windowMs: FIFTEEN_MINUTES };
  if (perUser) {
    rules.push({
      key: (a) => {
        const user = limitedUser(a);
        return user === undefined ? undefined : `user-client:${user}:${part(a.clientId ?? a.ip ?? '')}`;
      },
      window: perUser,
      message: 'Too many login requests for this ID. Please try again later.',
    });
  }
  const ceiling = limits.perUserCeiling ?? { max: 30, windowMs: FIFTEEN_MINUTES };
  if (ceiling) {
    rules.push({
      key: (a) => {
        const user = limitedUser(a);
        return user === undefined ? undefined : `user-window:${user}`;
      },
      window: ceiling,
      message: 'Too many login requests for this ID. Please try again later.',
    });
  }
  // Last: a start refused by a per-ID window must not push this ID's cooldown on for everyone.
  const userCooldown = limits.userCooldownMs ?? 5_000;
  if (userCooldown > 0) {
    rules.push({
      key: (a) => {
        const user = limitedUser(a);
        return user === undefined ? undefined : `user:${user}`;
      },
      window: { max: 1, windowMs: userCooldown },
      message: 'A login request was just sent to this ID. Please wait a moment.',
    });
  }

  return {
    async check(attempt) {
      for (const rule of rules) {
        const key = rule.key(attempt);
        if (key === undefined) continue;
        let counted;
        try {
          counted = await store.hit(key, rule.window.windowMs, attempt.now);
        } catch (error) {
          // A full store refuses (fail closed); any other failure is the app's to report.
          if (error instanceof PushError && error.kind === 'limit') return error;
          throw error;
        }
        if (counted.count > rule.window.max) {
          const retryAfterSeconds = Math.max(1, Math.ceil((counted.resetAt - attempt.now) / 1000));
          return new PushError('limit', rule.message, { code: 'rate_limited', retryAfterSeconds });
        }
      }
      return undefined;
    },
  };
}

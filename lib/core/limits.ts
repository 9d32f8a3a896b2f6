/**
 * Push-bombing protection: a user must not be able to make somebody's phone buzz over and over.
 * Every start counts against fixed windows per session, per user ID and per client IP; one over
 * its limit refuses the start with 429 before the provider is called.
 */
import { PushError } from '../errors';

export interface StartAttempt {
  userId: string;
  sessionId: string;
  ip?: string;
  now: number;
}

export interface StartLimiter {
  /** Counts the attempt; returns the refusal when one limit is exceeded. */
  check(attempt: StartAttempt): Promise<PushError | undefined>;
}

/** Counters shared by app instances: implement `hit` with Redis INCR + PEXPIRE, or similar. */
export interface RateLimitStore {
  /** Adds a hit to `key` in a fixed window of `windowMs`; returns the hits in that window and when it ends. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
}

export interface Window {
  max: number;
  windowMs: number;
}

export interface StartLimits {
  /** Minimum time between two starts from one session. Default 5 000 ms; 0 turns it off. */
  sessionCooldownMs?: number;
  /** Minimum time between two pushes to one user ID, from any session. Default 5 000 ms; 0 off. */
  userCooldownMs?: number;
  /** Pushes to one user ID per window. Default 10 per 15 minutes. */
  perUser?: Window | false;
  /** Starts from one client IP per window. Default 50 per 15 minutes. */
  perIp?: Window | false;
  /** Where counters live. Default: this process's memory. */
  store?: RateLimitStore;
}

interface Rule {
  key: (attempt: StartAttempt) => string | undefined;
  window: Window;
  message: string;
}

export function createStartLimiter(limits: StartLimits = {}): StartLimiter {
  const store = limits.store ?? new MemoryRateLimitStore();
  const rules: Rule[] = [];
  const cooldown = (ms: number | undefined, fallback: number) => ms ?? fallback;
  const sessionCooldown = cooldown(limits.sessionCooldownMs, 5_000);
  const userCooldown = cooldown(limits.userCooldownMs, 5_000);
  if (sessionCooldown > 0) {
    rules.push({
      key: (a) => `session:${a.sessionId}`,
      window: { max: 1, windowMs: sessionCooldown },
      message: 'Please wait a moment before asking for another login.',
    });
  }
  if (userCooldown > 0) {
    rules.push({
      key: (a) => `user:${a.userId.toLowerCase()}`,
      window: { max: 1, windowMs: userCooldown },
      message: 'A login request was just sent to this ID. Please wait a moment.',
    });
  }
  const perUser = limits.perUser ?? { max: 10, windowMs: 15 * 60_000 };
  if (perUser) {
    rules.push({
      key: (a) => `user-window:${a.userId.toLowerCase()}`,
      window: perUser,
      message: 'Too many login requests for this ID. Please try again later.',
    });
  }
  const perIp = limits.perIp ?? { max: 50, windowMs: 15 * 60_000 };
  if (perIp) {
    rules.push({
      key: (a) => (a.ip ? `ip:${a.ip}` : undefined),
      window: perIp,
      message: 'Too many login requests from your network. Please try again later.',
    });
  }

  return {
    async check(attempt) {
      for (const rule of rules) {
        const key = rule.key(attempt);
        if (key === undefined) continue;
        const { count, resetAt } = await store.hit(key, rule.window.windowMs, attempt.now);
        if (count > rule.window.max) {
          const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - attempt.now) / 1000));
          return new PushError('limit', rule.message, { code: 'rate_limited', retryAfterSeconds });
        }
      }
      return undefined;
    },
  };
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    let entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.prune(now);
      entry = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, resetAt: entry.resetAt };
  }

  /** Drops ended windows; if all are live, the oldest go (the map must not grow without bound). */
  private prune(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

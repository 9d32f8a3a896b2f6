/**
 * Push-bombing protection: a user must not be able to make somebody's phone buzz over and over, and
 * nobody must be able to turn these limits into a lockout of somebody else.
 *
 * The order is what makes them safe (docs/limits.md): `check` runs the cheap cooldowns first (they
 * reserve one short counter each and count nothing else), then the per-client window, then only
 * reads the per-ID windows. `settle` counts the per-ID windows once a push was really sent, or
 * frees the cooldowns when nothing reached the phone. So a refused start spends nobody's budget,
 * and spending an ID's ceiling costs the attacker that many real pushes, which its owner sees.
 */
import { createHmac } from 'node:crypto';
import { PushError } from '../errors';
import { secretKey } from './app-secret';
import { clientPrefix, DEFAULT_IPV6_SUBNET } from './client-prefix';
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
 * const limiter = createStartLimiter();
 * const refusal = await limiter.check(attempt); // a PushError of kind 'limit' when refused
 * if (!refusal) await limiter.settle(attempt, true); // after the provider sent the push
 * ```
 */
export interface StartAttempt {
  /**
   * The ID the push goes to, in the provider's canonical form (the login core passes
   * `provider.canonicalUserId`'s answer); absent for providers that start without one (per-ID
   * rules then do not apply). Compared without letter case.
   */
  userId?: string;
  /** The session the start happens in (the session cooldown's key). */
  sessionId: string;
  /** The client's address; IPv6 addresses are counted by their prefix (`ipv6Subnet`). */
  ip?: string;
  /** A per-browser key that costs something to mint: the device cookie's id. Defaults to the IP's prefix. */
  clientId?: string;
  /** True when the browser holds a valid signed device cookie for `userId` (set after a completed login). */
  trustedDevice?: boolean;
  /** The time of the start, epoch ms (the limiter's clock). */
  now: number;
}

/**
 * Decides whether a start may go to the provider, and learns afterwards whether it sent a push.
 *
 * @example
 * ```ts
 * import { createStartLimiter } from 'passport-push';
 *
 * const limiter = createStartLimiter();
 * const attempt = { userId: 'alice', sessionId: 's1', ip: '192.0.2.10', now: Date.now() };
 * if (!(await limiter.check(attempt))) await limiter.settle(attempt, true);
 * ```
 */
export interface StartLimiter {
  /**
   * Before the provider: the refusal when a limit applies (`details.rule` names it). An admitted
   * start holds the session's and the ID's cooldown until `settle` says what became of it.
   */
  check(attempt: StartAttempt): Promise<PushError | undefined>;
  /**
   * After the provider answered an admitted start (or when its login was cancelled): `pushed` true
   * counts it against the per-ID windows; false frees the cooldowns it held (nothing reached the
   * phone, or the user withdrew it), so the user may start again at once.
   */
  settle(attempt: StartAttempt, pushed: boolean): Promise<void>;
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
 * createStartLimiter({ store, secret: process.env.PUSH_LIMIT_SECRET });
 * ```
 */
export interface RateLimitStore {
  /**
   * True when several app instances share the counters: the limiter then needs the app's `secret`
   * (the same on every instance) to name IDs in keys.
   */
  readonly shared?: boolean;
  /**
   * Adds a hit to `key` in a fixed window of `windowMs`; returns the hits in that window, when it
   * ends, and how many other counters were shed to make room (a bounded store that is full).
   * Must not refuse a new key for being full: shed instead (a full store must not refuse everyone).
   */
  hit(
    key: string,
    windowMs: number,
    now: number,
  ): Promise<{
    /** The hits in the live window, this one included. */
    count: number;
    /** When the window ends, in epoch ms. */
    resetAt: number;
    /** How many other counters were dropped to make room; absent when none were. */
    shed?: number;
  }>;
  /** The hits in `key`'s live window and when it ends, without counting one (count 0 when none). */
  peek(
    key: string,
    now: number,
  ): Promise<{
    /** The hits in the live window (0 when there is none). */
    count: number;
    /** When the window ends, in epoch ms. */
    resetAt: number;
  }>;
  /** Forgets `key`'s window (a cooldown the start that held it did not use). */
  remove(key: string): Promise<void>;
}

/**
 * At most `max` hits per `windowMs`.
 */
export interface LimitWindow {
  /** Most hits allowed in one window. */
  max: number;
  /** The window's length, in ms. */
  windowMs: number;
}

/**
 * The rule that refused a start, as `PushError.details.rule` and the `refused` audit event name it.
 */
export type LimitRule = 'sessionCooldown' | 'userCooldown' | 'perIp' | 'perUser' | 'perUserCeiling';

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
  /** Minimum time between two pushes from one session. Default 5 000 ms; 0 turns it off. */
  sessionCooldownMs?: number;
  /** Minimum time between two pushes to one user ID, from any session. Default 5 000 ms; 0 off. */
  userCooldownMs?: number;
  /** Pushes to one user ID from one client (`clientId`, else the IP's prefix) per window. Default 10 per 15 minutes. */
  perUser?: LimitWindow | false;
  /** Pushes to one user ID from all clients together per window. Default 30 per 15 minutes. */
  perUserCeiling?: LimitWindow | false;
  /** Starts from one client (IPv4 address or IPv6 prefix) per window. Default 50 per 15 minutes. */
  perIp?: LimitWindow | false;
  /** The IPv6 prefix length one client is counted by (default 56; 64 counts each /64 apart). */
  ipv6Subnet?: number;
  /**
   * The key IDs are named by in counter keys (HMAC-SHA256), so a dump of the store reveals no ID
   * even to a dictionary attack. Required with a shared store (the same on every instance, at least
   * 32 characters); with counters in memory a random one is made per process.
   */
  secret?: string;
  /** Where counters live. Default: this process's memory (at most 100 000 live counters). */
  store?: RateLimitStore;
  /** Told how many counters a full store shed to make room (an audit event: a flood is on). */
  onShed?: (count: number) => void;
}

interface Window {
  rule: LimitRule;
  window: LimitWindow;
  message: string;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** Key parts joined so that no ID or client can forge another's key (`a:b` + `c` ≠ `a` + `b:c`). */
const part = (value: string) => encodeURIComponent(value);

function refusal(rule: LimitRule, message: string, resetAt: number, now: number): PushError {
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  return new PushError('limit', message, { code: 'rate_limited', retryAfterSeconds, details: { rule } });
}

/** The keyed pseudonym IDs are named by: HMAC, so nobody without the secret can test a guess. */
function pseudonymiser(limits: StartLimits, store: RateLimitStore): (id: string) => string {
  const key = secretKey(
    limits.secret,
    'createStartLimiter',
    store.shared === true
      ? 'a shared store needs `secret` (the same on every instance) to name IDs in its keys.'
      : undefined,
  );
  return (id) => createHmac('sha256', key).update(id.toLowerCase()).digest('base64url').slice(0, 22);
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
  const pseudonym = pseudonymiser(limits, store);
  const ipv6Subnet = limits.ipv6Subnet ?? DEFAULT_IPV6_SUBNET;
  const sessionCooldown = limits.sessionCooldownMs ?? 5_000;
  const userCooldown = limits.userCooldownMs ?? 5_000;
  const perIp = limits.perIp ?? { max: 50, windowMs: FIFTEEN_MINUTES };
  const perUser = limits.perUser ?? { max: 10, windowMs: FIFTEEN_MINUTES };
  const ceiling = limits.perUserCeiling ?? { max: 30, windowMs: FIFTEEN_MINUTES };
  const cooldownMessage = {
    sessionCooldown: 'Please wait a moment before asking for another login.',
    userCooldown: 'A login request was just sent to this ID. Please wait a moment.',
  } as const;
  const idWindows: { rule: Window; key: (user: string, a: StartAttempt) => string }[] = [];
  const idMessage = 'Too many login requests for this ID. Please try again later.';
  if (perUser) {
    idWindows.push({
      rule: { rule: 'perUser', window: perUser, message: idMessage },
      key: (user, a) => `user-client:${user}:${part(a.clientId ?? prefixOf(a) ?? '')}`,
    });
  }
  if (ceiling) {
    idWindows.push({
      rule: { rule: 'perUserCeiling', window: ceiling, message: idMessage },
      key: (user) => `user-window:${user}`,
    });
  }

  function prefixOf(a: StartAttempt): string | undefined {
    return a.ip ? clientPrefix(a.ip, ipv6Subnet) : undefined;
  }
  /** The per-ID subject: the ID's pseudonym, or none without an ID. */
  const subjectOf = (a: StartAttempt) => (a.userId === undefined ? undefined : pseudonym(a.userId));
  /** The cooldown keys a start holds: its session's, and its ID's. */
  function cooldowns(
    a: StartAttempt,
  ): { rule: 'sessionCooldown' | 'userCooldown'; key: string; ms: number }[] {
    const held: { rule: 'sessionCooldown' | 'userCooldown'; key: string; ms: number }[] = [];
    if (sessionCooldown > 0)
      held.push({ rule: 'sessionCooldown', key: `session:${part(a.sessionId)}`, ms: sessionCooldown });
    const user = subjectOf(a);
    if (userCooldown > 0 && user !== undefined)
      held.push({ rule: 'userCooldown', key: `user:${user}`, ms: userCooldown });
    return held;
  }
  async function hit(key: string, windowMs: number, now: number) {
    const counted = await store.hit(key, windowMs, now);
    if (counted.shed !== undefined && counted.shed > 0) limits.onShed?.(counted.shed);
    return counted;
  }
  async function release(keys: string[]): Promise<void> {
    for (const key of keys) await store.remove(key);
  }

  return {
    async check(attempt) {
      const now = attempt.now;
      const held: string[] = [];
      try {
        // 1. Cooldowns: one short counter each, so a refused start costs nobody anything.
        for (const cooldown of cooldowns(attempt)) {
          const counted = await hit(cooldown.key, cooldown.ms, now);
          if (counted.count > 1) {
            await release(held);
            return refusal(cooldown.rule, cooldownMessage[cooldown.rule], counted.resetAt, now);
          }
          held.push(cooldown.key);
        }
        // 2. The client's own window: counts every start that passed the cooldowns.
        const client = prefixOf(attempt);
        if (perIp && client !== undefined) {
          const counted = await hit(`ip:${part(client)}`, perIp.windowMs, now);
          if (counted.count > perIp.max) {
            await release(held);
            return refusal(
              'perIp',
              'Too many login requests from your network. Please try again later.',
              counted.resetAt,
              now,
            );
          }
        }
        // 3. The per-ID windows are only read here: `settle` counts the pushes that were sent.
        const user = subjectOf(attempt);
        if (user !== undefined && attempt.trustedDevice !== true) {
          for (const { rule, key } of idWindows) {
            const counted = await store.peek(key(user, attempt), now);
            if (counted.count >= rule.window.max) {
              await release(held);
              return refusal(rule.rule, rule.message, counted.resetAt, now);
            }
          }
        }
        return undefined;
      } catch (error) {
        // A store that cannot count refuses (fail closed) when it says so; else the app reports it.
        if (error instanceof PushError && error.kind === 'limit') return error;
        throw error;
      }
    },

    async settle(attempt, pushed) {
      if (!pushed) {
        await release(cooldowns(attempt).map((cooldown) => cooldown.key));
        return;
      }
      const user = subjectOf(attempt);
      if (user === undefined || attempt.trustedDevice === true) return;
      for (const { rule, key } of idWindows) await hit(key(user, attempt), rule.window.windowMs, attempt.now);
    },
  };
}

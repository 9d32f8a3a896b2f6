/** PushStrategy's options, their defaults, and the checks that run once at construction. */
import { secretKey } from './app-secret';
import { resolveApproval, type ApprovalOptions, type ResolvedApproval } from './approval';
import { PushError } from '../errors';
import type { PushEventListener } from './events';
import type { StartLimiter, StartLimits } from './limits';
import { resolveStores, type PushStores } from './push-stores';
import { boundStores, DEFAULT_STORE_TIMEOUT_MS } from './store-deadline';
import type { PushProvider, SubjectRule } from '../providers/provider';
import { DEFAULT_MAX_USER_ID_LENGTH, DEFAULT_USER_ID_PATTERN, type UserIdRules } from './user-id';

/**
 * How the confirmed subject must relate to the typed ID (overrides the provider's `subjectRule`).
 *
 * @example
 * ```ts
 * import { PushStrategy } from 'passport-push';
 *
 * // Accept the provider's subject only when it equals the typed ID exactly.
 * new PushStrategy({ provider, subjectMatch: 'exact' }, async (subject) => findUser(subject));
 * ```
 */
export type SubjectMatch =
  'case-insensitive' | 'exact' | false | ((requested: string, confirmed: string) => boolean);

/**
 * What `new PushStrategy(options, verify)` accepts.
 *
 * @example
 * ```ts
 * import { PushStrategy } from 'passport-push';
 *
 * new PushStrategy(
 *   { provider, challengeTimeoutMs: 90_000, pollIntervalMs: 2_000, usernameField: 'email' },
 *   async (subject) => findUser(subject),
 * );
 * ```
 */
export interface PushStrategyOptions {
  /** The provider that pushes to the phone. */
  provider: PushProvider;
  /** The strategy's name for `passport.authenticate(name)`. Default `'push'`. */
  name?: string;
  /** The body (or query) field holding the user ID. Default `'username'`. */
  usernameField?: string;
  /** Call verify as `(req, subject, info, done)`. Default false. */
  passReqToCallback?: boolean;
  /** Where the challenge record lives in `req.session`. Default `'push:' + provider.name`. */
  sessionKey?: string;
  /** Longest accepted user ID, after trimming. Default 254. */
  maxUserIdLength?: number;
  /** Pattern a trimmed user ID must match. Default: letters, digits and `@ . _ + -`. */
  userIdPattern?: RegExp;
  /** Local deadline of a challenge, whatever the provider allows. Default 120 000 ms. */
  challengeTimeoutMs?: number;
  /** Minimum time between provider checks; polls in between are answered locally. Default 2 000 ms. */
  pollIntervalMs?: number;
  /** Deadline of each provider call. Default 20 000 ms. */
  providerTimeoutMs?: number;
  /**
   * Deadline of each call to a shared store the app gave (`stores`), to the default display store,
   * and of the session store calls the library makes itself. A call that fails or runs out answers
   * 503 with `Retry-After`, and a completion claim that timed out counts as not claimed. Default
   * 2 000 ms.
   */
  storeTimeoutMs?: number;
  /** Shown on the phone: who asks (passed to the provider). */
  serviceName?: string;
  /** Shown on the phone: where (passed to the provider). */
  serviceAddress?: string;
  /** A message for the phone, where the provider supports one. */
  message?: string;
  /**
   * Whether the user the provider confirmed must be the one asked for. Default: the provider's
   * `subjectRule` (`'must-match'` compares case-insensitively, `'match-if-typed'` compares exactly
   * when an ID was typed, `'provider'` accepts the provider's subject). Given, it overrides that rule: `'case-insensitive'`, `'exact'`, `false` (accept any
   * subject) or a function that decides. When no ID was typed, only `false`, a `'match-if-typed'` or a
   * `'provider'` rule accept the subject.
   */
  subjectMatch?: SubjectMatch;
  /**
   * Starting a login regenerates the session (a planted session cookie must never hold the
   * challenge). Whether the app's session data survives that, like passport's `keepSessionInfo`.
   * Default true.
   */
  keepSessionInfo?: boolean;
  /**
   * Every shared store, given once: completion claims, the default limiter's counters, the
   * notification index and bus, and the wait page's displays (`pushLogin({ strategy })` uses this
   * one). For several instances: `stores: await redisStores(client)` from `passport-push/redis`.
   * A part left out is kept in this process's memory (with `NODE_ENV=production`, a warning says so
   * once per process).
   */
  stores?: Partial<PushStores>;
  /**
   * Push-bombing protection: the rules (`StartLimits`, counted in `stores.rateLimits` unless they
   * name a `store`), a limiter of your own (`createStartLimiter`), or `false` to turn it off.
   * Default: the default rules in `stores.rateLimits`.
   */
  limiter?: StartLimiter | StartLimits | false;
  /** Audit hook: called for every start, approval, denial, expiry, cancellation, refusal and error. */
  onEvent?: PushEventListener;
  /**
   * Action approval (`pushLogin(…).approve`): the level the app requires of the provider (checked
   * here, at construction), the audit record's hook and an approval's lifetime. See
   * docs/action-approval.md.
   */
  approval?: ApprovalOptions;
  /**
   * With a provider whose IDs are personal data (`personalUserIds`: BankID's personal numbers),
   * audit events carry `personal:<pseudonym>` for the typed ID and the subject: the same ID gives
   * the same pseudonym while the process runs (a keyed hash whose key never leaves memory), so an
   * attack on one person still shows. `true` puts the numbers themselves into the events. Default false.
   */
  auditPersonalIds?: boolean;
  /**
   * The app's secret, configured once (at least 32 random characters, the same on every instance,
   * kept out of the code and the logs): it keys the notification index's entries and the default
   * limiter's counter keys, so a dump of a store names no user ID. Required with shared stores
   * (`redisStores`); otherwise a random one is made per process.
   */
  secret?: string;
  /**
   * The one clock, for tests: the login's, the memory stores made for it, and `pushLogin`'s device
   * trust and notify budget. Default `Date.now`. (Shared stores take theirs from their factory:
   * `redisStores(client, { now })`.)
   */
  now?: () => number;
}

/** The options with their defaults applied and checked. */
export interface ResolvedOptions {
  /** The provider that pushes to the phone. */
  provider: PushProvider;
  /** The strategy's name for `passport.authenticate(name)`. */
  name: string;
  /** The body (or query) field holding the user ID. */
  usernameField: string;
  /** Whether verify is called as `(req, subject, info, done)`. */
  passReqToCallback: boolean;
  /** Where the challenge record lives in `req.session`. */
  sessionKey: string;
  /** How a typed user ID is read and checked (field, longest length, pattern). */
  userIdRules: UserIdRules;
  /** Local deadline of a challenge, in ms. */
  challengeTimeoutMs: number;
  /** Minimum time between provider checks, in ms. */
  pollIntervalMs: number;
  /** Deadline of each provider call, in ms. */
  providerTimeoutMs: number;
  /** Deadline of each shared store call, in ms. */
  storeTimeoutMs: number;
  /** Shown on the phone: who asks; absent when the app gave none. */
  serviceName?: string;
  /** Shown on the phone: where; absent when the app gave none. */
  serviceAddress?: string;
  /** A message for the phone; absent when the app gave none. */
  message?: string;
  /** The app's override of the provider's subject rule, when it gave one. */
  subjectMatches?: (requested: string | undefined, confirmed: string) => boolean;
  /** Whether the app's session data survives the session regeneration when a login starts. */
  keepSessionInfo: boolean;
  /** Every store, the missing ones made in memory. */
  stores: PushStores;
  /** The audit hook; absent when the app gave none. */
  onEvent?: PushEventListener;
  /** Action approval's options, checked against the provider. */
  approval: ResolvedApproval;
  /** Whether audit events carry personal numbers themselves instead of pseudonyms. */
  auditPersonalIds: boolean;
  /** The app's `secret`, checked (the default limiter gets it). */
  secret?: string;
  /** The key of every pseudonym the strategy itself makes: the app's secret, or a random one. */
  secretKey: string | Buffer;
  /** The clock, in epoch ms (`Date.now` unless a test gave one). */
  now: () => number;
}

/** Applies defaults and checks every option once, at construction. */
export function resolveOptions(options: PushStrategyOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new PushError('config', 'PushStrategy requires an options object with a provider.');
  }
  const provider = options.provider;
  if (!provider || typeof provider.start !== 'function' || typeof provider.check !== 'function') {
    throw new PushError('config', 'PushStrategy requires `provider`: an object with start() and check().');
  }
  if (provider.userId !== 'required' && provider.userId !== 'optional') {
    throw new PushError('config', "The provider must declare `userId: 'required' | 'optional'`.");
  }
  if (!SUBJECT_RULES.includes(provider.subjectRule)) {
    throw new PushError(
      'config',
      "The provider must declare `subjectRule: 'must-match' | 'match-if-typed' | 'provider'`.",
    );
  }
  const usernameField = options.usernameField ?? 'username';
  if (typeof usernameField !== 'string' || usernameField.length === 0) {
    throw new PushError('config', '`usernameField` must be a non-empty string.');
  }
  if (options.stores !== undefined && (typeof options.stores !== 'object' || options.stores === null)) {
    throw new PushError('config', '`stores` must be an object (for example `await redisStores(client)`).');
  }
  const now = options.now ?? Date.now;
  const storeTimeoutMs = positive(options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, 'storeTimeoutMs', 1);
  return {
    provider,
    name: nonEmpty(options.name ?? 'push', 'name'),
    usernameField,
    passReqToCallback: options.passReqToCallback === true,
    sessionKey: nonEmpty(options.sessionKey ?? `push:${provider.name}`, 'sessionKey'),
    userIdRules: {
      field: usernameField,
      maxLength: positive(options.maxUserIdLength ?? DEFAULT_MAX_USER_ID_LENGTH, 'maxUserIdLength', 1),
      pattern: pattern(options.userIdPattern ?? DEFAULT_USER_ID_PATTERN),
    },
    challengeTimeoutMs: positive(options.challengeTimeoutMs ?? 120_000, 'challengeTimeoutMs', 1),
    pollIntervalMs: positive(options.pollIntervalMs ?? 2_000, 'pollIntervalMs', 0),
    providerTimeoutMs: positive(options.providerTimeoutMs ?? 20_000, 'providerTimeoutMs', 1),
    storeTimeoutMs,
    serviceName: options.serviceName,
    serviceAddress: options.serviceAddress,
    message: options.message,
    ...(options.subjectMatch === undefined ? {} : { subjectMatches: subjectMatcher(options.subjectMatch) }),
    keepSessionInfo: options.keepSessionInfo !== false,
    // Each call to a store the app gave is bounded (store-deadline.ts): Redis may hang.
    stores: boundStores(resolveStores(options.stores, now), options.stores, storeTimeoutMs),
    onEvent: options.onEvent,
    approval: resolveApproval(options.approval, provider),
    auditPersonalIds: flag(options.auditPersonalIds, 'auditPersonalIds'),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    secretKey: secretKey(
      options.secret,
      'PushStrategy',
      options.stores?.notificationIndex?.shared === true
        ? 'a shared `stores.notificationIndex` needs `secret` (the same on every instance) to key its entries.'
        : undefined,
    ),
    now,
  };
}

function subjectMatcher(match: SubjectMatch): (requested: string | undefined, confirmed: string) => boolean {
  if (match === false) return () => true;
  // With no typed ID there is nothing to compare: only "accept any subject" accepts.
  if (typeof match === 'function') {
    return (requested, confirmed) => requested !== undefined && match(requested, confirmed);
  }
  if (match === 'exact') return (requested, confirmed) => requested === confirmed;
  if (match === 'case-insensitive') return sameIgnoringCase;
  throw new PushError('config', "`subjectMatch` must be 'case-insensitive', 'exact', false or a function.");
}

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PushError('config', `\`${name}\` must be a non-empty string.`);
  }
  return value;
}

function positive(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new PushError('config', `\`${name}\` must be a number ≥ ${min} (got ${String(value)}).`);
  }
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new PushError('config', `\`${name}\` must be true or false.`);
  return value;
}

function pattern(value: unknown): RegExp {
  if (!(value instanceof RegExp)) throw new PushError('config', '`userIdPattern` must be a RegExp.');
  // A global or sticky RegExp keeps lastIndex between calls and would reject every other ID.
  if (value.global || value.sticky)
    throw new PushError('config', '`userIdPattern` must not use the g or y flag.');
  return value;
}

const SUBJECT_RULES: readonly SubjectRule[] = ['must-match', 'match-if-typed', 'provider'];

/** The `'must-match'` comparison: the typed ID, case-insensitively. */
export function sameIgnoringCase(requested: string | undefined, confirmed: string): boolean {
  return requested !== undefined && requested.toLowerCase() === confirmed.toLowerCase();
}

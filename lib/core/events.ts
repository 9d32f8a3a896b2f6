/**
 * Audit events: one for every start, approval, ending, refusal and error, so apps can log and alert.
 * They carry IDs and addresses, never secrets, handles, access passes or personal claims.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { PushError } from '../errors';
import type { TerminalState } from '../providers/provider';

/**
 * One audit event; `userId` is the typed ID (absent when the provider identifies the user itself).
 *
 * @example
 * ```ts
 * import { PushStrategy, type PushEvent } from 'passport-push';
 *
 * const audit = (event: PushEvent) => console.log(event.type, event.userId, event.ip);
 * new PushStrategy({ provider, onEvent: audit }, async (subject) => findUser(subject));
 * ```
 */
export type PushEvent =
  /** A login started: the provider was asked to push a challenge. */
  | {
      /** What happened: a login started. */
      type: 'start';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** The user approved and the verify callback returned a user: the login completed. */
  | {
      /** What happened: the login was approved. */
      type: 'approved';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The subject the provider vouched for (what the verify callback received). */
      subject: string;
      /** Set when an action was approved rather than a login: the intent's hash (no login follows). */
      intentHash?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** The challenge ended without a login; `type` is how (the provider's state or the local deadline). */
  | {
      /** How the challenge ended (denied, expired, cancelled, …). */
      type: TerminalState;
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** A short code for why, when there is one (for example `fraud` or `subject_mismatch`). */
      reason?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** The user reported the push as fraudulent on the phone (sent in addition to `denied`). */
  | {
      /** What happened: the user reported fraud. */
      type: 'fraud';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** The verify callback returned no user for an approved subject (no account here). */
  | {
      /** What happened: the approved subject was rejected by the app. */
      type: 'rejected';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /**
   * A start refused by a limit: `rule` names it (`LimitRule`), `client` is the IPv4 address or IPv6
   * prefix the limits counted.
   */
  | {
      /** What happened: a start was refused. */
      type: 'refused';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The refusal's message (the `PushError` the start was refused with). */
      reason: string;
      /** The limit that refused it (a `LimitRule`); absent when no limit did. */
      rule?: string;
      /** The IPv4 address or IPv6 prefix the limits counted; absent when no limit did. */
      client?: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** A full counter store shed `count` live counters to make room: a flood is on (alert on it). */
  | {
      /** What happened: the counter store shed counters. */
      type: 'shed';
      /** How many live counters were dropped. */
      count: number;
      /** Never set: shedding concerns no single user. */
      userId?: undefined;
      /** Never set: shedding concerns no single client. */
      ip?: undefined;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /** The login failed on an error (a provider or transport fault, never a secret in `message`). */
  | {
      /** What happened: an error. */
      type: 'error';
      /** The ID the user typed; absent when the provider identifies the user itself. */
      userId?: string;
      /** The error's message (a `PushError`'s message; no secrets or personal numbers). */
      message: string;
      /** The client's IP address as the app's `trust proxy` setting resolved it; absent without a request. */
      ip?: string;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    }
  /**
   * A shared store, bus or index failed and the login went on without it (failing closed where it
   * must): `store` names which, `operation` what was asked of it, `lost` what the app loses, and
   * `cause` the error's code or name. No IDs, keys or messages from the store.
   */
  | {
      /** What happened: a shared store failed. */
      type: 'store_error';
      /** Which store failed. */
      store: PushStoreName;
      /** What was asked of the store (for example `hit` or `publish`). */
      operation: string;
      /** What the app loses because of the failure, in words. */
      lost: string;
      /** The error's code or name (never its message, which may hold keys). */
      cause: string;
      /** Never set: a store failure names no user. */
      userId?: undefined;
      /** Never set: a store failure names no client. */
      ip?: undefined;
      /** The provider's name (`Provider.name`), for apps that run more than one. */
      provider?: string;
    };

/**
 * The store a `store_error` event names: the completion claims, the start limiter's counters, the
 * notification index and bus, the wait page's display store, or the session store (the calls the
 * library itself makes there: regenerate, re-read).
 *
 * @example
 * ```ts
 * import type { PushEvent, PushStoreName } from 'passport-push';
 *
 * const alertOn: PushStoreName[] = ['rate_limit'];
 * const onEvent = (event: PushEvent) => {
 *   if (event.type === 'store_error' && alertOn.includes(event.store)) console.error(event.lost);
 * };
 * ```
 */
export type PushStoreName =
  'completion' | 'rate_limit' | 'notification_index' | 'notification_bus' | 'display' | 'session';

/** A `store_error` event of `store`'s `operation`, with the error's code or name as its cause. */
export function storeError(
  store: PushStoreName,
  operation: string,
  lost: string,
  error: unknown,
): Extract<PushEvent, { type: 'store_error' }> {
  // A bounded call's fault (store-deadline.ts) names the store's own error, which it wraps.
  const own = error instanceof PushError && error.code === 'store_unavailable' ? error.cause : error;
  // The code (ECONNREFUSED) or class, never the message: a store's message may quote a key.
  const code = (own as { code?: unknown } | null)?.code;
  const cause = typeof code === 'string' ? code : own instanceof Error ? own.name : typeof own;
  return { type: 'store_error', store, operation, lost, cause };
}

/**
 * The audit hook: must not throw (if it does, the login's outcome does not change).
 *
 * @example
 * ```ts
 * import { PushStrategy, type PushEventListener } from 'passport-push';
 *
 * const onEvent: PushEventListener = (event) => console.log(event.type);
 * new PushStrategy({ provider, onEvent }, async (subject) => findUser(subject));
 * ```
 */
export type PushEventListener = (event: PushEvent) => void;

/**
 * Replaces the personal IDs of an event (the typed ID and the subject) with pseudonyms: a keyed
 * hash under a random key made here, which never leaves memory, so the same ID gives the same
 * pseudonym while the process runs and no one can test a guessed number against it.
 */
export function eventPseudonymiser(): (event: PushEvent) => PushEvent {
  const key = randomBytes(32);
  const pseudonym = (id: string) =>
    `personal:${createHmac('sha256', key).update(id).digest('base64url').slice(0, 16)}`;
  return (event) => {
    const shown = { ...event };
    if (shown.userId !== undefined) shown.userId = pseudonym(shown.userId);
    if (shown.type === 'approved') shown.subject = pseudonym(shown.subject);
    return shown;
  };
}

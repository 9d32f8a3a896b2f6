/**
 * Audit events: one for every start, approval, ending, refusal and error, so apps can log and alert.
 * They carry IDs and addresses, never secrets, handles, access passes or personal claims.
 */
import { createHmac, randomBytes } from 'node:crypto';
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
  | { type: 'start'; userId?: string; ip?: string; provider?: string }
  | { type: 'approved'; userId?: string; subject: string; ip?: string; provider?: string }
  /** The challenge ended without a login; `type` is how (the provider's state or the local deadline). */
  | { type: TerminalState; userId?: string; reason?: string; ip?: string; provider?: string }
  /** The user reported the push as fraudulent on the phone (sent in addition to `denied`). */
  | { type: 'fraud'; userId?: string; ip?: string; provider?: string }
  | { type: 'rejected'; userId?: string; ip?: string; provider?: string }
  /**
   * A start refused by a limit: `rule` names it (`LimitRule`), `client` is the IPv4 address or IPv6
   * prefix the limits counted.
   */
  | {
      type: 'refused';
      userId?: string;
      reason: string;
      rule?: string;
      client?: string;
      ip?: string;
      provider?: string;
    }
  /** A full counter store shed `count` live counters to make room: a flood is on (alert on it). */
  | { type: 'shed'; count: number; userId?: undefined; ip?: undefined; provider?: string }
  | { type: 'error'; userId?: string; message: string; ip?: string; provider?: string }
  /**
   * A shared store, bus or index failed and the login went on without it (failing closed where it
   * must): `store` names which, `operation` what was asked of it, `lost` what the app loses, and
   * `cause` the error's code or name. No IDs, keys or messages from the store.
   */
  | {
      type: 'store_error';
      store: PushStoreName;
      operation: string;
      lost: string;
      cause: string;
      userId?: undefined;
      ip?: undefined;
      provider?: string;
    };

/**
 * The store a `store_error` event names: the start limiter's counters, the notification index and
 * bus, or the wait page's display store.
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
export type PushStoreName = 'rate_limit' | 'notification_index' | 'notification_bus' | 'display';

/** A `store_error` event of `store`'s `operation`, with the error's code or name as its cause. */
export function storeError(
  store: PushStoreName,
  operation: string,
  lost: string,
  error: unknown,
): Extract<PushEvent, { type: 'store_error' }> {
  // The code (ECONNREFUSED) or class, never the message: a store's message may quote a key.
  const code = (error as { code?: unknown } | null)?.code;
  const cause = typeof code === 'string' ? code : error instanceof Error ? error.name : typeof error;
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

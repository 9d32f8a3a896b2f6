/**
 * What the strategy tells the app when passport has no action for it. Passport ends a request with
 * success, fail, redirect, pass or error; "still pending" and "cancelled" are none of those, so the
 * strategy calls `pass()` (or, when asked, `fail(outcome, 202)`) and leaves the details here.
 */
import { retryAfterMs, type ChallengeRecord } from './challenge';
import type { ChallengeDisplay, TerminalState } from '../providers/provider';

export interface PushPending {
  state: 'pending' | 'fetched';
  /** The ID the challenge was sent to. */
  userId: string;
  /** True on the request that started the challenge. */
  started: boolean;
  /** Only on the start request: what the browser must show (access pass, binding message, QR). */
  display?: ChallengeDisplay;
  /** Epoch ms of the local deadline. */
  expiresAt: number;
  /** Time left until that deadline, by the strategy's clock (browsers' clocks may be off). */
  expiresInMs: number;
  /** When polling again is useful. */
  retryAfterMs: number;
  challengeId: string;
  message: string;
}

export interface PushCancelled {
  state: 'cancelled';
  message: string;
}

/** A non-final outcome, read with `pushOutcome(req)` in the handler after `passport.authenticate`. */
export type PushOutcome = PushPending | PushCancelled;

/** Why a login ended without a user; passed to `fail()` as the challenge object. */
export type FailureState =
  | TerminalState
  /** No challenge in this session (never started, already completed, or cleared). */
  | 'none'
  /** The request itself was unusable (missing or malformed ID). */
  | 'bad_request'
  /** The phone approved, but the app's verify callback refused the user. */
  | 'rejected';

export interface PushFailure {
  state: FailureState;
  message: string;
  /** A machine-readable reason where there is one (`missing_user_id`, a provider error code…). */
  code?: string;
}

const outcomes = new WeakMap<object, PushOutcome>();

export function setPushOutcome(req: object, outcome: PushOutcome): void {
  outcomes.set(req, outcome);
}

/** The pending or cancelled outcome of `passport.authenticate('push')` on this request, if any. */
export function pushOutcome(req: object): PushOutcome | undefined {
  return outcomes.get(req);
}

export const defaultMessage: Record<PushFailure['state'], string> = {
  denied: 'The login was denied on the phone.',
  expired: 'The login request expired.',
  cancelled: 'The login request was cancelled.',
  suspended: 'The login request was withdrawn because a newer one was started.',
  invalid: 'The login request is not valid any more.',
  none: 'No login is waiting for approval.',
  bad_request: 'The request was not understood.',
  rejected: 'This ID has no account here.',
};

export function pendingOutcome(
  record: ChallengeRecord,
  now: number,
  started: boolean,
  display?: PushPending['display'],
): PushPending {
  return {
    state: record.fetched ? 'fetched' : 'pending',
    userId: record.userId,
    started,
    ...(display ? { display } : {}),
    expiresAt: record.expiresAt,
    expiresInMs: Math.max(0, record.expiresAt - now),
    retryAfterMs: retryAfterMs(record, now),
    challengeId: record.id,
    message: record.fetched
      ? 'Opened on your phone. Waiting for approval…'
      : 'Waiting for approval on your phone…',
  };
}

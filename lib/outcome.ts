/**
 * What the strategy tells the app when passport has no action for it. Passport ends a request with
 * success, fail, redirect, pass or error; "still pending" and "cancelled" are none of those, so the
 * strategy calls `pass()` (or, when asked, `fail(outcome, 202)`) and leaves the details here.
 */
import type { ChallengeDisplay, TerminalState } from './providers/provider';

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

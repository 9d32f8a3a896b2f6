/**
 * What a login step ends in, as plain data: `LoginResult` is the core's answer to start, poll and
 * cancel. The web layer maps it onto HTTP, the strategy onto passport's actions. "Still pending" and
 * "cancelled" are no passport action: the strategy calls `pass()` and leaves them for `pushOutcome(req)`.
 */
import { retryAfterMs, type ChallengeRecord } from './challenge';
import type { ActionApproval } from './approval';
import type { PushErrorCode } from '../errors';
import type { ChallengeDisplay, ProviderMessage, TerminalState } from '../providers/provider';

/**
 * A challenge that is still waiting for the phone.
 *
 * @example
 * ```ts
 * import { pushOutcome } from 'passport-push';
 *
 * app.get('/login/push', passport.authenticate('push', { action: 'poll' }), (req, res) => {
 *   const outcome = pushOutcome(req);
 *   if (outcome?.state !== 'cancelled') res.status(202).json(outcome); // { state: 'pending', … }
 * });
 * ```
 */
export interface PushPending {
  /** `pending` until the phone has opened the challenge, `fetched` after (when the provider tells). */
  state: 'pending' | 'fetched';
  /** The ID the challenge was sent to; absent when the provider identifies the user itself. */
  userId?: string;
  /** True on the request that started the challenge. */
  started: boolean;
  /**
   * What the browser must show (access pass, binding message, QR, launch link): the start's display,
   * a fresh one a status carried, or the provider's `currentDisplay` (an animated QR).
   */
  display?: ChallengeDisplay;
  /** The provider's latest message for the user (a catalogue key and an English text). */
  providerMessage?: ProviderMessage;
  /** Epoch ms of the local deadline. */
  expiresAt: number;
  /** Time left until that deadline, by the strategy's clock (browsers' clocks may be off). */
  expiresInMs: number;
  /** When polling again is useful. */
  retryAfterMs: number;
  /** The challenge's random ID in this session (not the provider's handle; safe to show and log). */
  challengeId: string;
  /** An English text for the state, for clients that show no catalogue text. */
  message: string;
  /** Set when the challenge approves an action (`approve`): its texts speak of the action, never of a login. */
  approval?: true;
}

/**
 * The login request was withdrawn by the user.
 *
 * @example
 * ```ts
 * import { pushOutcome } from 'passport-push';
 *
 * app.post('/login/push/cancel', passport.authenticate('push', { action: 'cancel' }), (req, res) => {
 *   res.json(pushOutcome(req)); // { state: 'cancelled' }
 * });
 * ```
 */
export interface PushCancelled {
  /** Always `cancelled`. */
  state: 'cancelled';
  /** An English text saying the login was cancelled. */
  message: string;
  /** Set when the challenge approves an action (`approve`): its texts speak of the action, never of a login. */
  approval?: true;
}

/**
 * A non-final outcome, read with `pushOutcome(req)` in the handler after `passport.authenticate`.
 *
 * @example
 * ```ts
 * import { pushOutcome, type PushOutcome } from 'passport-push';
 *
 * app.post('/login/push/cancel', passport.authenticate('push', { action: 'cancel' }), (req, res) => {
 *   const outcome: PushOutcome | undefined = pushOutcome(req);
 *   res.json(outcome); // { state: 'cancelled' }
 * });
 * ```
 */
export type PushOutcome = PushPending | PushCancelled;

/**
 * Why a login ended without a user.
 */
export type FailureState =
  | TerminalState
  /** No challenge in this session (never started, already completed, or cleared). */
  | 'none'
  /** The request itself was unusable (missing or malformed ID). */
  | 'bad_request'
  /** The phone approved, but the app's verify callback refused the user. */
  | 'rejected';

/**
 * A login that ended without a user; passed to passport's `fail()` as the challenge object.
 *
 * @example
 * ```ts
 * app.all('/login/push', (req, res, next) =>
 *   passport.authenticate(
 *     'push',
 *     {},
 *     (err: unknown, user: Express.User | false, info: unknown, status: number) => {
 *       if (err || user) return next(err);
 *       res.status(status).json(info); // a PushFailure: { state: 'denied', message, code? }
 *     },
 *   )(req, res, next),
 * );
 * ```
 */
export interface PushFailure {
  /** How the login ended. */
  state: FailureState;
  /** An English text for the ending, safe to show the user. */
  message: string;
  /** A machine-readable reason where there is one (`missing_user_id`, `subject_mismatch`…). */
  code?: PushErrorCode;
  /** The provider's message for the user, when it gave one. */
  providerMessage?: ProviderMessage;
  /** Set when the challenge approves an action (`approve`): its texts speak of the action, never of a login. */
  approval?: true;
}

/**
 * What passport's `success()` gets as `info`, and the core's `approved` result carries.
 *
 * @example
 * ```ts
 * app.get('/profile', (req, res) => {
 *   res.json(req.authInfo); // { provider: 'secsign-id', method: 'push', subject: 'alice', claims: {} }
 * });
 * ```
 */
export interface PushSuccessInfo {
  /** The provider's `name` (`'secsign-id'`, `'ciba'`, `'bankid'`, …). */
  provider: string;
  /** Always `'push'`: how the user authenticated. */
  method: 'push';
  /** The ID the provider confirmed (what verify received as `subject`). */
  subject: string;
  /** Facts the provider vouches for (ID token claims for CIBA, BankID's completion data). */
  claims: Readonly<Record<string, unknown>>;
}

/**
 * The core's answer to one start, poll or cancel.
 *
 * @example
 * ```ts
 * const result = await strategy.login.poll({ session: loginSession, ip: '192.0.2.10' });
 * switch (result.kind) {
 *   case 'approved':
 *     console.log(result.user);
 *     break;
 *   case 'failed':
 *     console.log(result.state, result.code);
 *     break;
 * }
 * ```
 */
export type LoginResult<User> =
  | ({
      /** Still waiting for the phone. */
      kind: 'pending';
    } & PushPending)
  | {
      /** The login completed. */
      kind: 'approved';
      /** What the app's verify callback returned. */
      user: User;
      /** What passport's `success()` gets as `info`. */
      info: PushSuccessInfo;
      /** The ID the user typed, when there was one (the router's device cookie trusts it). */
      requestedUserId?: string;
    }
  | {
      /** An action's challenge was approved by the signed-in user: the approval waits for its one use. */
      kind: 'action_approved';
      /** The approval record (its proof is for the audit log, never for the browser). */
      approval: ActionApproval;
    }
  | ({
      /** The login ended without a user. */
      kind: 'failed';
    } & PushFailure)
  | ({
      /** The user withdrew the login. */
      kind: 'cancelled';
    } & PushCancelled)
  /** The step could not finish (limit hit, provider unreachable, app wiring wrong): a `PushError` or the app's own error. */
  | {
      /** The step could not finish. */
      kind: 'error';
      /** A `PushError` or the app's own error. */
      error: unknown;
      /** Set when the step was an action's (`approve`): its texts speak of the action. */
      approval?: true;
    };

const outcomes = new WeakMap<object, PushOutcome>();

/** Remembers the non-final outcome of `passport.authenticate('push')` for `pushOutcome(req)`. */
export function setPushOutcome(req: object, outcome: PushOutcome): void {
  outcomes.set(req, outcome);
}

/**
 * The pending or cancelled outcome of `passport.authenticate('push')` on this request, if any.
 *
 * @example
 * ```ts
 * import { pushOutcome } from 'passport-push';
 *
 * app.get('/login/push', passport.authenticate('push', { action: 'poll' }), (req, res) => {
 *   res.status(202).json(pushOutcome(req)); // still pending
 * });
 * ```
 */
export function pushOutcome(req: object): PushOutcome | undefined {
  return outcomes.get(req);
}

/** The English message for each way a login can end without a user. */
export const defaultMessage: Record<FailureState, string> = {
  denied: 'The login was denied on the phone.',
  expired: 'The login request expired.',
  cancelled: 'The login request was cancelled.',
  suspended: 'The login request was withdrawn because a newer one was started.',
  invalid: 'The login request is not valid any more.',
  none: 'No login is waiting for approval.',
  bad_request: 'The request was not understood.',
  rejected: 'This ID has no account here.',
};

/** The English message for each way an action's challenge can end that a login's words would misname. */
const actionMessage: Partial<Record<FailureState, string>> = {
  denied: 'The action was denied on the phone.',
  expired: 'The approval request expired.',
  cancelled: 'The approval request was cancelled.',
  suspended: 'The approval request was withdrawn because a newer one was started.',
  invalid: 'The approval request is not valid any more.',
};

/**
 * The result of an action's challenge, marked as one (the web layer then speaks of the action):
 * the login's default English texts become the action's; the provider's and the checks' own stay.
 * (Its pending answers are marked where they are made, from the record.)
 */
export function asAction<User>(result: LoginResult<User>): LoginResult<User> {
  switch (result.kind) {
    case 'failed':
    case 'cancelled': {
      const own = result.message !== defaultMessage[result.state];
      return {
        ...result,
        approval: true,
        message: own ? result.message : (actionMessage[result.state] ?? result.message),
      };
    }
    case 'error':
      return { ...result, approval: true };
    default:
      return result;
  }
}

/** The English text of a pending state: of the action for an action's challenge. */
function pendingText(record: ChallengeRecord): string {
  if (record.act !== undefined) {
    return record.fetched
      ? 'Opened on your phone. Waiting for the action to be approved…'
      : 'Waiting for the action to be approved on your phone…';
  }
  return record.fetched
    ? 'Opened on your phone. Waiting for approval…'
    : 'Waiting for approval on your phone…';
}

/** The pending answer for `record` at `now`. */
export function pendingOutcome(
  record: ChallengeRecord,
  now: number,
  started: boolean,
  display?: ChallengeDisplay,
  nextCheckAt = record.nextCheckAt,
): PushPending {
  return {
    state: record.fetched ? 'fetched' : 'pending',
    ...(record.userId !== undefined ? { userId: record.userId } : {}),
    started,
    ...(display ? { display } : {}),
    ...(record.message ? { providerMessage: record.message } : {}),
    expiresAt: record.expiresAt,
    expiresInMs: Math.max(0, record.expiresAt - now),
    retryAfterMs: retryAfterMs(record, now, nextCheckAt),
    challengeId: record.id,
    message: pendingText(record),
    // An action's challenge (the record keeps its intent hash): its texts speak of the action.
    ...(record.act !== undefined ? { approval: true as const } : {}),
  };
}

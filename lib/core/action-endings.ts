/**
 * How a session's recent action challenges ended. Once an action ends its record is gone and the
 * session is still signed in, so a second tab asking about it would read like a login that
 * completed; the ending kept here, keyed by the challenge's random id, lets that tab hear the
 * action's own ending. Bounded (a few entries, the newest kept) and free of personal data: an id,
 * an ending, a code and the intent's hash (which the session's held approvals keep anyway).
 */
import type { PushErrorCode } from '../errors';
import type { TerminalState } from '../providers/provider';
import type { SessionLike } from './session-access';
import { isSettledState, type SettledState } from './notification-bus';
import { asAction, defaultMessage, type LoginResult } from './outcome';

/** How an action's challenge ended: approved (with the intent's hash), or without an approval. */
export type ActionEnding =
  | {
      /** The phone approved exactly this action, for the signed-in user. */
      readonly state: 'approved';
      /** The approval's intent hash, as its first answer carried it. */
      readonly intentHash?: string;
    }
  | {
      /** How it ended without an approval (`suspended`: a newer start replaced it). */
      readonly state: TerminalState;
      /** The machine-readable reason, when the ending had one. */
      readonly code?: PushErrorCode;
    };

/** What the session keeps per ending (short names: it rides in every session read). */
interface KeptEnding {
  /** The challenge id. */
  i: string;
  /** The ending: exactly the settled states. */
  s: SettledState;
  c?: PushErrorCode;
  h?: string;
}

/** How many endings a session keeps: enough for the tabs one person has open on one bank. */
const MAX_KEPT = 4;

/** Keeps `ending` of challenge `challengeId` under `key`, the oldest dropped beyond the bound. */
export function noteActionEnding(
  data: SessionLike,
  key: string,
  challengeId: string,
  ending: ActionEnding,
): void {
  const entry: KeptEnding =
    ending.state === 'approved'
      ? {
          i: challengeId,
          s: 'approved',
          ...(ending.intentHash !== undefined ? { h: ending.intentHash } : {}),
        }
      : { i: challengeId, s: ending.state, ...(ending.code !== undefined ? { c: ending.code } : {}) };
  const others = keptEndings(data[key]).filter((kept) => kept.i !== challengeId);
  data[key] = [entry, ...others].slice(0, MAX_KEPT);
}

/** The kept ending of challenge `challengeId`, if the session has one (anything unreadable is none). */
export function actionEndingOf(
  data: SessionLike,
  key: string,
  challengeId: unknown,
): ActionEnding | undefined {
  if (typeof challengeId !== 'string' || challengeId === '') return undefined;
  const kept = keptEndings(data[key]).find((entry) => entry.i === challengeId);
  if (kept === undefined) return undefined;
  if (kept.s === 'approved')
    return { state: 'approved', ...(typeof kept.h === 'string' ? { intentHash: kept.h } : {}) };
  return { state: kept.s, ...(typeof kept.c === 'string' ? { code: kept.c } : {}) };
}

/**
 * The ending an action's final result reports; undefined for a result that is no ending (pending,
 * no challenge). Asked only once the result's request took the record: an error then ended the
 * challenge without an approval.
 */
export function endingOf<User>(result: LoginResult<User>): ActionEnding | undefined {
  switch (result.kind) {
    case 'action_approved':
      return { state: 'approved', intentHash: result.approval.intentHash };
    case 'cancelled':
      return { state: 'cancelled' };
    case 'failed':
      if (result.state === 'none' || result.state === 'bad_request' || result.state === 'rejected') {
        return undefined;
      }
      return { state: result.state, ...(result.code !== undefined ? { code: result.code } : {}) };
    case 'error':
      // Its code tells of the fault (a store, a hook), not of the challenge, which can only end.
      return { state: 'invalid' };
    default:
      return undefined;
  }
}

/** The answer for an ending without an approval, as the action's own answer said it. */
export function unapprovedResult<User>(
  ending: Extract<ActionEnding, { state: TerminalState }>,
): LoginResult<User> {
  if (ending.state === 'cancelled') {
    return asAction({ kind: 'cancelled', state: 'cancelled', message: defaultMessage.cancelled });
  }
  return asAction({
    kind: 'failed',
    state: ending.state,
    message: defaultMessage[ending.state],
    ...(ending.code !== undefined ? { code: ending.code } : {}),
  });
}

function keptEndings(value: unknown): KeptEnding[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is KeptEnding =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as KeptEnding).i === 'string' &&
      isSettledState((entry as KeptEnding).s),
  );
}

/**
 * An action as an Authentiq8 Me push. The guide says an action can be configured ("Login / Payment /
 * Password Reset") and that authenticate carries a message (rsp_code 1054 "no login message"); the
 * field names and values are INFERRED (wire-fields.ts). So the push carries what is known to reach
 * the phone, the action as one line of `message` text, and the inferred `action` value, nothing
 * more: no amount or currency fields (codes 1015 and 1024 hint at some, but neither their names nor
 * their format are public, and a guessed field the server ignored would show the user less than the
 * app believes). A message that does not fit is refused, never cut.
 */
import { PushError } from '../../errors';
import type { ActionRequest } from '../action';
import { actionLine } from '../action-line';
import { INFERRED_ACTION_FOR, INFERRED_MAX_MESSAGE_LENGTH, type InferredAction } from './wire-fields';

/** What authenticate sends for an action. */
export interface ActionPush {
  /** The inferred `action` value: `payment` for a payment and for any other action (see wire-fields.ts). */
  readonly action: InferredAction;
  /** The action on one line, as the phone shows it. */
  readonly message: string;
}

/** The `action` and `message` of an action's push; refused (`invalid_intent`) when it does not fit. */
export function actionPush(action: ActionRequest): ActionPush {
  const message = actionLine(action.intent);
  if (message.length > INFERRED_MAX_MESSAGE_LENGTH) {
    throw new PushError(
      'input',
      `The action cannot be shown by Authentiq8 Me: it takes ${message.length} characters on one line, and a message takes at most ${INFERRED_MAX_MESSAGE_LENGTH}.`,
      { code: 'invalid_intent' },
    );
  }
  return { action: INFERRED_ACTION_FOR[action.intent.type], message };
}

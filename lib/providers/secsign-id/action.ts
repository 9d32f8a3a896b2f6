/**
 * An action as SecSign ID's classic API can carry it: one line in `servicename`, the one text the
 * phone shows beside the access pass (at most 255 characters; the server echoes it raw, so no "&").
 * An action that does not fit is refused, never cut.
 */
import { PushError } from '../../errors';
import type { ActionRequest } from '../action';
import { actionLine as oneLine } from '../action-line';

/** The longest `servicename` SecSign's own clients send (its JS API cuts there). */
const MAX_LINE = 255;

/** The action on one line: "Approve payment: 500.00 SEK to Anna Berg, …" or "Title: line; line". */
export function actionLine(action: ActionRequest): string {
  const line = oneLine(action.intent);
  if (line.length > MAX_LINE) {
    throw invalid(`it takes ${line.length} characters on one line, and the phone shows at most ${MAX_LINE}`);
  }
  // The server answers `key=value&…` unencoded: an "&" in the echoed text would split its answer.
  if (line.includes('&')) throw invalid('it contains "&", which the SecSign ID server cannot echo');
  return line;
}

function invalid(what: string): PushError {
  return new PushError('input', `The action cannot be shown by SecSign ID: ${what}.`, {
    code: 'invalid_intent',
  });
}

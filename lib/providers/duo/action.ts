/**
 * An action as a Duo Push: the push's title (`type`) names it and `pushinfo` carries its details as
 * the key/value pairs Duo Mobile shows. Duo documents one limit (the URL-encoded `pushinfo` must be
 * under 20,000 bytes); an action that does not fit is refused, never cut, so the phone never shows
 * less than the app asked for.
 */
import { PushError } from '../../errors';
import type { ActionRequest } from '../action';
import { duoEncode } from './signing';

/** Duo's documented bound: the URL-encoded `pushinfo` "must be less than 20,000 bytes". */
export const MAX_PUSHINFO_BYTES = 20_000;
/** The longest push title the library sends (Duo documents none; the same bound as `pushType`). */
export const MAX_PUSH_TYPE = 100;

/** The push's title and details for an action. */
export interface ActionPush {
  /** The push's title: "Approve payment", or a generic action's title. */
  readonly type: string;
  /** The details as `key=value` pairs, in order (encoded by `encodePairs`). */
  readonly pairs: readonly (readonly [string, string])[];
}

/** The action's title and its details as pairs: amount, payee, account, reference, or the lines. */
export function actionPush(action: ActionRequest): ActionPush {
  const { intent } = action;
  if (intent.type === 'generic') {
    if (intent.title.length > MAX_PUSH_TYPE) {
      throw invalid(`its title is longer than ${MAX_PUSH_TYPE} characters, too long for a Duo Push title`);
    }
    return { type: intent.title, pairs: intent.lines.map((line, index) => [`Line ${index + 1}`, line]) };
  }
  return {
    type: 'Approve payment',
    pairs: [
      ['Amount', `${intent.amount} ${intent.currency}`],
      ['To', intent.payee.name],
      ...(intent.payee.account !== undefined ? [['Account', intent.payee.account] as const] : []),
      ...(intent.reference !== undefined ? [['Reference', intent.reference] as const] : []),
    ],
  };
}

/** `key=value&…`, both percent-encoded as Duo's signature expects. */
export function encodePairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([key, value]) => `${duoEncode(key)}=${duoEncode(value)}`).join('&');
}

/** The action's `pushinfo` with the service pairs before it; refused when Duo would not take it. */
export function actionPushInfo(service: readonly (readonly [string, string])[], push: ActionPush): string {
  const pushinfo = encodePairs([...service, ...push.pairs]);
  const bytes = Buffer.byteLength(pushinfo, 'utf8');
  if (bytes >= MAX_PUSHINFO_BYTES) {
    throw invalid(
      `its details take ${bytes} bytes as Duo pushinfo, and Duo takes less than 20,000 bytes; shorten the lines`,
    );
  }
  return pushinfo;
}

function invalid(what: string): PushError {
  return new PushError('input', `The action cannot be shown in a Duo Push: ${what}.`, {
    code: 'invalid_intent',
  });
}

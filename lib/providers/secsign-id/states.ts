/**
 * SecSign ID auth-session states (identical in every SecSign client) as one table. Anything not in
 * it, NOSTATE (0) included, is a protocol error: never approval.
 */
import { PushError } from '../../errors';
import type { ChallengeState, ProviderMessage } from '../provider';
import { messageOf } from '../texts';
import { secSignIdTexts } from './texts';

export interface SecSignStateEntry {
  /** The server's name for the code (AuthSession constants). */
  name: string;
  state: ChallengeState;
  /** Safe to show the user when the challenge ends here (`secsign.<state>` catalogue keys). */
  message?: ProviderMessage;
}

/**
 * SecSign ID's numeric authentication session states and the challenge state each becomes.
 */
export const SECSIGN_STATES: Readonly<Record<string, SecSignStateEntry>> = Object.freeze({
  '1': { name: 'PENDING', state: 'pending' },
  '7': { name: 'FETCHED', state: 'fetched' },
  '3': { name: 'AUTHENTICATED', state: 'approved' },
  '4': {
    name: 'DENIED',
    state: 'denied',
    message: messageOf(secSignIdTexts, 'secsign.denied'),
  },
  '2': {
    name: 'EXPIRED',
    state: 'expired',
    message: messageOf(secSignIdTexts, 'secsign.expired'),
  },
  '5': {
    name: 'SUSPENDED',
    state: 'suspended',
    message: messageOf(secSignIdTexts, 'secsign.suspended'),
  },
  '6': {
    name: 'CANCELED',
    state: 'cancelled',
    message: messageOf(secSignIdTexts, 'secsign.cancelled'),
  },
  '8': {
    name: 'INVALID',
    state: 'invalid',
    message: messageOf(secSignIdTexts, 'secsign.invalid'),
  },
});

/** Maps a raw `authsessionstate` value; throws PushError('protocol') for 0, unknown or missing codes. */
export function lookupState(code: string | undefined): SecSignStateEntry {
  if (code === undefined || code === '') {
    throw new PushError('protocol', 'The SecSign ID answer lacks the field "authsessionstate".', {
      code: 'invalid_response',
    });
  }
  // Own keys only: "constructor" or "__proto__" must not find anything.
  const entry = Object.hasOwn(SECSIGN_STATES, code) ? SECSIGN_STATES[code] : undefined;
  if (entry === undefined) {
    const shown = /^\d{1,6}$/.test(code) ? ` ${code}` : '';
    throw new PushError('protocol', `The SecSign ID server answered an unknown session state${shown}.`, {
      code: 'invalid_response',
    });
  }
  return entry;
}

/**
 * SecSign ID auth-session states (identical in every SecSign client) as one table. Anything not in
 * it, NOSTATE (0) included, is a protocol error: never approval.
 */
import { PushError } from '../../errors';
import type { ChallengeState, ProviderMessage } from '../provider';

export interface SecSignStateEntry {
  /** The server's name for the code (AuthSession constants). */
  name: string;
  state: ChallengeState;
  /** Safe to show the user when the challenge ends here (`secsign.<state>` catalogue keys). */
  message?: ProviderMessage;
}

export const SECSIGN_STATES: Readonly<Record<string, SecSignStateEntry>> = Object.freeze({
  '1': { name: 'PENDING', state: 'pending' },
  '7': { name: 'FETCHED', state: 'fetched' },
  '3': { name: 'AUTHENTICATED', state: 'approved' },
  '4': {
    name: 'DENIED',
    state: 'denied',
    message: { key: 'secsign.denied', text: 'The login was denied on the phone.' },
  },
  '2': {
    name: 'EXPIRED',
    state: 'expired',
    message: { key: 'secsign.expired', text: 'The login request expired before it was confirmed.' },
  },
  '5': {
    name: 'SUSPENDED',
    state: 'suspended',
    message: {
      key: 'secsign.suspended',
      text: 'A newer login request for this SecSign ID replaced this one.',
    },
  },
  '6': {
    name: 'CANCELED',
    state: 'cancelled',
    message: { key: 'secsign.cancelled', text: 'The login request was cancelled.' },
  },
  '8': {
    name: 'INVALID',
    state: 'invalid',
    message: { key: 'secsign.invalid', text: 'The login request is no longer valid.' },
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

/**
 * Which message a BankID hint code sends: its key names a text in texts.ts, in every language.
 */
import type { PendingState, ProviderMessage, TerminalState } from '../provider';
import { messageOf } from '../texts';
import { bankIdTexts, type BankIdMessageKey } from './texts';

/** The message for a key, with the English text as the fallback. */
export function bankIdMessage(key: BankIdMessageKey): ProviderMessage {
  return messageOf(bankIdTexts, key);
}

/** What a pending hint code tells the user. */
export const PENDING_HINTS: Readonly<Record<string, { state: PendingState; key: BankIdMessageKey }>> = {
  outstandingTransaction: { state: 'pending', key: 'bankid.rfa.1' },
  noClient: { state: 'pending', key: 'bankid.rfa.1' },
  started: { state: 'fetched', key: 'bankid.rfa.21' },
  userMrtd: { state: 'fetched', key: 'bankid.rfa.23' },
  userCallConfirm: { state: 'fetched', key: 'bankid.hint.userCallConfirm' },
  userSign: { state: 'fetched', key: 'bankid.rfa.9' },
};

/** How each failure hint code ends the challenge. */
export const FAILURE_HINTS: Readonly<Record<string, { state: TerminalState; key: BankIdMessageKey }>> = {
  expiredTransaction: { state: 'expired', key: 'bankid.rfa.8' },
  certificateErr: { state: 'suspended', key: 'bankid.rfa.16' },
  userCancel: { state: 'denied', key: 'bankid.rfa.6' },
  cancelled: { state: 'cancelled', key: 'bankid.rfa.3' },
  startFailed: { state: 'expired', key: 'bankid.rfa.17b' },
  userDeclinedCall: { state: 'denied', key: 'bankid.hint.userDeclinedCall' },
  notSupportedByUserApp: { state: 'invalid', key: 'bankid.hint.notSupportedByUserApp' },
  transactionRiskBlocked: { state: 'invalid', key: 'bankid.hint.transactionRiskBlocked' },
};

/** An unknown pending hint (BankID may add codes): still pending, with the generic "in progress". */
export const UNKNOWN_PENDING: { state: PendingState; key: BankIdMessageKey } = {
  state: 'pending',
  key: 'bankid.rfa.21',
};

/** An unknown failure hint: the order is over (fail closed), with "Unknown error". */
export const UNKNOWN_FAILURE: { state: TerminalState; key: BankIdMessageKey } = {
  state: 'invalid',
  key: 'bankid.rfa.22',
};

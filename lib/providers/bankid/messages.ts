/**
 * What the user is told while a BankID order runs. BankID's RP guidelines give recommended user
 * messages (RFA1…RFA23) in English and Swedish; a page shows them by catalogue key
 * (`bankid.rfa.<n>`), or `bankid.hint.<code>` for hint codes the guidelines give no RFA for.
 */
import type { PendingState, ProviderMessage, TerminalState } from '../provider';

/**
 * One user message in the two languages BankID publishes.
 *
 * @example
 * ```ts
 * import { BANKID_MESSAGES, type BankIdMessageKey, type BankIdMessageText } from 'passport-push';
 *
 * const text: BankIdMessageText = BANKID_MESSAGES[Object.keys(BANKID_MESSAGES)[0] as BankIdMessageKey];
 * ```
 */
export interface BankIdMessageText {
  en: string;
  sv: string;
}

/**
 * Every catalogue key this provider uses, with English and Swedish text.
 *
 * @example
 * ```ts
 * import { BANKID_MESSAGES } from 'passport-push';
 *
 * console.log(Object.keys(BANKID_MESSAGES)); // the hint and RFA message keys
 * ```
 */
export const BANKID_MESSAGES = {
  'bankid.rfa.1': { en: 'Start your BankID app.', sv: 'Starta BankID-appen.' },
  'bankid.rfa.3': { en: 'Action cancelled. Please try again.', sv: 'Åtgärden avbruten. Försök igen.' },
  'bankid.rfa.4': {
    en: 'An identification or signing for this personal number is already started. Please try again.',
    sv: 'En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.',
  },
  'bankid.rfa.5': { en: 'Internal error. Please try again.', sv: 'Internt tekniskt fel. Försök igen.' },
  'bankid.rfa.6': { en: 'Action cancelled.', sv: 'Åtgärden avbruten.' },
  'bankid.rfa.8': {
    en: "The BankID app is not responding. Please check that it's started and that you have internet access. If you don't have a valid BankID you can get one from your bank. Try again.",
    sv: 'BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Om du inte har något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen.',
  },
  'bankid.rfa.9': {
    en: 'Enter your security code in the BankID app and select Identify or Sign.',
    sv: 'Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.',
  },
  'bankid.rfa.16': {
    en: 'The BankID you are trying to use is blocked or too old. Please use another BankID or get a new one from your bank.',
    sv: 'Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din bank.',
  },
  'bankid.rfa.17b': {
    en: "Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to date. If you don't have the BankID app, you need to install it and get a BankID from your bank. Install the app from your app store or https://install.bankid.com.",
    sv: 'Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett BankID hos din bank. Installera appen från din appbutik eller https://install.bankid.com.',
  },
  'bankid.rfa.21': {
    en: 'Identification or signing in progress.',
    sv: 'Identifiering eller underskrift pågår.',
  },
  'bankid.rfa.22': { en: 'Unknown error. Please try again.', sv: 'Okänt fel. Försök igen.' },
  'bankid.rfa.23': {
    en: 'Process your machine-readable travel document using the BankID app.',
    sv: 'Läs av din pass eller ditt nationella id-kort med BankID-appen.',
  },
  'bankid.hint.userCallConfirm': {
    en: 'Confirm in the BankID app that you are in a call with us.',
    sv: 'Bekräfta i BankID-appen att du är i ett samtal med oss.',
  },
  'bankid.hint.userDeclinedCall': {
    en: 'Action cancelled: you said in the BankID app that you are not in a call with us.',
    sv: 'Åtgärden avbruten: du angav i BankID-appen att du inte är i ett samtal med oss.',
  },
  'bankid.hint.notSupportedByUserApp': {
    en: 'Your BankID app cannot do this. Please update the app and try again.',
    sv: 'Din BankID-app kan inte göra detta. Uppdatera appen och försök igen.',
  },
  'bankid.hint.transactionRiskBlocked': {
    en: 'BankID stopped this login as too risky. Please try again later.',
    sv: 'BankID stoppade inloggningen på grund av för hög risk. Försök igen senare.',
  },
} as const satisfies Record<string, BankIdMessageText>;

/**
 * A catalogue key this provider may send.
 *
 * @example
 * ```ts
 * import { BANKID_MESSAGES, type BankIdMessageKey } from 'passport-push';
 *
 * const key = Object.keys(BANKID_MESSAGES)[0] as BankIdMessageKey;
 * console.log(BANKID_MESSAGES[key]);
 * ```
 */
export type BankIdMessageKey = keyof typeof BANKID_MESSAGES;

/** The message for a key, with the English text as the fallback. */
export function bankIdMessage(key: BankIdMessageKey): ProviderMessage {
  return { key, text: BANKID_MESSAGES[key].en };
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

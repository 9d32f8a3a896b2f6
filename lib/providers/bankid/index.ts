// BankID (RP API v6): the provider, its options, the user messages and the wire-level pieces.
export { BankIdProvider, BANKID_ORDER_LIFETIME_MS, BANKID_PERSONAL_CLAIMS } from './provider';
export type { BankIdHandle } from './provider';
export { BANKID_PRODUCTION_URL, BANKID_TEST_URL } from './options';
export type { BankIdProviderOptions, BankIdRequirement } from './options';
export { FAILURE_HINTS, PENDING_HINTS, bankIdMessage } from './messages';
export { bankIdTexts, type BankIdMessageKey } from './texts';
export { BANKID_ERROR_CODES, errorFromAnswer } from './failures';
export { readAuthAnswer, readCollectAnswer } from './answers';
export type { AuthAnswer, CollectAnswer, CompletionData, CompletedUser } from './answers';
export { launchUrl, qrAuthCode, qrData, qrSeconds } from './qr';
export { normalisePersonalNumber } from './personal-number';

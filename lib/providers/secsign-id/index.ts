// SecSign ID (classic HTTP API): the provider, its options and the wire-level pieces it is built from.
export { SecSignIdProvider, normaliseSecSignId, toAccessPass } from './provider';
export type { SecSignIdHandle, SecSignIdProviderOptions } from './provider';
export {
  SECSIGN_DEFAULT_ENDPOINT,
  SECSIGN_DEFAULT_FALLBACK_ENDPOINT,
  SECSIGN_DEFAULT_TIMEOUT_MS,
} from './provider';
export { SecSignIdClient } from './client';
export type { AuthSessionStateAnswer, CreatedAuthSession, SecSignIdClientOptions } from './client';
export {
  encodeRequestAuthSession,
  encodeSessionRequest,
  parseResponse,
  phpUrlEncode,
  throwIfError,
} from './codec';
export type { AuthSessionRequestParams, ResponseFields, SecSignRequestType, SessionRef } from './codec';
export { SECSIGN_STATES, lookupState } from './states';
export type { SecSignStateEntry } from './states';

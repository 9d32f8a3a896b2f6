// Duo (Auth API v2): the provider, its options and the wire-level pieces it is built from.
export { DuoProvider, pushInfo } from './provider';
export type { DuoHandle } from './provider';
export type { DuoProviderOptions } from './options';
export { DuoClient } from './client';
export type { DuoClientOptions, PushParams } from './client';
export { parseAuth, parseAuthStatus, parsePreauth, readEnvelope } from './answers';
export type { AuthAnswer, AuthStatusAnswer, PreauthAnswer } from './answers';
export { checkPreauth, statusMessage, toChallengeStatus } from './states';
export {
  authorizationHeader,
  canonicalParams,
  canonicalRequest,
  duoDate,
  duoEncode,
  duoSignature,
  sameSignature,
} from './signing';
export type { DuoParams, DuoRequestToSign } from './signing';

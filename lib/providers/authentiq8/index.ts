// Authentiq8 Me: the provider, its typed client, signing and the wire tables.
export { Authentiq8Provider, DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from './provider';
export type { Authentiq8ProviderOptions } from './provider';
export { webhookKey } from './webhook';
export type { VerifyNotification } from './webhook';
export { Authentiq8Client, DEFAULT_TIMEOUT_MS } from './client';
export type { Authentiq8ClientOptions, CallContext, StatusResult } from './client';
export type {
  AuthenticateAnswer,
  AuthStatusAnswer,
  CreditsAnswer,
  Device,
  DevicesAnswer,
  LinkStatusAnswer,
  PingAnswer,
  QrAnswer,
} from './answers';
export type { Authentiq8Enrolment, EnrolmentQr, LinkState, LinkStatus } from './enrolment';
export {
  loadRsaPrivateKey,
  loadRsaPublicKey,
  signBody,
  verifyBody,
  MIN_KEY_BITS,
  MAX_KEY_BITS,
} from './signing';
export type { PrivateKeyInput, PublicKeyInput } from './signing';
export { RSP_CODES, RSP_OK, isRspCode, rspCodeInfo } from './rsp-codes';
export type { CheckOutcome, RspCode, RspCodeInfo } from './rsp-codes';
export {
  DEFAULT_ENDPOINT,
  ENVELOPE_FIELDS,
  HEADERS,
  INFERRED_ACTIONS,
  INFERRED_AUTH_STATUS,
  INFERRED_FIELDS,
  INFERRED_LINK_STATUS,
  INFERRED_QR_PURPOSES,
  INFERRED_TXN_TYPE_HEADER,
  INFERRED_WEBHOOK_FIELDS,
  TXN_TYPES,
  TXN_TYPE_LOCATIONS,
} from './wire-fields';
export type { AuthStatus, LinkStatusValue, QrPurpose, TxnType, TxnTypeLocation } from './wire-fields';
export { phpJsonEncode } from './php-json';

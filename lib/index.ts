/**
 * Push and access-pass login for Express through Passport: `PushStrategy`, the `pushLogin()`
 * router, the providers, the shared stores. The public surface: re-exports only.
 *
 * @packageDocumentation
 * @module passport-push
 */
import './core/passport-options';
export { PushStrategy } from './core/strategy';
export type { PushAction, PushAuthenticateOptions } from './core/strategy';
export type { PushStrategyOptions, SubjectMatch } from './core/strategy-options';
export { pushLogin } from './web/router';
export { keepRawBody } from './web/body';
export type { PushLoginOptions } from './web/router';
export type { PassportMiddleware } from './web/passport-bridge';
export { DEFAULT_MIN_CHECK_INTERVAL_MS, PushLogin } from './core/login';
export type { DeviceTrust, LoginRequest, NotifyResult, ObservedState, VerifyUser } from './core/login';
export type { LoginSession } from './core/session-access';
export type { OriginCheckOptions } from './web/origin-check';
export type { WaitPageOptions } from './web/wait-page-options';
export type { RenderWaitPage, WaitDisplay, WaitPageModel, WaitPageParts } from './web/client/wait-page';
export {
  BUILT_IN_CATALOGUES,
  catalogueFor,
  failureText,
  format,
  parseAcceptLanguage,
  pickLocale,
  providerText,
} from './web/messages';
export type { Catalogue, LanguageRange, MessageKey, MessageOverrides } from './web/messages';
export { pushOutcome } from './core/outcome';
export type {
  FailureState,
  LoginResult,
  PushCancelled,
  PushFailure,
  PushOutcome,
  PushPending,
  PushSuccessInfo,
} from './core/outcome';
export type {
  PushVerifyInfo,
  VerifyDone,
  VerifyFunction,
  VerifyFunctionWithRequest,
  VerifyResult,
} from './core/verify';
export { CLAIM_MARGIN_MS, MemoryCompletionStore } from './core/completion';
export type { CompletionStore, Decision } from './core/completion';
export { createStartLimiter, MemoryRateLimitStore } from './core/limits';
export type {
  LimitRule,
  LimitWindow,
  RateLimitStore,
  StartAttempt,
  StartLimiter,
  StartLimits,
} from './core/limits';
export { clientPrefix, DEFAULT_IPV6_SUBNET } from './core/client-prefix';
export type { PushEvent, PushEventListener } from './core/events';
export { DisplayCache } from './web/display-cache';
export { SecSignIdProvider, SECSIGN_STATES } from './providers/secsign-id';
export type { SecSignIdProviderOptions, SecSignIdHandle } from './providers/secsign-id';
export {
  CibaProvider,
  CIBA_GRANT_TYPE,
  generateBindingMessage,
  BINDING_MESSAGE_ALPHABET,
} from './providers/ciba';
export type {
  CibaProviderOptions,
  CibaClientAuthMethod,
  CibaPrivateKey,
  CibaRequestObjectOptions,
  CibaSigningAlgorithm,
  RequestObjectAlgorithm,
  CibaTlsOptions,
} from './providers/ciba';
export {
  Authentiq8Provider,
  Authentiq8Client,
  RSP_CODES,
  INFERRED_FIELDS,
  INFERRED_AUTH_STATUS,
  INFERRED_LINK_STATUS,
} from './providers/authentiq8';
export type { Authentiq8ProviderOptions, Authentiq8Enrolment, LinkStatus } from './providers/authentiq8';
export {
  BankIdProvider,
  BANKID_TEST_URL,
  BANKID_PRODUCTION_URL,
  BANKID_ORDER_LIFETIME_MS,
  BANKID_PERSONAL_CLAIMS,
} from './providers/bankid';
export type {
  BankIdProviderOptions,
  BankIdRequirement,
  BankIdHandle,
  BankIdMessageKey,
} from './providers/bankid';
export { enrolmentRouter } from './web/enrolment-router';
export type { EnrolmentApi, EnrolmentContext, EnrolmentRouterOptions } from './web/enrolment-router';
export {
  PushError,
  isPushError,
  emptyResponseError,
  isEmptyAnswer,
  retryableCode,
  retryableHttpStatus,
  RETRYABLE_TRANSPORT_CODES,
} from './errors';
export type { PushErrorCode, PushErrorKind, PushErrorOptions } from './errors';
export { RAW_BODY_REQUIRED, TERMINAL_STATES } from './providers/provider';
export type {
  ChallengeDisplay,
  ChallengeHandle,
  ChallengeState,
  ChallengeStatus,
  HandleValue,
  PendingState,
  PendingStatus,
  ApprovedStatus,
  TerminalStatus,
  ProviderMessage,
  ProviderTexts,
  ProviderErrorCode,
  SubjectRule,
  PushProvider,
  StartRequest,
  StartedChallenge,
  TerminalState,
  NotificationRead,
  NotificationRequest,
} from './providers/provider';
export { RedisCompletionStore, RedisRateLimitStore } from './stores/redis';
export type { RedisCommands } from './stores/redis';
export { DuoProvider } from './providers/duo';
export type { DuoProviderOptions, DuoHandle } from './providers/duo';
// Instant completion across instances: notification bus and index, display store, status stream.
export { MemoryNotificationIndex, notificationKeyHash } from './core/notification-index';
export type { MemoryNotificationIndexOptions, NotificationIndex } from './core/notification-index';
export { RedisNotificationIndex } from './stores/redis-notification-index';
export type { RedisIndexCommands, RedisNotificationIndexOptions } from './stores/redis-notification-index';
export { isSettledState, MemoryNotificationBus, SETTLED_STATES, waitFor } from './core/notification-bus';
export type {
  MemoryNotificationBusOptions,
  NotificationBus,
  NotificationEvent,
  NotificationListener,
  SettledState,
  WaitForOptions,
} from './core/notification-bus';
export { RedisNotificationBus } from './stores/redis-notification-bus';
export type {
  RedisMessageListener,
  RedisNotificationBusOptions,
  RedisPublisher,
  RedisSubscriber,
} from './stores/redis-notification-bus';
export { MAX_DISPLAY_BYTES, MemoryDisplayStore } from './web/display-store';
export type { DisplayStore, MemoryDisplayStoreOptions } from './web/display-store';
export { RedisDisplayStore } from './stores/redis-display-store';
export type { RedisDisplayCommands, RedisDisplayStoreOptions } from './stores/redis-display-store';
export { streamStates } from './web/event-stream';
export type { EventStreamEnd, EventStreamOptions, StateSource } from './web/event-stream';
export { notifiedStates } from './web/notified-states';
export type { NotifiedStatesOptions } from './web/notified-states';

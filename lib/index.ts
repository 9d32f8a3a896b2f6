/**
 * Push and access-pass login for Express through Passport: `PushStrategy`, the `pushLogin()`
 * router, the providers, the error type, the outcome and event types, the store contracts and the
 * provider contract. The public surface: re-exports only, at most 64 names (the Redis stores are in
 * `passport-push/redis`, the catalogue helpers in `passport-push/messages`, simulators and the
 * conformance suite in `passport-push/testing`).
 *
 * @packageDocumentation
 * @module passport-push
 */
import './core/passport-options';
// The strategy, the router and what an app passes to them.
export { PushStrategy } from './core/strategy';
export type { PushAuthenticateOptions } from './core/strategy';
export type { PushStrategyOptions } from './core/strategy-options';
export { pushLogin } from './web/router';
export type { PushLoginOptions, PushLoginRouter } from './web/router';
// Action approval (docs/action-approval.md): the intent, the level required, the audit record.
export type { ActionCapability, ActionIntent } from './providers/action';
export type { ActionApproval } from './core/approval';
export { keepRawBody } from './web/body';
export type { PushVerifyInfo, VerifyFunction } from './core/verify';
export type { MessageKey, MessageOverrides } from './web/messages';
export type { WaitPageParts } from './web/client/wait-page';
// What an app handles: the outcome of a request, the audit events, the errors.
export { pushOutcome } from './core/outcome';
export type { PushOutcome, PushSuccessInfo } from './core/outcome';
export type { PushEvent, PushEventListener, PushStoreName } from './core/events';
export { PushError, isPushError } from './errors';
export type { PushErrorCode, PushErrorKind } from './errors';
// Push-bombing limits.
export { createStartLimiter } from './core/limits';
export type { StartAttempt, StartLimiter, StartLimits } from './core/limits';
// The store contracts (in-memory by default; `redisStores()` in `passport-push/redis`).
export type { CompletionStore, Decision } from './core/completion';
export type { RateLimitStore } from './core/limits';
export type { NotificationBus, NotificationEvent } from './core/notification-bus';
export type { NotificationIndex } from './core/notification-index';
export type { DisplayStore } from './core/display-store';
export type { PushStores } from './core/push-stores';
// The providers.
export { SecSignIdProvider } from './providers/secsign-id';
export type { SecSignIdProviderOptions } from './providers/secsign-id';
export { CibaProvider } from './providers/ciba';
export type { CibaProviderOptions } from './providers/ciba';
export { Authentiq8Provider } from './providers/authentiq8';
export type { Authentiq8ProviderOptions } from './providers/authentiq8';
export { enrolmentRouter } from './web/enrolment-router';
export type { EnrolmentRouterOptions } from './web/enrolment-router';
export { BankIdProvider, BANKID_PRODUCTION_URL, BANKID_TEST_URL } from './providers/bankid';
export type { BankIdProviderOptions } from './providers/bankid';
export { DuoProvider } from './providers/duo';
export type { DuoProviderOptions } from './providers/duo';
// The provider contract, for writing a provider.
export type {
  ApprovedStatus,
  ChallengeDisplay,
  ChallengeHandle,
  ChallengeStatus,
  NotificationRead,
  NotificationRequest,
  PendingStatus,
  ProviderMessage,
  ProviderTexts,
  PushProvider,
  StartedChallenge,
  StartRequest,
  TerminalStatus,
} from './providers/provider';

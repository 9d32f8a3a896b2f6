// The public surface: re-exports only.
import './core/passport-options';
export { PushStrategy } from './core/strategy';
export type { PushAction, PushAuthenticateOptions } from './core/strategy';
export type { PushStrategyOptions, SubjectMatch } from './core/strategy-options';
export { pushLogin } from './web/router';
export type { PassportLike, PushLoginOptions } from './web/router';
export { pushOutcome } from './core/outcome';
export type { FailureState, PushCancelled, PushFailure, PushOutcome, PushPending } from './core/outcome';
export type {
  PushVerifyInfo,
  VerifyDone,
  VerifyFunction,
  VerifyFunctionWithRequest,
  VerifyResult,
} from './core/verify';
export { CLAIM_MARGIN_MS, MemoryCompletionStore } from './core/completion';
export type { CompletionStore } from './core/completion';
export { createStartLimiter, MemoryRateLimitStore } from './core/limits';
export type { LimitWindow, RateLimitStore, StartAttempt, StartLimiter, StartLimits } from './core/limits';
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
export type { CibaProviderOptions, CibaClientAuthMethod, CibaPrivateKey } from './providers/ciba';
export {
  Authentiq8Provider,
  Authentiq8Client,
  RSP_CODES,
  INFERRED_FIELDS,
  INFERRED_AUTH_STATUS,
  INFERRED_LINK_STATUS,
} from './providers/authentiq8';
export type { Authentiq8ProviderOptions, Authentiq8Enrolment, LinkStatus } from './providers/authentiq8';
export { enrolmentRouter } from './web/enrolment-router';
export type { EnrolmentApi, EnrolmentContext, EnrolmentRouterOptions } from './web/enrolment-router';
export { PushError, isPushError } from './errors';
export type { PushErrorKind, PushErrorOptions } from './errors';
export { TERMINAL_STATES } from './providers/provider';
export type {
  ChallengeDisplay,
  ChallengeHandle,
  ChallengeState,
  ChallengeStatus,
  HandleValue,
  PushProvider,
  StartRequest,
  StartedChallenge,
  TerminalState,
} from './providers/provider';
export { RedisCompletionStore, RedisRateLimitStore } from './stores/redis';
export type { RedisCommands } from './stores/redis';

// The public surface: re-exports only.
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

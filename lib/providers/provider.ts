/**
 * The contract every provider implements. Providers know nothing of Express or Passport: they turn
 * "start a challenge for this ID" and "what is the state of this handle" into wire calls, and they
 * fail closed (only an explicit, well-formed approval becomes `approved`).
 */

/** Where a challenge stands. Only `pending` and `fetched` are not final. */
export type ChallengeState =
  'pending' | 'fetched' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'suspended' | 'invalid';

/** The states that end a challenge without a login. */
export type TerminalState = Exclude<ChallengeState, 'pending' | 'fetched' | 'approved'>;

export const TERMINAL_STATES: readonly TerminalState[] = [
  'denied',
  'expired',
  'cancelled',
  'suspended',
  'invalid',
];

/** JSON-serialisable values only: a handle lives in the session store. */
export type HandleValue = string | number | boolean | null;
/** All a provider needs to check a challenge later. Small; never secrets, never the access pass. */
export type ChallengeHandle = Readonly<Record<string, HandleValue>>;

export interface StartRequest {
  /** The ID the user typed, already trimmed and validated by the strategy. */
  userId: string;
  /** The end user's IP address, for providers that want it (Authentiq8 `ClientIP`). */
  clientIp?: string;
  /** Shown on the phone: who asks. */
  serviceName?: string;
  /** Shown on the phone: where the login happens. */
  serviceAddress?: string;
  /** A message for the phone (CIBA binding message, Authentiq8 transaction text). */
  message?: string;
  /** What the approval is for (login by default). */
  action?: string;
}

/** What the browser shows while the user approves. Returned once; never stored in the session. */
export interface ChallengeDisplay {
  /** `data:image/png;base64,…`: the access pass the user must pick on the phone. */
  accessPass?: string;
  /** A short code the user compares with the phone (CIBA binding message). */
  bindingMessage?: string;
  /** `data:image/png;base64,…` or a URL to encode as a QR code. */
  qr?: string;
  /** A plain instruction when there is nothing to compare ("Confirm on your phone"). */
  instruction?: string;
}

export interface StartedChallenge {
  handle: ChallengeHandle;
  display: ChallengeDisplay;
  /** Epoch ms after which the provider will not approve any more. */
  expiresAt?: number;
  /** How often the provider wants to be asked. */
  pollIntervalMs?: number;
}

export interface ChallengeStatus {
  state: ChallengeState;
  /** The ID the provider confirmed; required when `state` is `approved`. */
  subject?: string;
  /** The provider asks to wait this long before the next check (slow_down, Retry-After). */
  retryAfterMs?: number;
  /** A human-readable reason for a terminal state, safe to show. */
  detail?: string;
  /** Extra facts the provider vouches for (ID token claims); handed to the verify callback. */
  claims?: Readonly<Record<string, unknown>>;
}

export interface PushProvider {
  /** Stable name, stored in the session record; a record from another provider is refused. */
  readonly name: string;
  start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge>;
  /** One status check. Throws `PushError` (retryable for transient faults); never loops. */
  check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus>;
  /** Withdraws the challenge at the provider where the protocol allows it. */
  cancel?(handle: ChallengeHandle, signal: AbortSignal): Promise<void>;
}

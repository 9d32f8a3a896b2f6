/**
 * The contract every provider implements. Providers know nothing of Express or Passport: they turn
 * "start a challenge (for this ID)" and "what is the state of this handle" into wire calls, and they
 * fail closed (only an explicit, well-formed approval becomes `approved`). The compiler enforces the
 * shape of every answer: an approval without a subject does not type-check.
 */
import type { PushErrorCode } from '../errors';

/** Not final yet: `fetched` means the phone has opened the request. */
export type PendingState = 'pending' | 'fetched';

/** The states that end a challenge without a login. */
export type TerminalState = 'denied' | 'expired' | 'cancelled' | 'suspended' | 'invalid';

/** Where a challenge stands. */
export type ChallengeState = PendingState | 'approved' | TerminalState;

export const TERMINAL_STATES: readonly TerminalState[] = [
  'denied',
  'expired',
  'cancelled',
  'suspended',
  'invalid',
];

/** JSON-serialisable values only: a handle lives in the session store. */
export type HandleValue = string | number | boolean | null;

/**
 * All a provider needs to check a challenge later. It lives in the server-side session, never in
 * the browser: it may hold a per-challenge secret (BankID's `qrStartSecret`), never a
 * configuration secret (API keys, client secrets) and never the access pass image.
 */
export type ChallengeHandle = Readonly<Record<string, HandleValue>>;

/**
 * A user-facing message from the provider. `key` is a stable catalogue key
 * (`bankid.hint.outstandingTransaction`, `duo.status.pushed`) that the wait page translates;
 * `text` is the English fallback for keys the catalogue does not know.
 */
export interface ProviderMessage {
  key: string;
  text: string;
}

export interface StartRequest {
  /**
   * The ID the user typed, trimmed and validated by the core. Absent only when the provider's
   * `userId` capability is `'optional'` and the user gave none (BankID "scan the QR to identify").
   */
  userId?: string;
  /** The end user's IP address (Authentiq8 `ClientIP`, BankID `endUserIp`). */
  clientIp?: string;
  /** Shown on the phone: who asks. */
  serviceName?: string;
  /** Shown on the phone: where the login happens. */
  serviceAddress?: string;
  /** A message for the phone (CIBA binding message, Authentiq8 transaction text, Duo pushinfo). */
  message?: string;
}

/** What the browser shows while the user approves. Never stored in the session. */
export interface ChallengeDisplay {
  /** `data:image/png;base64,…`: the access pass the user must pick on the phone. */
  accessPass?: string;
  /** A short code the user compares with the phone (CIBA binding message). */
  bindingMessage?: string;
  /** Text to encode as a QR code for cross-device login (BankID's animated QR data). */
  qr?: string;
  /** Same-device launch link ("Open the app on this device"), e.g. `bankid:///?autostarttoken=…`. */
  launchUrl?: string;
  /** A plain instruction when there is nothing to compare ("Confirm on your phone"). */
  instruction?: string;
}

export interface StartedChallenge<Handle extends ChallengeHandle = ChallengeHandle> {
  handle: Handle;
  display: ChallengeDisplay;
  /** Epoch ms after which the provider will not approve any more. */
  expiresAt?: number;
  /** How often the provider wants to be asked. */
  pollIntervalMs?: number;
  /**
   * What `readNotification` will name for this challenge (e.g. CIBA's per-challenge
   * `client_notification_token` with its `auth_req_id`). The core keeps only a hash of it, in the
   * notification index, until the challenge ends. Unguessable when it is a secret; never shown.
   */
  notificationKey?: string;
}

/** The challenge is still open. */
export interface PendingStatus {
  state: PendingState;
  /** The provider asks to wait this long before the next check (slow_down, Retry-After). */
  retryAfterMs?: number;
  /** A fresh display (BankID's hint changes what the page should show). */
  display?: ChallengeDisplay;
  /** What to tell the user now (BankID hint code, Duo `status_msg`). */
  message?: ProviderMessage;
}

/** The user approved on the phone. */
export interface ApprovedStatus {
  state: 'approved';
  /** The identifier the provider vouches for (a SecSign ID, a CIBA `sub`, a personal number). */
  subject: string;
  /** Extra facts the provider vouches for (ID token claims, BankID completion data). */
  claims?: Readonly<Record<string, unknown>>;
  /** Personal-data fields among `claims` that must never reach logs or audit events. */
  personalClaims?: readonly string[];
}

/** The challenge ended without a login. */
export interface TerminalStatus {
  state: TerminalState;
  /** A machine-readable reason (`fraud` when the user reported the push as fraudulent). */
  reason?: string;
  /** What to tell the user. */
  message?: ProviderMessage;
}

export type ChallengeStatus = PendingStatus | ApprovedStatus | TerminalStatus;

/**
 * How the confirmed subject relates to the ID the user typed:
 * - `'must-match'`: the provider confirms the typed ID itself (case-insensitive); anything else is refused.
 * - `'provider'`: the provider's own identifier wins (a CIBA `sub`, SecSign's canonical ID, a
 *   personal number); the verify callback gets the typed ID as `info.requestedUserId`.
 */
export type SubjectRule = 'must-match' | 'provider';

/** A provider notification as it arrived over HTTP (CIBA ping, a webhook). */
export interface NotificationRequest {
  /** The request's headers, lower-case names as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body (size-limited before it gets here). */
  body: Buffer;
}

/**
 * What a provider makes of a notification. Never an approval: a `hint` only makes the core check
 * the challenge with the provider's authenticated API now.
 */
export type NotificationRead =
  /** Authentic by the provider's own means: check the challenge whose `notificationKey` is `key`. */
  | { kind: 'hint'; key: string }
  /** Not authentic (401) or not understood (400); `code` is for the answer and the logs. */
  | { kind: 'refused'; status: 401 | 400; code: string };

export interface PushProvider<Handle extends ChallengeHandle = ChallengeHandle> {
  /** Stable name, stored in the session record; a record from another provider is refused. */
  readonly name: string;
  /** Human name for pages and profiles ("SecSign ID", "BankID"). */
  readonly displayName: string;
  /** Whether `start` needs a user ID. */
  readonly userId: 'required' | 'optional';
  /** How the confirmed subject relates to the typed ID (see `SubjectRule`). */
  readonly subjectRule: SubjectRule;
  start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge<Handle>>;
  /** One status check. Throws `PushError` (retryable for transient faults); never loops. */
  check(handle: Handle, signal: AbortSignal): Promise<ChallengeStatus>;
  /** Withdraws the challenge at the provider where the protocol allows it. */
  cancel?(handle: Handle, signal: AbortSignal): Promise<void>;
  /**
   * A display that changes with time and needs no provider call (BankID's animated QR, recomputed
   * every second from a secret in the handle). Called on every poll; must be cheap and synchronous.
   */
  currentDisplay?(handle: Handle, now: number): ChallengeDisplay | undefined;
  /**
   * Authenticates a notification and names the challenge it is about. Must not call the provider's
   * API for the challenge (the core does, through `check`) and must not throw for bad input.
   */
  readNotification?(request: NotificationRequest): Promise<NotificationRead>;
  /**
   * The fewest milliseconds between two checks of one challenge that the provider permits
   * (Authentiq8: 1,000). Notifications never make the core check faster; default 1,000.
   */
  readonly minCheckIntervalMs?: number;
}

/** The error codes a provider may put on a `PushError` (see `PushErrorCode` for all of them). */
export type ProviderErrorCode = Extract<
  PushErrorCode,
  | 'timeout'
  | 'connect'
  | 'reset'
  | 'aborted'
  | 'too_large'
  | 'http_status'
  | 'rate_limited'
  | 'invalid_response'
  | 'subject_mismatch'
  | 'transaction_mismatch'
  | 'unknown_user'
  | 'no_device'
  | 'user_locked'
  | 'maintenance'
  | 'already_in_progress'
  | 'unauthorized'
  | 'not_supported'
  | 'provider_error'
>;

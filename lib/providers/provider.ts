/**
 * The contract every provider implements. Providers know nothing of Express or Passport: they turn
 * "start a challenge (for this ID)" and "what is the state of this handle" into wire calls, and they
 * fail closed (only an explicit, well-formed approval becomes `approved`). The compiler enforces the
 * shape of every answer: an approval without a subject does not type-check.
 */
import type { PROVIDER_ERROR_CODES } from '../errors';
import type { ActionCapability, ActionEvidence, ActionRequest } from './action';

/**
 * Not final yet: `fetched` means the phone has opened the request.
 */
export type PendingState = 'pending' | 'fetched';

/**
 * The states that end a challenge without a login.
 */
export type TerminalState = 'denied' | 'expired' | 'cancelled' | 'suspended' | 'invalid';

/**
 * Where a challenge stands.
 */
export type ChallengeState = PendingState | 'approved' | TerminalState;

/**
 * Every terminal challenge state: denied, expired, cancelled, suspended, invalid.
 */
export const TERMINAL_STATES: readonly TerminalState[] = [
  'denied',
  'expired',
  'cancelled',
  'suspended',
  'invalid',
];

/**
 * JSON-serialisable values only: a handle lives in the session store.
 */
export type HandleValue = string | number | boolean | null;

/**
 * All a provider needs to check a challenge later. It lives in the server-side session, never in
 * the browser: it may hold a per-challenge secret (BankID's `qrStartSecret`), never a
 * configuration secret (API keys, client secrets) and never the access pass image.
 *
 * @example
 * ```ts
 * import type { ChallengeHandle } from 'passport-push';
 *
 * const handle: ChallengeHandle = { authsessionid: '123', requestid: 'abc' }; // flat JSON values only
 * ```
 */
export type ChallengeHandle = Readonly<Record<string, HandleValue>>;

/**
 * A user-facing message from the provider. `key` names a text in the provider's `texts`
 * (`bankid.rfa.1`, `duo.status.pushed`), which the wait page shows in the user's language; `text`
 * is the English fallback for a key the texts do not know.
 *
 * @example
 * ```ts
 * import type { ProviderMessage } from 'passport-push';
 *
 * const message: ProviderMessage = { key: 'secsign.denied', text: 'The login was denied on the phone.' };
 * ```
 */
export interface ProviderMessage {
  /** A catalogue key (`bankid.hint.outstandingTransaction`): the page shows its text in the user's language. */
  key: string;
  /** The text to show when the catalogue has no entry for `key` (English, or the provider's own words). */
  text: string;
}

/**
 * A provider's user-facing texts per locale tag (`en`, `de`, `sv`…); English is required, the
 * fallback for every language the provider leaves out. Keys are the `ProviderMessage.key`s the
 * provider sends (prefixed with its name: `bankid.rfa.1`), and may also replace a neutral text for
 * this provider (`error.unknown_user`: "That SecSign ID does not exist."). The wait page and the
 * JSON answers put them over the library's neutral catalogue, and the app's `messages` over both.
 *
 * @example
 * ```ts
 * import type { ProviderTexts } from 'passport-push';
 *
 * const texts: ProviderTexts = {
 *   en: { 'myid.denied': 'You said no in the My ID app.' },
 *   de: { 'myid.denied': 'Sie haben in der My-ID-App abgelehnt.' },
 *   sv: { 'myid.denied': 'Du sa nej i My ID-appen.' },
 * };
 * ```
 */
export interface ProviderTexts {
  /** English: every key the provider sends (`{name}` marks a value filled in later). */
  readonly en: Readonly<Record<string, string>>;
  /** Any other language, by locale tag: the keys it translates. */
  readonly [locale: string]: Readonly<Record<string, string>> | undefined;
}

/**
 * What the core passes to `PushProvider.start`: the validated user ID, client IP and service texts.
 *
 * @example
 * ```ts
 * import type { StartRequest } from 'passport-push';
 *
 * const request: StartRequest = { userId: 'alice', clientIp: '192.0.2.10', serviceName: 'Shop' };
 * await provider.start(request, signal);
 * ```
 */
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
  /**
   * Set when the user approves an action rather than logs in (only for a provider that declares
   * `actions`): show it on the phone, and prove its `hash` in the approval (`ApprovedStatus.action`).
   */
  action?: ActionRequest;
  /**
   * A step-up's authentication context class (only for a provider with `confirmsAcr`): ask the
   * service for it, and answer approved only when it confirms it (CIBA `acr_values` and `acr`).
   */
  acr?: string;
}

/**
 * What the browser shows while the user approves. Never stored in the session.
 *
 * @example
 * ```ts
 * import type { ChallengeDisplay } from 'passport-push';
 *
 * const display: ChallengeDisplay = {
 *   bindingMessage: 'K7RMX',
 *   instruction: 'Compare the code on your phone.',
 * };
 * ```
 */
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
  /**
   * Set by the core for an action's challenge: the action as plain lines (what the phone is asked
   * to show), so the wait page shows the same details and says it is no login.
   */
  action?: string;
  /** The key of `instruction` in the provider's texts: the wait page shows it in the page's language. */
  instructionKey?: string;
}

/**
 * What `PushProvider.start` returns: the handle kept in the session, what to display, and timings.
 *
 * @example
 * ```ts
 * const started = await provider.start({ userId: 'alice', clientIp: '192.0.2.10' }, signal);
 * console.log(started.handle, started.display, started.expiresAt);
 * ```
 */
export interface StartedChallenge<Handle extends ChallengeHandle = ChallengeHandle> {
  /** What the provider needs to check or cancel the challenge later; kept in the session, so no secrets. */
  handle: Handle;
  /** What the wait page shows (access pass, binding message, QR code, launch link), or `{}`. */
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

/**
 * The challenge is still open.
 *
 * @example
 * ```ts
 * import type { PendingStatus } from 'passport-push';
 *
 * const status: PendingStatus = { state: 'fetched', retryAfterMs: 2_000 };
 * ```
 */
export interface PendingStatus {
  /** `pending`, or `fetched` once the phone has opened the request. */
  state: PendingState;
  /** The provider asks to wait this long before the next check (slow_down, Retry-After). */
  retryAfterMs?: number;
  /** A fresh display (BankID's hint changes what the page should show). */
  display?: ChallengeDisplay;
  /** What to tell the user now (BankID hint code, Duo `status_msg`). */
  message?: ProviderMessage;
}

/**
 * The user approved on the phone.
 *
 * @example
 * ```ts
 * import type { ApprovedStatus } from 'passport-push';
 *
 * const status: ApprovedStatus = { state: 'approved', subject: 'alice', claims: { name: 'Alice' } };
 * ```
 */
export interface ApprovedStatus {
  /** The user approved on the phone. */
  state: 'approved';
  /** The identifier the provider vouches for (a SecSign ID, a CIBA `sub`, a personal number). */
  subject: string;
  /** Extra facts the provider vouches for (ID token claims, BankID completion data). */
  claims?: Readonly<Record<string, unknown>>;
  /** Personal-data fields among `claims` that must never reach logs or audit events. */
  personalClaims?: readonly string[];
  /** For an action's challenge: which intent the answer proves; without it the action is refused. */
  action?: ActionEvidence;
}

/**
 * The challenge ended without a login.
 *
 * @example
 * ```ts
 * import type { TerminalStatus } from 'passport-push';
 *
 * const status: TerminalStatus = {
 *   state: 'denied',
 *   reason: 'fraud',
 *   message: { key: 'duo.fraud', text: 'Reported as fraud.' },
 * };
 * ```
 */
export interface TerminalStatus {
  /** How the challenge ended: `denied`, `expired`, `cancelled`, `suspended` or `invalid`. */
  state: TerminalState;
  /** A machine-readable reason (`fraud` when the user reported the push as fraudulent). */
  reason?: string;
  /** What to tell the user. */
  message?: ProviderMessage;
}

/**
 * What `PushProvider.check` answers: pending, approved (naming a subject) or terminal.
 *
 * @example
 * ```ts
 * const status = await provider.check(handle, signal);
 * if (status.state === 'approved') console.log(status.subject);
 * ```
 */
export type ChallengeStatus = PendingStatus | ApprovedStatus | TerminalStatus;

/**
 * How the confirmed subject relates to the ID the user typed:
 * - `'must-match'`: the provider confirms the typed ID itself (case-insensitive); anything else is refused.
 * - `'match-if-typed'`: when an ID was typed, the provider confirms exactly that ID (its canonical
 *   form, see `canonicalUserId`); when none was (a QR login), the provider's subject. For IDs that are
 *   personal data (BankID's personal number): the core compares, so the handle needs no trace of the ID.
 * - `'provider'`: the provider's own identifier wins (a CIBA `sub`, SecSign's canonical ID); the
 *   verify callback gets the typed ID as `info.requestedUserId`.
 */
export type SubjectRule = 'must-match' | 'match-if-typed' | 'provider';

/**
 * A provider notification as it arrived over HTTP (CIBA ping, a webhook).
 *
 * @example
 * ```ts
 * import type { NotificationRequest } from 'passport-push';
 *
 * const request: NotificationRequest = {
 *   headers: { authorization: 'Bearer token' },
 *   body: Buffer.from('{}'),
 * };
 * await provider.readNotification?.(request);
 * ```
 */
export interface NotificationRequest {
  /** The request's headers, lower-case names as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body (size-limited before it gets here). */
  body: Buffer;
  /**
   * `false` when an app-wide body parser read the request first and `body` was rebuilt from what it
   * parsed (JSON re-serialised): fine for reading fields, useless for a signature over the bytes.
   * Absent means the bytes are the ones that arrived. (An empty rebuilt body never gets here: the
   * core refuses it as `body_unavailable`, with an audit event.)
   */
  bodyIsRaw?: boolean;
}

/**
 * The refusal code of a notification whose check needs the exact bytes it arrived with, when only a
 * rebuilt body is left (`bodyIsRaw: false`). The core reports it as an `error` audit event: the app's
 * wiring must change (`keepRawBody`, see docs/notifications.md).
 */
export const RAW_BODY_REQUIRED = 'raw_body_required';

/**
 * What a provider makes of a notification. Never an approval: a `hint` only makes the core check
 * the challenge with the provider's authenticated API now.
 *
 * @example
 * ```ts
 * import type { NotificationRead } from 'passport-push';
 *
 * const read: NotificationRead | undefined = await provider.readNotification?.({
 *   headers: {},
 *   body: Buffer.alloc(0),
 * });
 * if (read?.kind === 'refused') console.log(read.status, read.code);
 * ```
 */
export type NotificationRead =
  /** Authentic by the provider's own means: check the challenge whose `notificationKey` is `key`. */
  | {
      /** What the read found: a hint to check. */
      kind: 'hint';
      /** The `notificationKey` of the challenge to check. */
      key: string;
      /**
       * True when only a holder of the provider's secret could have sent a notification that finds a
       * login: its key is a per-challenge secret (CIBA's notification token), or its signature was
       * verified (Authentiq8's `verifyNotification`). Such notifications do not count against the
       * sender's `notifyPerIpPerMinute`: a surge of the provider's pings, late ones for logins
       * already ended among them, is never refused. Leave it out when anyone could send one (an
       * unsigned webhook naming a user ID): every such notification counts, so the budget tells no
       * one who has a login open.
       */
      secret?: boolean;
    }
  /** Not authentic (401) or not understood (400); `code` is for the answer and the logs. */
  | {
      /** What the read found: nothing usable. */
      kind: 'refused';
      /** The HTTP status to answer the sender with. */
      status: 401 | 400;
      /** Why, as a short code (for example `raw_body_required`). */
      code: string;
    };

/**
 * The provider contract: start a challenge on the phone, check it, optionally cancel it.
 *
 * @example
 * ```ts
 * import type { ChallengeStatus, PushProvider, StartedChallenge, StartRequest } from 'passport-push';
 *
 * class MyProvider implements PushProvider<{ requestId: string }> {
 *   readonly name = 'my-provider';
 *   readonly displayName = 'My ID';
 *   readonly userId = 'required';
 *   readonly subjectRule = 'must-match';
 *   async start(
 *     request: StartRequest,
 *     signal: AbortSignal,
 *   ): Promise<StartedChallenge<{ requestId: string }>> {
 *     return { handle: { requestId: 'r1' }, display: { instruction: 'Open My ID' } };
 *   }
 *   async check(handle: { requestId: string }, signal: AbortSignal): Promise<ChallengeStatus> {
 *     return { state: 'pending' };
 *   }
 * }
 * ```
 */
export interface PushProvider<Handle extends ChallengeHandle = ChallengeHandle> {
  /** Stable name, stored in the session record; a record from another provider is refused. */
  readonly name: string;
  /** Human name for pages and profiles ("SecSign ID", "BankID"). */
  readonly displayName: string;
  /** Whether `start` needs a user ID. */
  readonly userId: 'required' | 'optional';
  /** How the confirmed subject relates to the typed ID (see `SubjectRule`). */
  readonly subjectRule: SubjectRule;
  /**
   * True when user IDs and subjects are personal data (BankID's personal numbers): audit events
   * then carry a pseudonym instead, unless the app opts in with `auditPersonalIds`.
   */
  readonly personalUserIds?: boolean;
  /**
   * The one spelling of a typed ID that the provider's server treats as that person (BankID: the
   * 12 digits of any accepted form of a personal number; SecSign ID and Duo: trimmed, lower case).
   * The core uses it for everything keyed by the ID: limits, cooldowns, device trust, the session
   * record, audit events and `start`. Throws `PushError` kind `'input'` for an ID the provider
   * would refuse. Without it, the typed ID is used as it is (limits ignore letter case).
   */
  canonicalUserId?(typed: string): string;
  /** Sends the push (or creates the order) for `request`; throws `PushError` when it cannot. */
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
   * The provider's user-facing texts (its messages' keys, in English and any other language), shown
   * by the wait page and the JSON answers in the request's language. Without it, messages show
   * their English `text`.
   */
  readonly texts?: ProviderTexts;
  /**
   * The fewest milliseconds between two checks of one challenge that the provider permits
   * (Authentiq8: 1,000). Notifications never make the core check faster; default 1,000.
   */
  readonly minCheckIntervalMs?: number;
  /**
   * What the provider can show of an action and prove about its approval. Without it the provider
   * approves logins only: an app that asks for action approval gets a configuration error.
   */
  readonly actions?: ActionCapability;
  /**
   * The provider asks its service for `StartRequest.acr` and confirms it in `ApprovedStatus.claims.acr`
   * (CIBA). Without it a step-up that names an `acr` is refused before anything is sent.
   */
  readonly confirmsAcr?: boolean;
}

/**
 * The error codes a provider may put on a `PushError` (see `PushErrorCode` for all of them).
 */
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/**
 * Authentiq8 Me as a PushProvider: `start` = authenticate (after an opt-in check-user-devices
 * pre-flight); `check` = get-user-status with the auth_id, never more than once per poll interval
 * (at least 1 s) per user. Only an explicit approval is `approved`, and an answer that echoes
 * another user or another auth_id is refused. An action travels as the push's message (action.ts).
 */
import { PushError } from '../../errors';
import type { ActionCapability } from '../action';
import type {
  ChallengeHandle,
  ChallengeStatus,
  NotificationRead,
  NotificationRequest,
  ProviderMessage,
  PushProvider,
  StartRequest,
  StartedChallenge,
  SubjectRule,
} from '../provider';
import { booleanOption, configError, integerOption, oneOfOption } from '../options';
import type { AuthStatusAnswer } from './answers';
import { Authentiq8Client, type Authentiq8ClientOptions, type CallContext } from './client';
import { createEnrolment, type Authentiq8Enrolment } from './enrolment';
import { actionPush } from './action';
import { rspCodeError } from './errors';
import { PollGate } from './poll-gate';
import { rspCodeInfo } from './rsp-codes';
import { readWebhook, webhookKey, type VerifyNotification } from './webhook';
import {
  INFERRED_ACTIONS,
  INFERRED_AUTH_STATUS,
  INFERRED_FIELDS as F,
  INFERRED_MAX_MESSAGE_LENGTH,
} from './wire-fields';
import { authentiq8Texts } from './texts';
import { actionWording, instructionOf, messageOf } from '../texts';

/**
 * Options of `Authentiq8Provider`: the client ID, the RSA signing key, the endpoint, timeouts.
 *
 * @example
 * ```ts
 * import { Authentiq8Provider, type Authentiq8ProviderOptions } from 'passport-push';
 *
 * const options: Authentiq8ProviderOptions = {
 *   clientId: 'shop',
 *   privateKey: '/etc/secrets/authentiq8.key',
 * };
 * new Authentiq8Provider(options);
 * ```
 */
export interface Authentiq8ProviderOptions extends Authentiq8ClientOptions {
  /**
   * Ask check-user-devices before authenticate and fail fast (`no_device`) when the user has none.
   * Default false: the answer's fields are inferred, so an answer we cannot read (or an error code)
   * skips the pre-flight rather than blocking the login.
   */
  preflightDevices?: boolean;
  /**
   * Refuse an approval whose answer does not echo `user_id`. Default false: a missing echo is
   * accepted (the approval's claims say `userEchoed: false`); an echo naming another user is
   * always refused.
   */
  requireUserEcho?: boolean;
  /** How often to ask get-user-status per user. Default 1500; never below 1000 (the guide's limit). */
  pollIntervalMs?: number;
  /** Text shown on the phone; default `Sign in to <serviceName>` or `Confirm your sign-in`. */
  message?: string | ((request: StartRequest) => string);
  /**
   * What a login push asks for: `login` (default), `payment`, `password_reset`. An action's push
   * (`approve`) sends `payment` whatever this says; a step-up sends this.
   */
  action?: (typeof INFERRED_ACTIONS)[number];
  /** Lifetime assumed when authenticate gives no `expires_in`. Default 120 000 ms. */
  challengeLifetimeMs?: number;
  /** Edge length in pixels of enrolment QR codes we render. Default 256. */
  qrWidth?: number;
  /** The clock (tests inject one). Default `Date.now`. */
  now?: () => number;
  /**
   * Take the vendor's webhook at `pushLogin`'s `POST notify` (format inferred, see
   * `INFERRED_WEBHOOK_FIELDS`). Default false. A webhook is only a hint: it makes the open challenge
   * of the user it names be checked now through the signed API, never faster than `pollIntervalMs`.
   */
  acceptWebhooks?: boolean;
  /**
   * Authenticates a webhook before it is read (a signature, once the vendor publishes one); false
   * or a throw refuses it with 401. Without it, anyone may ask for a check of a user's challenge,
   * which costs at most the calls the guide permits and never logs anyone in.
   */
  verifyNotification?: VerifyNotification;
}

/** The guide: "Do not request more than once per second per user-id." */
export const MIN_POLL_INTERVAL_MS = 1000;
export const DEFAULT_POLL_INTERVAL_MS = 1500;
const DEFAULT_LIFETIME_MS = 120_000;
const WHO = 'Authentiq8';

/**
 * Authentiq8 Me as a PushProvider; the app confirms the user ID that was typed.
 *
 * @example
 * ```ts
 * import { Authentiq8Provider } from 'passport-push';
 *
 * const provider = new Authentiq8Provider({ clientId: 'shop', privateKey: '/etc/secrets/authentiq8.key' });
 * ```
 */
export class Authentiq8Provider implements PushProvider {
  readonly name = 'authentiq8';
  readonly displayName = 'Authentiq8 Me';
  /** What this provider tells the user, in English, German and Swedish. */
  readonly texts = authentiq8Texts;
  readonly userId = 'required';
  /** The user ID is the merchant's own: the app confirms it, it does not name another one. */
  readonly subjectRule: SubjectRule = 'must-match';
  /**
   * The phone shows the action as the push's message text; the proof is the server's `approved`
   * for the push's `auth_id`: its word, which names neither the text nor the amount (the answer's
   * fields are inferred, see docs/action-approval.md).
   */
  readonly actions: ActionCapability = { shows: 'text', proves: 'provider-yes' };
  /**
   * The seven API calls, typed (what `start`, `check` and the enrolment use).
   *
   * @internal
   */
  readonly client: Authentiq8Client;
  /** QR linking, link status and disconnect, sharing this provider's poll gate. */
  readonly enrolment: Authentiq8Enrolment;
  /** How often the provider asks for the answer (the `pollIntervalMs` option, at least 1 s). */
  readonly pollIntervalMs: number;
  /** The guide's limit per user applies to checks a webhook asks for too. */
  readonly minCheckIntervalMs: number;
  /** With `acceptWebhooks`: reads the vendor's webhook as a hint (see webhook.ts). */
  readonly readNotification?: (request: NotificationRequest) => Promise<NotificationRead>;
  readonly #webhooks: boolean;
  readonly #gate: PollGate;
  readonly #now: () => number;
  readonly #preflight: boolean;
  readonly #requireUserEcho: boolean;
  readonly #message: Authentiq8ProviderOptions['message'];
  readonly #action: string;
  readonly #lifetimeMs: number;

  constructor(options: Authentiq8ProviderOptions) {
    this.client = new Authentiq8Client(options);
    this.#now = options.now ?? Date.now;
    // Never below the guide's once per second, whatever is asked.
    this.pollIntervalMs = Math.max(
      MIN_POLL_INTERVAL_MS,
      integerOption(WHO, 'pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, 0, 60_000),
    );
    this.minCheckIntervalMs = this.pollIntervalMs;
    this.#gate = new PollGate({ intervalMs: this.pollIntervalMs, now: this.#now });
    this.#webhooks = booleanOption(WHO, 'acceptWebhooks', options.acceptWebhooks, false);
    const verify = options.verifyNotification;
    if (verify !== undefined && typeof verify !== 'function') {
      throw configError(WHO, 'verifyNotification must be a function.');
    }
    if (verify !== undefined && !this.#webhooks) {
      throw configError(WHO, 'verifyNotification needs acceptWebhooks: true.');
    }
    if (this.#webhooks) this.readNotification = (request) => readWebhook(request, verify);
    const qrWidth = integerOption(WHO, 'qrWidth', options.qrWidth, 256, 64, 2048);
    this.enrolment = createEnrolment(this.client, this.#gate, this.#now, qrWidth);
    this.#preflight = booleanOption(WHO, 'preflightDevices', options.preflightDevices, false);
    this.#requireUserEcho = booleanOption(WHO, 'requireUserEcho', options.requireUserEcho, false);
    if (
      options.message !== undefined &&
      typeof options.message !== 'string' &&
      typeof options.message !== 'function'
    ) {
      throw configError(WHO, 'message must be a string or a function.');
    }
    this.#message = options.message;
    this.#action = oneOfOption(WHO, 'action', options.action, INFERRED_ACTIONS, 'login');
    this.#lifetimeMs = integerOption(
      WHO,
      'challengeLifetimeMs',
      options.challengeLifetimeMs,
      DEFAULT_LIFETIME_MS,
      1000,
      86_400_000,
    );
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const userId = request.userId;
    if (userId === undefined || userId.trim() === '') {
      throw new PushError('input', 'Enter your Authentiq8 Me user ID.', { code: 'missing_user_id' });
    }
    const context: CallContext = { signal, clientIp: request.clientIp };
    if (this.#preflight && !(await this.#hasDevice(userId, context))) {
      // Pushing to nobody would leave the user waiting for a phone that never rings.
      throw rspCodeError('1050', 'check-user-devices');
    }
    // Checked before the server is called: an action that cannot be shown whole is never pushed.
    const push = request.action
      ? actionPush(request.action)
      : { action: this.#action, message: this.#messageFor(request) };
    const answer = await this.client.authenticate({ userId, ...push }, context);
    // Whether the server echoes the message is inferred: none is fine, another text is not.
    if (request.action && answer.message !== undefined && answer.message !== push.message) {
      throw new PushError('protocol', 'The Authentiq8 server echoed another message than the action sent.', {
        code: 'intent_mismatch',
      });
    }
    const handle: Record<string, string> = { userId, authId: answer.authId };
    if (request.clientIp) handle.clientIp = request.clientIp;
    if (request.action) handle.intentHash = request.action.hash;
    const lifetimeMs = answer.expiresInS === undefined ? this.#lifetimeMs : answer.expiresInS * 1000;
    return {
      handle,
      display: instructionOf(authentiq8Texts, 'authentiq8.instruction'),
      expiresAt: this.#now() + lifetimeMs,
      pollIntervalMs: this.pollIntervalMs,
      ...(this.#webhooks ? { notificationKey: webhookKey(userId) } : {}),
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const { userId, authId, clientIp, intentHash } = readHandle(handle);
    const gate = this.#gate.take(userId);
    // Too early for this user: answer locally, the API never sees it.
    if (!gate.allowed) return { state: 'pending', retryAfterMs: gate.retryAfterMs };
    const result = await this.client.getUserStatus(userId, authId, { signal, clientIp });
    if (result.ok) return this.#fromStatus(result.answer, userId, authId, intentHash);
    const info = rspCodeInfo(result.rspCode);
    if (info.checkState === undefined) throw rspCodeError(result.rspCode, 'get-user-status');
    if (info.checkState === 'pending') return { state: 'pending', retryAfterMs: this.pollIntervalMs };
    return { state: info.checkState, message: rspMessage(result.rspCode, info.description) };
  }

  /** The opt-in pre-flight: false only on a clear "no device"; anything unreadable lets the login go on. */
  async #hasDevice(userId: string, context: CallContext): Promise<boolean> {
    try {
      return (await this.client.checkUserDevices(userId, context)).connected;
    } catch (error) {
      if (error instanceof PushError && error.code === 'no_device') return false;
      if (error instanceof PushError && (error.kind === 'provider' || error.code === 'invalid_response')) {
        return true;
      }
      throw error;
    }
  }

  #fromStatus(
    answer: AuthStatusAnswer,
    userId: string,
    authId: string,
    intentHash: string | undefined,
  ): ChallengeStatus {
    // An answer about another authentication is never ours, whatever it says.
    if (answer.authId !== undefined && answer.authId !== authId) {
      throw new PushError('protocol', 'Authentiq8 get-user-status: the answer is about another auth_id.', {
        code: 'transaction_mismatch',
      });
    }
    switch (answer.status) {
      case INFERRED_AUTH_STATUS.pending:
        return { state: 'pending', retryAfterMs: this.pollIntervalMs };
      case INFERRED_AUTH_STATUS.approved:
        return this.#approved(answer, userId, authId, intentHash);
      case INFERRED_AUTH_STATUS.declined:
        return { state: 'denied', message: wording(STATUS_MESSAGES.declined, intentHash) };
      case INFERRED_AUTH_STATUS.expired:
        return { state: 'expired', message: wording(STATUS_MESSAGES.expired, intentHash) };
      case INFERRED_AUTH_STATUS.cancelled:
        return { state: 'cancelled', message: wording(STATUS_MESSAGES.cancelled, intentHash) };
    }
  }

  /**
   * An explicit echo of another user is refused; a missing echo is accepted unless
   * `requireUserEcho`, and noted in the claims for the audit trail.
   */
  #approved(
    answer: AuthStatusAnswer,
    userId: string,
    authId: string,
    intentHash: string | undefined,
  ): ChallengeStatus {
    if (answer.userId !== undefined && answer.userId !== userId) {
      throw new PushError('protocol', 'Authentiq8 get-user-status: the approval is not for the user asked.', {
        code: 'subject_mismatch',
      });
    }
    if (answer.userId === undefined && this.#requireUserEcho) {
      throw new PushError('protocol', 'Authentiq8 get-user-status: the approval does not name the user.', {
        code: 'invalid_response',
      });
    }
    const claims: Record<string, string | boolean> = { userEchoed: answer.userId !== undefined };
    if (answer.approvedAt !== undefined) claims['approvedAt'] = answer.approvedAt;
    if (intentHash === undefined) return { state: 'approved', subject: userId, claims };
    // The server's yes for the push that showed this intent: the same for every read of this
    // auth_id (no time in it), so the core lets it approve one challenge only.
    const proof = { [F.authId]: authId, [F.userId]: userId, [F.status]: answer.status };
    return { state: 'approved', subject: userId, claims, action: { intentHash, proof } };
  }

  #messageFor(request: StartRequest): string {
    const configured = typeof this.#message === 'function' ? this.#message(request) : this.#message;
    const text =
      request.message ??
      configured ??
      (request.serviceName ? `Sign in to ${request.serviceName}` : 'Confirm your sign-in');
    return text.slice(0, INFERRED_MAX_MESSAGE_LENGTH);
  }
}

function readHandle(handle: ChallengeHandle): {
  userId: string;
  authId: string;
  clientIp: string | undefined;
  intentHash: string | undefined;
} {
  const { userId, authId, clientIp, intentHash } = handle;
  if (
    typeof userId !== 'string' ||
    typeof authId !== 'string' ||
    userId === '' ||
    authId === '' ||
    // An action's handle names the hash its push showed; a malformed one approves nothing.
    (intentHash !== undefined && (typeof intentHash !== 'string' || !INTENT_HASH.test(intentHash)))
  ) {
    throw new PushError('state', 'The session does not hold an Authentiq8 challenge.', {
      code: 'invalid_challenge',
    });
  }
  return {
    userId,
    authId,
    clientIp: typeof clientIp === 'string' ? clientIp : undefined,
    intentHash: typeof intentHash === 'string' ? intentHash : undefined,
  };
}

const INTENT_HASH = /^[0-9a-f]{64}$/;

/** An action's push is no login: its end speaks of the request (`authentiq8.action.*`). */
function wording(message: ProviderMessage, intentHash: string | undefined): ProviderMessage {
  if (intentHash === undefined) return message;
  return actionWording(authentiq8Texts, message, 'authentiq8.status.', 'authentiq8.action.');
}

/** Terminal messages for the app's own answers (`authentiq8.status.*` keys of its texts). */
const STATUS_MESSAGES = {
  declined: messageOf(authentiq8Texts, 'authentiq8.status.declined'),
  expired: messageOf(authentiq8Texts, 'authentiq8.status.expired'),
  cancelled: messageOf(authentiq8Texts, 'authentiq8.status.cancelled'),
} as const satisfies Record<string, ProviderMessage>;

/** A terminal message for an rsp_code (`authentiq8.rsp.<code>`), in the guide's words. */
function rspMessage(rspCode: string, description: string): ProviderMessage {
  return { key: `authentiq8.rsp.${rspCode}`, text: description };
}

/**
 * Authentiq8 Me as a PushProvider: `start` = optional check-user-devices pre-flight, then
 * authenticate; `check` = get-user-status with the auth_id, never more than once per poll interval
 * (at least 1 s) per user, and only an explicit approval for the same user is `approved`.
 */
import { PushError } from '../../errors';
import type {
  ChallengeHandle,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
} from '../provider';
import type { AuthStatusAnswer } from './answers';
import { Authentiq8Client, type Authentiq8ClientOptions, type CallContext } from './client';
import { createEnrolment, type Authentiq8Enrolment } from './enrolment';
import { rspCodeError } from './errors';
import { PollGate } from './poll-gate';
import { rspCodeInfo } from './rsp-codes';
import { INFERRED_AUTH_STATUS } from './wire-fields';

export interface Authentiq8ProviderOptions extends Authentiq8ClientOptions {
  /** Ask check-user-devices before authenticate and fail fast without a device. Default true. */
  preflightDevices?: boolean;
  /** How often to ask get-user-status per user. Default 1500; never below 1000 (the guide's limit). */
  pollIntervalMs?: number;
  /** Text shown on the phone; default `Sign in to <serviceName>` or `Confirm your sign-in`. */
  message?: string | ((request: StartRequest) => string);
  /** What is approved: `login` (default), `payment`, `password_reset`. */
  action?: string;
  /** Lifetime assumed when authenticate gives no `expires_in`. Default 120 000 ms. */
  challengeLifetimeMs?: number;
  /** Edge length in pixels of enrolment QR codes we render. Default 256. */
  qrWidth?: number;
  /** The clock (tests inject one). Default `Date.now`. */
  now?: () => number;
}

/** The guide: "Do not request more than once per second per user-id." */
export const MIN_POLL_INTERVAL_MS = 1000;
export const DEFAULT_POLL_INTERVAL_MS = 1500;
const DEFAULT_LIFETIME_MS = 120_000;
const MAX_MESSAGE_LENGTH = 500;

export class Authentiq8Provider implements PushProvider {
  readonly name = 'authentiq8';
  readonly client: Authentiq8Client;
  /** QR linking, link status and disconnect, sharing this provider's poll gate. */
  readonly enrolment: Authentiq8Enrolment;
  readonly pollIntervalMs: number;
  readonly #gate: PollGate;
  readonly #now: () => number;
  readonly #preflight: boolean;
  readonly #message: Authentiq8ProviderOptions['message'];
  readonly #action: string;
  readonly #lifetimeMs: number;

  constructor(options: Authentiq8ProviderOptions) {
    this.client = new Authentiq8Client(options);
    this.#now = options.now ?? Date.now;
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!Number.isFinite(interval))
      throw new PushError('config', 'Authentiq8: pollIntervalMs must be a number.');
    this.pollIntervalMs = Math.max(MIN_POLL_INTERVAL_MS, interval);
    this.#gate = new PollGate({ intervalMs: this.pollIntervalMs, now: this.#now });
    if (options.qrWidth !== undefined && !(Number.isInteger(options.qrWidth) && options.qrWidth >= 64)) {
      throw new PushError('config', 'Authentiq8: qrWidth must be an integer of at least 64 pixels.');
    }
    this.enrolment = createEnrolment(this.client, this.#gate, this.#now, options.qrWidth);
    this.#preflight = options.preflightDevices ?? true;
    this.#message = options.message;
    this.#action = options.action ?? 'login';
    this.#lifetimeMs = options.challengeLifetimeMs ?? DEFAULT_LIFETIME_MS;
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const context: CallContext = { signal, clientIp: request.clientIp };
    if (this.#preflight) {
      const devices = await this.client.checkUserDevices(request.userId, context);
      // Pushing to nobody would leave the user waiting for a phone that never rings.
      if (!devices.connected) throw rspCodeError('1050', 'check-user-devices');
    }
    const answer = await this.client.authenticate(
      { userId: request.userId, action: request.action ?? this.#action, message: this.#messageFor(request) },
      context,
    );
    const handle: Record<string, string> = { userId: request.userId, authId: answer.authId };
    if (request.clientIp) handle.clientIp = request.clientIp;
    const lifetimeMs = answer.expiresInS === undefined ? this.#lifetimeMs : answer.expiresInS * 1000;
    return {
      handle,
      display: { instruction: 'Confirm the request in the Authentiq8 Me app on your phone.' },
      expiresAt: this.#now() + lifetimeMs,
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const { userId, authId, clientIp } = readHandle(handle);
    const gate = this.#gate.take(userId);
    // Too early for this user: answer locally, the API never sees it.
    if (!gate.allowed) return { state: 'pending', retryAfterMs: gate.retryAfterMs };
    const result = await this.client.getUserStatus(userId, authId, { signal, clientIp });
    if (result.ok) return this.#fromStatus(result.answer, userId);
    const info = rspCodeInfo(result.rspCode);
    if (info.checkState === undefined) throw rspCodeError(result.rspCode, 'get-user-status');
    if (info.checkState === 'pending') return { state: 'pending', retryAfterMs: this.pollIntervalMs };
    return { state: info.checkState, detail: info.description };
  }

  #fromStatus(answer: AuthStatusAnswer, userId: string): ChallengeStatus {
    switch (answer.status) {
      case INFERRED_AUTH_STATUS.pending:
        return { state: 'pending', retryAfterMs: this.pollIntervalMs };
      case INFERRED_AUTH_STATUS.approved:
        // Fail closed: an approval must name the user we asked about.
        if (answer.userId !== userId) {
          throw new PushError(
            'protocol',
            'Authentiq8 get-user-status: the approval is not for the user asked.',
            {
              code: 'subject_mismatch',
            },
          );
        }
        return answer.approvedAt === undefined
          ? { state: 'approved', subject: userId }
          : { state: 'approved', subject: userId, claims: { approvedAt: answer.approvedAt } };
      case INFERRED_AUTH_STATUS.declined:
        return { state: 'denied', detail: 'Declined in the Authentiq8 Me app.' };
      case INFERRED_AUTH_STATUS.expired:
        return { state: 'expired', detail: 'The request expired before it was answered.' };
      case INFERRED_AUTH_STATUS.cancelled:
        return { state: 'cancelled', detail: 'The request was cancelled.' };
    }
  }

  #messageFor(request: StartRequest): string {
    const configured = typeof this.#message === 'function' ? this.#message(request) : this.#message;
    const text =
      request.message ??
      configured ??
      (request.serviceName ? `Sign in to ${request.serviceName}` : 'Confirm your sign-in');
    return text.slice(0, MAX_MESSAGE_LENGTH);
  }
}

function readHandle(handle: ChallengeHandle): {
  userId: string;
  authId: string;
  clientIp: string | undefined;
} {
  const { userId, authId, clientIp } = handle;
  if (typeof userId !== 'string' || typeof authId !== 'string' || userId === '' || authId === '') {
    throw new PushError('state', 'The session does not hold an Authentiq8 challenge.', {
      code: 'bad_handle',
    });
  }
  return { userId, authId, clientIp: typeof clientIp === 'string' ? clientIp : undefined };
}

/**
 * An in-memory provider whose answers a test scripts: for the core's own tests and for apps that
 * want to test their login wiring without any simulator.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { PushError } from '../errors';
import { untilAborted } from '../deadline';
import type {
  ChallengeDisplay,
  ChallengeHandle,
  ChallengeStatus,
  NotificationRead,
  NotificationRequest,
  PushProvider,
  StartRequest,
  StartedChallenge,
  SubjectRule,
} from '../providers/provider';

/**
 * One challenge the scripted provider started, and what its next check answers.
 *
 * @example
 * ```ts
 * import { ScriptedProvider } from 'passport-push/testing';
 *
 * const scripted = new ScriptedProvider();
 * // … after a start:
 * const [challenge] = scripted.challenges;
 * console.log(challenge?.request.userId, challenge?.cancelled);
 * ```
 */
export interface ScriptedChallenge {
  /** The challenge's id in its handle. */
  id: string;
  /** What the core passed to `start`. */
  request: StartRequest;
  /** What the next `check` answers (set by `answer`). */
  status: ChallengeStatus;
  /** Whether the core cancelled it. */
  cancelled: boolean;
  /** The challenge's notification key, when the provider takes notifications. */
  notificationKey?: string;
}

/**
 * How the scripted provider behaves.
 *
 * @example
 * ```ts
 * import { ScriptedProvider } from 'passport-push/testing';
 *
 * new ScriptedProvider({ userId: 'optional', subjectRule: 'provider', expiresInMs: 30_000 });
 * ```
 */
export interface ScriptedProviderOptions {
  /** The provider name in the session record. Default `'scripted'`. */
  name?: string;
  /** The name pages show. Default `'Scripted'`. */
  displayName?: string;
  /** Whether `start` needs a user ID. Default `'required'`. */
  userId?: 'required' | 'optional';
  /** Default `'must-match'`. */
  subjectRule?: SubjectRule;
  /** Returned by start() as the provider's own expiry. */
  expiresInMs?: number;
  /** Returned by start() as the provider's own poll interval. */
  pollIntervalMs?: number;
  /** A time-dependent display (like BankID's animated QR), returned by `currentDisplay`. */
  currentDisplay?: (handle: ChallengeHandle, now: number) => ChallengeDisplay | undefined;
  /** The clock for `expiresInMs`. Default `Date.now`. */
  now?: () => number;
  /**
   * Take notifications: each challenge gets a random notification key, and a notification is
   * `POST` JSON `{"key": …}` with `Authorization: Bearer <notificationSecret>` (see `notification`).
   */
  notificationSecret?: string;
  /** The provider's floor between checks of one challenge (`minCheckIntervalMs`). */
  minCheckIntervalMs?: number;
}

/**
 * A scripted answer without its state (`answer('approved', { claims })`).
 *
 * @example
 * ```ts
 * import { ScriptedProvider } from 'passport-push/testing';
 *
 * new ScriptedProvider().answer('approved', { subject: 'alice', claims: { name: 'Alice' } });
 * ```
 */
export type ScriptedExtra = {
  /** Pending: the provider asks to wait this long before the next check. */
  retryAfterMs?: number;
  /** Pending: a fresh display for the wait page. */
  display?: ChallengeDisplay;
  /** Pending or ended: what to tell the user (a `ProviderMessage`). */
  message?: {
    /** The key in the provider's texts. */
    key: string;
    /** The English text. */
    text: string;
  };
  /** Approved: the ID the provider confirms. Default: the requested ID. */
  subject?: string;
  /** Approved: facts the provider vouches for. */
  claims?: Readonly<Record<string, unknown>>;
  /** Approved: which claims are personal data (as `ApprovedStatus.personalClaims`). */
  personalClaims?: readonly string[];
  /** Ended: a machine-readable reason (`fraud`, …). */
  reason?: string;
};

/**
 * A provider a test drives by hand: `answer('approved')` is what the phone would do.
 *
 * @example
 * ```ts
 * import { PushStrategy, pushLogin } from 'passport-push';
 * import { ScriptedProvider } from 'passport-push/testing';
 *
 * const scripted = new ScriptedProvider();
 * const strategy = new PushStrategy({ provider: scripted, limiter: false, pollIntervalMs: 0 }, verify);
 * app.use('/auth/push', pushLogin({ strategy }));
 * // … POST /auth/push/start, then:
 * scripted.answer('approved');
 * ```
 */
export class ScriptedProvider implements PushProvider {
  /** The `name` option, default `'scripted'`. */
  readonly name: string;
  /** The `displayName` option, default `'Scripted'`. */
  readonly displayName: string;
  /** The `userId` option, default `'required'`. */
  readonly userId: 'required' | 'optional';
  /** The `subjectRule` option, default `'must-match'`. */
  readonly subjectRule: SubjectRule;
  /** How often the core called each method (for call-count assertions). */
  readonly calls = {
    /** Calls of `start()`. */
    start: 0,
    /** Calls of `check()`. */
    check: 0,
    /** Calls of `cancel()`. */
    cancel: 0,
    /** Calls of `readNotification()`. */
    readNotification: 0,
  };
  /** Every challenge started, oldest first. */
  readonly challenges: ScriptedChallenge[] = [];
  /** Errors the next start()/check() calls throw, in order. */
  readonly startErrors: Error[] = [];
  /** Errors the next check() calls throw, in order. */
  readonly checkErrors: Error[] = [];
  /** When set, check() waits for it (to hold calls in flight). */
  checkGate: Promise<void> | undefined;
  /** An error the next call, start or check, throws (set with `failNext`). */
  private nextError: Error | undefined;
  /** The abort signals check() received, newest last. */
  readonly signals: AbortSignal[] = [];
  private readonly options: ScriptedProviderOptions;
  readonly currentDisplay?: (handle: ChallengeHandle, now: number) => ChallengeDisplay | undefined;

  constructor(options: ScriptedProviderOptions = {}) {
    this.name = options.name ?? 'scripted';
    this.displayName = options.displayName ?? 'Scripted';
    this.userId = options.userId ?? 'required';
    this.subjectRule = options.subjectRule ?? 'must-match';
    this.options = options;
    if (options.currentDisplay) this.currentDisplay = options.currentDisplay;
    if (options.minCheckIntervalMs !== undefined) this.minCheckIntervalMs = options.minCheckIntervalMs;
    if (options.notificationSecret !== undefined) {
      const secret = Buffer.from(`Bearer ${options.notificationSecret}`);
      this.readNotification = async (request) => this.read(request, secret);
    }
  }

  readonly minCheckIntervalMs?: number;
  readonly readNotification?: (request: NotificationRequest) => Promise<NotificationRead>;

  /** The body and headers of an authentic notification for `challenge` (the newest by default). */
  notification(challenge: ScriptedChallenge = this.latest): {
    /** The request headers (the bearer secret and the JSON content type). */
    headers: Record<string, string>;
    /** The JSON body naming the challenge's key. */
    body: string;
  } {
    const secret = this.options.notificationSecret;
    if (secret === undefined || challenge.notificationKey === undefined) {
      throw new Error('This scripted provider takes no notifications.');
    }
    return {
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: challenge.notificationKey }),
    };
  }

  private async read(request: NotificationRequest, secret: Buffer): Promise<NotificationRead> {
    this.calls.readNotification += 1;
    const given = Buffer.from(String(request.headers.authorization ?? ''));
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      return { kind: 'refused', status: 401, code: 'unauthorized' };
    }
    let key: unknown;
    try {
      key = (JSON.parse(request.body.toString('utf8')) as { key?: unknown } | null)?.key;
    } catch {
      key = undefined;
    }
    if (typeof key !== 'string' || key.length === 0)
      return { kind: 'refused', status: 400, code: 'invalid_body' };
    // Each challenge's key is random, given to no one but the test (like CIBA's notification token).
    return { kind: 'hint', key, secret: true };
  }

  async start(request: StartRequest, signal?: AbortSignal): Promise<StartedChallenge> {
    this.calls.start += 1;
    if (signal?.aborted) throw aborted();
    const error = this.takeNextError() ?? this.startErrors.shift();
    if (error) throw error;
    const id = `c${this.challenges.length + 1}`;
    const notificationKey =
      this.options.notificationSecret !== undefined ? randomBytes(16).toString('base64url') : undefined;
    this.challenges.push({
      id,
      request,
      status: { state: 'pending' },
      cancelled: false,
      ...(notificationKey ? { notificationKey } : {}),
    });
    const now = (this.options.now ?? Date.now)();
    return {
      handle: { id },
      ...(notificationKey ? { notificationKey } : {}),
      display: { bindingMessage: `CODE-${id}` },
      ...(this.options.expiresInMs !== undefined ? { expiresAt: now + this.options.expiresInMs } : {}),
      ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
    };
  }

  async check(handle: ChallengeHandle, signal?: AbortSignal): Promise<ChallengeStatus> {
    this.calls.check += 1;
    if (signal) this.signals.push(signal);
    if (this.checkGate) await untilAborted(this.checkGate, signal, () => aborted());
    if (signal?.aborted) throw aborted();
    const error = this.takeNextError() ?? this.checkErrors.shift();
    if (error) throw error;
    return wellFormed(this.find(handle).status);
  }

  async cancel(handle: ChallengeHandle): Promise<void> {
    this.calls.cancel += 1;
    const challenge = this.find(handle);
    challenge.cancelled = true;
    challenge.status = { state: 'cancelled' };
  }

  /** The newest challenge (what "the phone" sees). */
  get latest(): ScriptedChallenge {
    const latest = this.challenges.at(-1);
    if (!latest) throw new Error('No challenge was started.');
    return latest;
  }

  /**
   * Sets what the next check of the newest challenge answers. An approval names the typed ID
   * unless `extra.subject` says otherwise.
   */
  answer(state: ChallengeStatus['state'], extra: ScriptedExtra = {}): void {
    const { subject, claims, personalClaims, retryAfterMs, display, message, reason } = extra;
    let status: ChallengeStatus;
    if (state === 'approved') {
      status = {
        state,
        subject: subject ?? this.latest.request.userId ?? '',
        ...(claims ? { claims } : {}),
        ...(personalClaims ? { personalClaims } : {}),
      };
    } else if (state === 'pending' || state === 'fetched') {
      status = {
        state,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(display ? { display } : {}),
        ...(message ? { message } : {}),
      };
    } else {
      status = { state, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
    }
    this.latest.status = status;
  }

  /** Makes the next call, start or check, throw `error`. */
  failNext(error: Error): void {
    this.nextError = error;
  }

  /** What the phone does: sets the answer of the challenge `handle` names (a withdrawn one is gone from the phone). */
  answerFor(handle: ChallengeHandle, status: ChallengeStatus): void {
    const challenge = this.find(handle);
    if (!challenge.cancelled) challenge.status = status;
  }

  /** Sets a raw answer, well-formed or not (for fail-closed tests). */
  answerRaw(status: unknown): void {
    this.latest.status = status as ChallengeStatus;
  }

  private takeNextError(): Error | undefined {
    const error = this.nextError;
    this.nextError = undefined;
    return error;
  }

  private find(handle: ChallengeHandle): ScriptedChallenge {
    const challenge = this.challenges.find((c) => c.id === handle.id);
    if (!challenge) {
      throw new PushError('state', 'Unknown challenge handle.', { code: 'invalid_challenge' });
    }
    return challenge;
  }
}

const STATES = new Set([
  'pending',
  'fetched',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'suspended',
  'invalid',
]);

/** Fails closed like a real provider: an answer that is not a well-formed status is an error. */
function wellFormed(status: unknown): ChallengeStatus {
  const s = status as { state?: unknown; subject?: unknown } | null;
  const known = typeof s === 'object' && s !== null && typeof s.state === 'string' && STATES.has(s.state);
  const named = s?.state !== 'approved' || (typeof s.subject === 'string' && s.subject.length > 0);
  if (!known || !named) {
    throw new PushError('protocol', 'The scripted answer is not a well-formed status.', {
      code: 'invalid_response',
    });
  }
  return { ...(status as ChallengeStatus) };
}

function aborted(): PushError {
  return new PushError('protocol', 'The call was aborted.', { code: 'aborted', retryable: true });
}

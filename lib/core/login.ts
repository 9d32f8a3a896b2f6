/**
 * The login core: start, poll and cancel a push login on a session, each answering a `LoginResult`.
 * Everything that decides a login lives here once: the user ID rules, limits, the provider calls
 * (single-flight, deadlines), one completion per challenge, the subject rule, the verify callback
 * and audit events. It knows no passport and no HTTP: the strategy and the router sit on top.
 */
import {
  applyStatus,
  decidePoll,
  isHandle,
  newChallengeId,
  readRecord,
  RECORD_VERSION,
  sessionFingerprint,
  type ChallengeRecord,
} from './challenge';
import { subkey } from './app-secret';
import { approverKey, claimProof, holdApproval, useApproval, type ActionApproval } from './approval';
import { actionEndingOf, endingOf, noteActionEnding, type ActionEnding } from './action-endings';
import { checkedIntent, shownAction, type CheckedIntent } from './intent';
import { stepUpEvidence } from './step-up';
import { CLIENT_KEY_FIELD, clientKeyOf } from './client-key';
import { openUserId, sealUserId } from './sealed-user-id';
import type { CompletionStore, Decision } from './completion';
import type { DisplayStore } from './display-store';
import { eventPseudonymiser, storeError, type PushEvent, type PushStoreName } from './events';
import { isStoreFault, STORE_RETRY_AFTER_SECONDS, storeCall } from './store-deadline';
import { clientPrefix } from './client-prefix';
import { createStartLimiter, type StartAttempt, type StartLimiter, type StartLimits } from './limits';
import { LiveChallenges } from './live-challenges';
import type { NotificationBus, NotificationListener, SettledState } from './notification-bus';
import { notificationKeyHash, type NotificationIndex } from './notification-index';
import {
  asAction,
  defaultMessage,
  pendingOutcome,
  type FailureState,
  type LoginResult,
  type PushPending,
} from './outcome';
import { requireSession, type LoginSession, type SessionLike } from './session-access';
import { sameIgnoringCase, type ResolvedOptions } from './strategy-options';
import { readUserId } from './user-id';
import type { PushVerifyInfo, Verified } from './verify';
import { withDeadline } from '../deadline';
import { PushError, type PushErrorCode } from '../errors';
import type { ActionIntent } from '../providers/action';
import {
  RAW_BODY_REQUIRED,
  type ApprovedStatus,
  type ChallengeDisplay,
  type ChallengeStatus,
  type NotificationRequest,
  type ProviderMessage,
  type PushProvider,
  type TerminalState,
} from '../providers/provider';

/**
 * One request as the core sees it.
 */
export interface LoginRequest {
  /** The request's session, where the challenge record lives. */
  readonly session: LoginSession;
  /** The client's IP address (for limits, audit events and the provider). */
  readonly ip?: string;
  /** Start only: the parsed body and query, where the user ID field is read (body first). */
  readonly body?: unknown;
  /** Start only: the parsed query, read when the body has no user ID field. */
  readonly query?: unknown;
  /** Handed to a verify callback declared with `passReqToCallback` (the Express request). */
  readonly request?: unknown;
  /**
   * Runs a task once this request's response (and so its session write) is done: the end of a
   * challenge is announced to its other waiters only then, so they reload the session as written.
   * Without it, announcements go out at once.
   */
  readonly afterResponse?: (task: () => void) => void;
  /** Start only: the browser's valid device cookie, when it has one (see `pushLogin`'s `deviceSecret`). */
  readonly device?: DeviceTrust;
  /**
   * Poll only: the request has listened to the challenge's notifications since it arrived (a held
   * long poll's later round), so it missed none and skips reading the shared index's note.
   */
  readonly listening?: boolean;
}

/** How a request reads the session's login: `arriving` when it just came in (see `catchUp`). */
export interface Arrival {
  /** The request just came in (not a held poll's later round, not a stream's later read). */
  readonly arriving?: boolean;
}

/** The `Arrival` of a request that just came in (one object: the poll's hot path allocates none). */
export const ARRIVING: Arrival = Object.freeze({ arriving: true });

/**
 * A browser known by a signed device cookie: its id, and the user IDs that completed a login there.
 */
export interface DeviceTrust {
  /** The device's random id: the limiter's per-(ID, client) key. */
  readonly id: string;
  /** Whether a login for `userId` completed on this device recently (per-ID windows do not apply). */
  trusts(userId: string): boolean;
}

/**
 * Asks the app's verify callback for the user of a confirmed subject.
 */
export type VerifyUser<User> = (
  request: unknown,
  subject: string,
  info: PushVerifyInfo,
) => Promise<Verified<User>>;

/**
 * What became of a provider notification (the router's `POST notify` maps it onto HTTP).
 */
export type NotifyResult =
  /** Authentic and about an open challenge: its waiting requests check now. */
  | {
      /** What happened: accepted. */
      kind: 'accepted';
      /** Only a holder of the provider's secret could have sent it (`NotificationRead.secret`). */
      secretKey: boolean;
    }
  /** Authentic, but no open challenge has that key (ended, expired, or never started here). */
  | {
      /** What happened: no open challenge matched. */
      kind: 'unknown';
      /**
       * Only a holder of the provider's secret could have sent one that finds a login: most likely
       * the provider's late ping for a login already ended (guessing a secret is hopeless).
       */
      secretKey: boolean;
    }
  /** Authentic, but `admit` refused it before the lookup (the sender's budget is used up). */
  | {
      /** What happened: not looked up. */
      kind: 'limited';
    }
  /** Not authentic (401) or not understood (400): nothing happened. */
  | {
      /** What happened: refused. */
      kind: 'refused';
      /** The HTTP status to answer the sender with. */
      status: 401 | 400;
      /** Why, as a short code (for example `not_supported`, `body_unavailable`). */
      code: string;
    }
  /** A shared store failed (Redis down): the sender may send it again; the next check makes up for it. */
  | {
      /** What happened: the notification could not be looked up or passed on. */
      kind: 'unavailable';
      /** Seconds before sending it again makes sense (the answer's `Retry-After`). */
      retryAfterSeconds: number;
    };

/**
 * What a status stream sends: the pending state with its display, or the final state alone.
 */
export type ObservedState =
  | ({
      /** Still waiting for the phone; `fetched` once it opened the challenge. */
      state: 'pending' | 'fetched';
    } & Omit<PushPending, 'state' | 'started' | 'challengeId'>)
  /** `superseded`: the session started a newer challenge (another tab); `none`: it holds none. */
  | {
      /** How the challenge settled, or why the session has none to watch. */
      state: SettledState | 'none' | 'superseded';
    };

/** The audit message of a notification refused because an app-wide parser consumed its bytes. */
const RAW_BODY_MESSAGE =
  'A provider notification needs its exact bytes, but an app-wide body parser read them first: ' +
  'add `verify: keepRawBody` to that parser, or mount pushLogin before it (docs/notifications.md).';

// What a `store_error` event says was lost when the store named there fails.
const NOTIFICATIONS_LOST = 'provider notifications for one challenge (it completes at its next poll)';
const STALE_ENTRY = "an ended challenge's notification entry (it stays until it expires)";
const ANNOUNCEMENT_LOST = "an ending's announcement (other waiting requests see it at their next check)";
const COUNT_LOST = "one start's count or cooldown release (the windows end by themselves)";
const REQUEST_LOST = 'this request (answered 503 with Retry-After; a pending login stays pending)';
const NOTIFICATION_LOST =
  "a provider notification (answered 503; the challenge's next check makes up for it)";
const NOTE_LOST =
  "a provider notification's note for requests of its login that arrive later on other instances (they wait for the challenge's next check)";
const MISSED_NOTIFICATION =
  "whether another instance heard a notification for this login (the challenge's next check makes up for it)";

/** The audit message of a notification whose body middleware before the router read and dropped. */
const BODY_CONSUMED_MESSAGE =
  'A provider notification arrived without its body: middleware before pushLogin read it and kept ' +
  'nothing. Mount pushLogin before it, or use a body parser (docs/notifications.md).';

/** Longest `notificationKey` the core accepts from a provider. */
const MAX_NOTIFICATION_KEY_LENGTH = 4096;
/**
 * The floor between notification-triggered checks when the provider declares none.
 */
export const DEFAULT_MIN_CHECK_INTERVAL_MS = 1000;

/**
 * Who approves an action: the signed-in user, as the provider knows them.
 */
export interface Approver {
  /** The user's ID at the provider (a personal number, a SecSign ID, a Duo username, a CIBA login hint). */
  readonly userId: string;
  /**
   * The subject the provider confirms for this user, when it is not `userId` in the provider's
   * canonical form: required for providers whose own identifier wins (`subjectRule: 'provider'`,
   * CIBA's `sub`).
   */
  readonly subject?: string;
}

/**
 * What the app's action handler learns when it uses an approval: which approval it was.
 */
export interface UsedApproval {
  /** SHA-256 of the intent's canonical JSON, lower-case hex. */
  readonly intentHash: string;
  /** The approval's challenge id (its nonce), as in the `ActionApproval` record. */
  readonly challengeId: string;
  /** When the phone approved, epoch ms. */
  readonly approvedAt: number;
}

/**
 * What `pushLogin()` needs of a strategy: its login core. `PushStrategy` is one; the router runs on
 * the core, so the web layer never depends on the passport adapter.
 */
export interface LoginCoreHolder<User> {
  /** The login core the router calls. */
  readonly login: PushLogin<User>;
}

/**
 * The typed login core under `PushStrategy` and `pushLogin()`.
 *
 * @example
 * ```ts
 * // The core under the strategy: start, poll and cancel without passport.
 * const result = await strategy.login.poll({ session: loginSession, ip: '192.0.2.10' });
 * if (result.kind === 'approved') console.log('approved', result.info.subject);
 * ```
 */
export class PushLogin<User> {
  /** The provider this login pushes through. */
  readonly provider: PushProvider;
  /** Where the waiting requests of a challenge hear about it (in-process unless configured). */
  readonly bus: NotificationBus;
  /** Where the wait page's display is kept (the router reads it from here: one store value). */
  readonly displays: DisplayStore;
  private readonly index: NotificationIndex;
  /** What notification keys are keyed with: derived from the app's secret, for this use only. */
  private readonly notifyKey: Buffer;
  /** Set when the provider's IDs are personal data: the key their session copy is sealed with. */
  private readonly sealKey: Buffer | undefined;
  private readonly completions: CompletionStore;
  private readonly limiter: StartLimiter | undefined;
  private readonly live: LiveChallenges;
  /** Set when the provider's IDs are personal data and the app did not opt in to see them. */
  private readonly pseudonymise: ((event: PushEvent) => PushEvent) | undefined;
  /** What approvers' IDs are keyed with in the session's held approvals. */
  private readonly approverKey: Buffer;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly verify: VerifyUser<User>,
    limiter: StartLimiter | StartLimits | false | undefined,
  ) {
    this.provider = options.provider;
    this.bus = options.stores.notificationBus;
    this.index = options.stores.notificationIndex;
    this.displays = options.stores.displays;
    // Stryker disable next-line StringLiteral: a subkey's label only keeps its uses apart; another label distinct from the others works alike
    this.notifyKey = subkey(options.secretKey, 'notification-key');
    this.sealKey =
      // Stryker disable next-line StringLiteral: a subkey's label only keeps its uses apart; another label distinct from the others works alike
      this.provider.personalUserIds === true ? subkey(options.secretKey, 'session-user-id') : undefined;
    this.live = new LiveChallenges(
      undefined,
      finite(this.provider.minCheckIntervalMs) || DEFAULT_MIN_CHECK_INTERVAL_MS,
    );
    this.completions = options.stores.completions;
    this.limiter =
      limiter === false
        ? undefined
        : isLimiter(limiter)
          ? limiter
          : createStartLimiter({
              store: options.stores.rateLimits,
              // Absent or undefined alike: the limiter then keys with a random secret of its own.
              secret: options.secret,
              onShed: (count) => this.emit({ type: 'shed', count }),
              ...limiter,
            });
    this.pseudonymise =
      this.provider.personalUserIds === true && !options.auditPersonalIds ? eventPseudonymiser() : undefined;
    // Stryker disable next-line StringLiteral: a subkey's label only keeps its uses apart; another label distinct from the others works alike
    this.approverKey = subkey(options.secretKey, 'approver');
  }

  /** Where a session keeps its approved, unused actions. */
  private get approvalsKey(): string {
    return `${this.options.sessionKey}:approved`;
  }

  /**
   * Starts an action's challenge for the signed-in user: the intent (made by the app on the server)
   * is checked, hashed and sent to the phone; the same status, wait and cancel routes follow it, and
   * its approval ends in `action_approved` (no login) once the provider proves this intent and user.
   */
  async approve(req: LoginRequest, intent: ActionIntent, approver: Approver): Promise<LoginResult<User>> {
    try {
      // A step-up shows no action: every provider can push to the same user again.
      const stepUp = (intent as { type?: unknown } | null)?.type === 'step-up';
      if (!stepUp && !this.provider.actions) {
        throw new PushError(
          'config',
          `The provider ${this.provider.name} cannot approve actions: it declares nothing its phone can show of an action (see docs/action-approval.md, "Levels per provider").`,
          { code: 'invalid_option' },
        );
      }
      if (typeof approver?.userId !== 'string' || approver.userId.trim() === '') {
        throw new PushError('config', 'approve() needs the signed-in user (`approver.userId`).', {
          code: 'invalid_option',
        });
      }
      if (this.provider.subjectRule === 'provider' && approver.subject === undefined) {
        throw new PushError(
          'config',
          `The provider ${this.provider.name} confirms its own subject: approve() needs \`approver.subject\`.`,
          { code: 'invalid_option' },
        );
      }
      let action: CheckedIntent;
      try {
        action = checkedIntent(intent);
      } catch (error) {
        if (error instanceof PushError) return asAction(failedInput(error));
        throw error;
      }
      if (action.intent.type === 'step-up' && action.intent.acr !== undefined && !this.provider.confirmsAcr) {
        // Never a silent downgrade: the level asked for could not be confirmed.
        throw new PushError(
          'config',
          `The provider ${this.provider.name} cannot confirm an acr: a step-up with \`acr\` needs one that can (CIBA).`,
          { code: 'invalid_option' },
        );
      }
      return asAction(await this.startChallenge(req, { action, approver }));
    } catch (error) {
      return { kind: 'error', error, approval: true };
    }
  }

  /**
   * Uses the session's approval of exactly this intent by this user, once (across instances, by the
   * completion store): the action handler's final gate. Throws `PushError` `state`/`not_approved`
   * when there is none (never approved, another intent or user, expired, or already used).
   */
  async useApproval(session: LoginSession, intent: ActionIntent, approver: Approver): Promise<UsedApproval> {
    const { hash, intent: checked } = checkedIntent(intent);
    const { data } = requireSession(session);
    const now = this.options.now();
    const maxAgeSeconds = checked.type === 'step-up' ? checked.maxAgeSeconds : undefined;
    const used = await useApproval(
      data,
      this.approvalsKey,
      hash,
      approverKey(this.approverKey, this.approverId(approver.userId)),
      this.completions,
      now,
      // A step-up with a maximum age serves only while it is that fresh.
      maxAgeSeconds !== undefined ? now - maxAgeSeconds * 1000 : undefined,
    );
    if (!used) {
      throw new PushError('state', 'This action has no unused approval by this user in this session.', {
        code: 'not_approved',
      });
    }
    return { intentHash: hash, ...used };
  }

  /** The approver's ID in the provider's canonical form (as the challenge record keeps it). */
  private approverId(userId: string): string {
    const trimmed = userId.trim();
    return this.provider.canonicalUserId ? this.provider.canonicalUserId(trimmed) : trimmed;
  }

  /** The session key the challenge record lives under. */
  get sessionKey(): string {
    return this.options.sessionKey;
  }

  /** The deadline of each store call (`storeTimeoutMs`): the router bounds its own session reads with it. */
  get storeTimeoutMs(): number {
    return this.options.storeTimeoutMs;
  }

  /** The strategy's clock (`now`): the router's device trust and notify budget keep this time too. */
  get now(): () => number {
    return this.options.now;
  }

  /** Starts a challenge: validates the ID, applies the limits, and asks the provider to push. */
  async start(req: LoginRequest): Promise<LoginResult<User>> {
    try {
      return await this.startChallenge(req);
    } catch (error) {
      return this.errorResult(error);
    }
  }

  /** Checks the session's challenge: locally while no provider call is due, else at the provider. */
  async poll(req: LoginRequest): Promise<LoginResult<User>> {
    const action = this.actionRecord(req.session);
    try {
      return this.actionResult(req.session, action, await this.pollChallenge(req));
    } catch (error) {
      return this.actionResult(req.session, action, this.errorResult(error));
    }
  }

  /** Withdraws the session's challenge (at the provider too, where it can). */
  async cancel(req: LoginRequest): Promise<LoginResult<User>> {
    const action = this.actionRecord(req.session);
    return this.actionResult(req.session, action, await this.cancelChallenge(req));
  }

  /**
   * An action's result, marked as one; when this request ended the action (took its record), the
   * ending stays in the session for the action's other tabs (see `actionEnding`).
   */
  private actionResult(
    session: LoginSession,
    action: ChallengeRecord | undefined,
    result: LoginResult<User>,
  ): LoginResult<User> {
    if (action === undefined) return result;
    const ending = endingOf(result);
    const { data } = session;
    if (ending && data && this.openRecord(session)?.id !== action.id) {
      noteActionEnding(data, this.endingsKey, action.id, ending);
    }
    return asAction(result);
  }

  /**
   * How the session's action challenge `challengeId` (a wait page's `?challenge=`) ended, when it
   * was an action that ended here: its record is gone, and the signed-in session must not read as
   * a login that completed.
   */
  actionEnding(session: LoginSession, challengeId: unknown): ActionEnding | undefined {
    return session.data ? actionEndingOf(session.data, this.endingsKey, challengeId) : undefined;
  }

  /** Where a session keeps its recent action endings. */
  private get endingsKey(): string {
    return `${this.options.sessionKey}:ended`;
  }

  private async cancelChallenge(req: LoginRequest): Promise<LoginResult<User>> {
    try {
      const { data, id } = requireSession(req.session);
      const reading = readRecord(data[this.sessionKey], id, this.provider.name);
      if (reading.kind === 'record') {
        // One decision with completion and the other endings: a cancel that comes second says so.
        const decision = await this.decide(reading.record, 'cancelled');
        if (!decision.decided) return this.cancelTooLate(reading.record, decision);
      }
      const record = this.takeRecord(data, id);
      if (record) {
        // The user withdrew it: "Cancel, then sign in again" must not wait out the cooldowns.
        await this.releaseCooldowns(clientKeyOf(data), record);
        this.emit({ type: 'cancelled', userId: this.requestedId(record), ip: req.ip });
        this.announce(record.id, 'cancelled', req);
        await this.cancelQuietly(record);
      }
      return cancelled();
    } catch (error) {
      return this.errorResult(error);
    }
  }

  /**
   * The pending answer for a poll that needs no provider call (the next check is not due), or
   * undefined when the poll must go through `poll`. Synchronous and writes nothing: the hot path.
   * `arriving`: a request that just came in (not a held poll's later round). With an index that
   * notes notifications (`lastNotification`) such a request of a login with a notification key
   * always goes through `poll`, which reads the note (one store read per arriving request).
   */
  localAnswer(session: LoginSession, { arriving = false }: Arrival = {}): PushPending | undefined {
    const { data, id } = session;
    if (!data || id === undefined) return undefined;
    const reading = readRecord(data[this.sessionKey], id, this.provider.name);
    if (reading.kind !== 'record') return undefined;
    // A request that just arrived first asks the shared index what it may have missed (`poll`).
    if (arriving && this.mayHaveMissed(reading.record)) return undefined;
    const record = this.live.merge(reading.record);
    const now = this.options.now();
    if (decidePoll(record, now) !== 'wait' || this.live.hasSettled(record.id)) return undefined;
    return pendingOutcome(record, now, false, this.currentDisplay(record, now));
  }

  /** The session's open challenge when it approves an action (its answers then speak of the action). */
  private actionRecord(session: LoginSession | undefined): ChallengeRecord | undefined {
    // A login's poll (the common case) reads its record once, in pollChallenge: no second check here.
    const raw: unknown = session?.data?.[this.sessionKey];
    if (typeof raw !== 'object' || raw === null || !('act' in raw)) return undefined;
    const record = this.openRecord(session);
    return record?.act !== undefined ? record : undefined;
  }

  /** The id of the session's open challenge (what its waiting requests subscribe to), if any. */
  challengeIdOf(session: LoginSession): string | undefined {
    return this.openRecord(session)?.id;
  }

  /** The session's open challenge, when it holds a readable one. */
  private openRecord(session: LoginSession | undefined): ChallengeRecord | undefined {
    const { data, id } = session ?? {};
    if (!data || id === undefined) return undefined;
    const reading = readRecord(data[this.sessionKey], id, this.provider.name);
    return reading.kind === 'record' ? reading.record : undefined;
  }

  /**
   * Listens to the bus for one challenge, as a waiting request does. A `check` (or another
   * instance's `settled`) makes the challenge's next check due now, within the provider's floor,
   * before the listener hears it. Throws `PushError` `limit` when the bus refuses more waiters.
   */
  subscribe(challengeId: string, listener: NotificationListener): () => void {
    return this.bus.subscribe(challengeId, (event) => {
      this.live.hint(challengeId, this.options.now());
      listener(event);
    });
  }

  /**
   * Handles a provider notification: the provider authenticates it and names a key; the challenge
   * that key belongs to is checked now by whichever requests wait on it. Never an approval, never
   * a provider call here, and never a throw for bad input. `admit` is asked, with whether only a
   * holder of the provider's secret could have sent it, right before the lookup: false answers
   * `limited` and looks nothing up.
   */
  async notify(request: NotificationRequest, admit?: (secretKey: boolean) => boolean): Promise<NotifyResult> {
    const read = this.provider.readNotification;
    if (!read) return { kind: 'refused', status: 400, code: 'not_supported' };
    if (request.bodyIsRaw === false && request.body.length === 0) {
      // Middleware before the router read the body and kept nothing: every notification is lost.
      this.emit({ type: 'error', message: BODY_CONSUMED_MESSAGE });
      return { kind: 'refused', status: 400, code: 'body_unavailable' };
    }
    let answer;
    try {
      // Stryker disable BlockStatement: the catch emptied leaves no answer, which is refused below the same
      answer = await read.call(this.provider, request);
    } catch {
      // Stryker restore BlockStatement
      return { kind: 'refused', status: 400, code: 'invalid_notification' };
    }
    if (answer?.kind !== 'hint' || typeof answer.key !== 'string' || answer.key.length === 0) {
      const refused = answer?.kind === 'refused' && answer.status === 401 ? 401 : 400;
      const code =
        answer?.kind === 'refused' && typeof answer.code === 'string' ? answer.code : 'invalid_notification';
      if (code === RAW_BODY_REQUIRED) {
        // Not the sender's fault but the app's wiring: every such notification would be lost.
        this.emit({ type: 'error', message: RAW_BODY_MESSAGE });
      }
      return { kind: 'refused', status: refused, code };
    }
    if (admit !== undefined && !admit(answer.secret === true)) return { kind: 'limited' };
    try {
      const keyHash = notificationKeyHash(answer.key, this.notifyKey);
      const now = this.options.now();
      const challengeId = await this.findNoting(keyHash, now);
      if (challengeId === undefined) return { kind: 'unknown', secretKey: answer.secret === true };
      this.live.hint(challengeId, now);
      await this.bus.publish(challengeId, { type: 'check' });
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: the index and bus calls are bounded (storeCall), so every fault of theirs is a store fault
      if (!isStoreFault(error)) throw error;
      this.emit(
        storeError(error.details.store, String(error.details['operation']), NOTIFICATION_LOST, error),
      );
      return { kind: 'unavailable', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
    }
    return { kind: 'accepted', secretKey: answer.secret === true };
  }

  /**
   * The challenge a notification's key hash names, noted for a request of its login that arrives
   * later on another instance (the bus's message reaches only the requests listening now), in one
   * step where the index can. Noted before the message is sent, so a request that reads the note
   * before it is written listens before the message goes out. A note that fails must not cost the
   * message: the challenge is found without it, and the requests waiting now are told anyway. Nor
   * does it change the answer (a `store_error` event tells the operators): a store that refuses
   * writes but not reads (maxmemory, a failover) fails only the note of a key with an entry, and a
   * 503 for it alone would tell anyone who can name a key that its login is open.
   */
  private async findNoting(keyHash: string, now: number): Promise<string | undefined> {
    const note = this.index.noteNotification;
    if (note === undefined) return this.index.find(keyHash);
    try {
      return await note.call(this.index, keyHash, now);
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: the index's calls are bounded (storeCall), so every fault of theirs is a store fault
      if (!isStoreFault(error)) throw error;
      this.emit(storeError(error.details.store, 'noteNotification', NOTE_LOST, error));
      return this.index.find(keyHash);
    }
  }

  /**
   * The session's state for a status stream: checks the provider when a check is due (or a
   * notification asked for one) but never completes, writes nothing to the session, and keeps a
   * final status it finds for the status request that will complete the login (which needs a
   * response whose headers are not sent yet, for the new session cookie). `arriving`: the
   * stream's first read, which first asks the index what another instance heard (`catchUp`).
   */
  async observe(session: LoginSession, { arriving = false }: Arrival = {}): Promise<ObservedState> {
    const { data, id } = session;
    if (!data || id === undefined) return { state: 'none' };
    const reading = readRecord(data[this.sessionKey], id, this.provider.name);
    if (reading.kind !== 'record') return { state: reading.kind === 'none' ? 'none' : 'invalid' };
    if (arriving) await this.catchUp(reading.record);
    const record = this.live.merge(reading.record);
    const now = this.options.now();
    const due = decidePoll(record, now);
    if (due === 'expired') return { state: 'expired' };
    if (due === 'wait' || this.live.hasSettled(record.id)) {
      return observedPending(record, now, this.currentDisplay(record, now));
    }
    let status: ChallengeStatus;
    try {
      status = await this.live.check(record.id, () => this.checkOnce(record, now));
    } catch (error) {
      // A fault the status request will meet (and report) itself; a transient one waits a round.
      if (error instanceof PushError && !error.retryable) return { state: 'invalid' };
      return observedPending(this.live.merge(record), now, this.currentDisplay(record, now));
    }
    const outcome = applyStatus(record, status, now);
    if (outcome.kind === 'pending') {
      const display = this.currentDisplay(outcome.record, now) ?? pendingDisplay(status);
      return observedPending(outcome.record, now, display);
    }
    const settled = status as Exclude<ChallengeStatus, { state: 'pending' | 'fetched' }>;
    this.live.settle(record.id, settled, record.expiresAt);
    const state = outcome.kind === 'approved' ? 'approved' : outcome.state;
    this.announce(record.id, state);
    return { state };
  }

  private async startChallenge(
    req: LoginRequest,
    forAction?: { action: CheckedIntent; approver: Approver },
  ): Promise<LoginResult<User>> {
    const { data, id } = requireSession(req.session);
    const now = this.options.now();
    const stepUp = forAction?.action.intent.type === 'step-up' ? forAction.action.intent : undefined;
    // A step-up is a plain authentication of the same user: no action to show or prove.
    const shown = forAction ? shownAction(forAction.action) : undefined;
    let userId: string | undefined;
    try {
      // An action's approver is the signed-in user the app names, never an ID from the browser.
      userId = forAction
        ? forAction.approver.userId.trim()
        : readUserId(req.body, req.query, this.options.userIdRules, this.provider.userId);
      // One person, one ID: every spelling the provider accepts is counted, trusted and stored as one.
      if (userId !== undefined && this.provider.canonicalUserId) {
        userId = this.provider.canonicalUserId(userId);
      }
    } catch (error) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: readUserId throws only input errors; the check keeps anything else an error
      if (error instanceof PushError && error.kind === 'input') return failedInput(error);
      throw error;
    }
    // The session id changes at every start (regenerate below): the per-session limits count this
    // browser's client key instead, which survives the regenerate.
    const client = clientKeyOf(data);
    // Without a typed ID there is no phone to bomb: count the attempt against the session instead.
    const limitedId = userId ?? `session:${client}`;
    const attempt: StartAttempt = {
      userId: limitedId,
      sessionId: client,
      ip: req.ip,
      // Not the client key: a new one costs a dropped cookie, so it would let one address spend the
      // whole per-ID ceiling. A device id costs a completed login; without one the IP is the client.
      ...(req.device ? { clientId: req.device.id } : {}),
      trustedDevice: userId !== undefined && req.device?.trusts(userId) === true,
      now,
    };
    const superseded = readRecord(data[this.sessionKey], id, this.provider.name);
    if (superseded.kind === 'record') {
      // This start replaces the session's pending login (the user went back and resubmitted): like
      // Cancel, that frees its cooldowns; its push was sent, so its per-ID counts stay.
      await this.releaseCooldowns(client, superseded.record);
    }
    const refusal = await this.limiter?.check(attempt);
    if (refusal) {
      const rule = refusal.details['rule'];
      this.emit({
        type: 'refused',
        userId,
        ip: req.ip,
        reason: refusal.message,
        ...(typeof rule === 'string' ? { rule } : {}),
        ...(req.ip !== undefined ? { client: clientPrefix(req.ip) } : {}),
      });
      return { kind: 'error', error: refusal };
    }
    const previous = this.takeRecord(data, id);
    if (previous) {
      // Its waiting requests (another tab's stream or long poll) learn at once that it is over.
      this.announce(previous.id, 'suspended', req);
      await this.cancelQuietly(previous);
    }
    // The challenge goes into a session only this browser knows: a planted cookie gets nothing. (An
    // action's session is signed in, so regenerated at its login already.)
    if (!forAction) {
      await this.sessionCall('regenerate', () => req.session.regenerate(this.options.keepSessionInfo));
    }
    const fresh = requireSession(req.session);
    fresh.data[CLIENT_KEY_FIELD] = client;
    // A replaced action's other tabs hear that it was replaced, not that a login completed.
    if (previous?.act !== undefined) {
      noteActionEnding(fresh.data, this.endingsKey, previous.id, { state: 'suspended' });
    }

    let started;
    try {
      started = await withDeadline(this.options.providerTimeoutMs, (signal) =>
        this.provider.start(
          {
            ...(userId !== undefined ? { userId } : {}),
            clientIp: req.ip,
            serviceName: this.options.serviceName,
            serviceAddress: this.options.serviceAddress,
            message: this.options.message,
            ...(shown ? { action: shown } : {}),
            ...(stepUp?.acr !== undefined ? { acr: stepUp.acr } : {}),
          },
          signal,
        ),
      );
    } catch (error) {
      // Refused by the provider (unknown ID, no device, …): nothing reached a phone, so the user may
      // fix the typo at once. A transport fault may have sent the push: it keeps the cooldowns.
      await this.settleLimits(attempt, !(error instanceof PushError && nothingSent(error)));
      this.emit({ type: 'error', userId, ip: req.ip, message: messageOf(error) });
      if (error instanceof PushError && error.kind === 'input') return failedInput(error);
      return { kind: 'error', error };
    }
    await this.settleLimits(attempt, true);
    if (!isHandle(started.handle)) {
      const error = new PushError('protocol', 'The provider returned a handle the session cannot hold.', {
        code: 'invalid_response',
      });
      this.emit({ type: 'error', userId, ip: req.ip, message: error.message });
      return { kind: 'error', error };
    }
    const intervalMs = Math.max(this.options.pollIntervalMs, finite(started.pollIntervalMs));
    const localDeadline = now + this.options.challengeTimeoutMs;
    const providerDeadline = finite(started.expiresAt) || localDeadline;
    const challengeId = newChallengeId();
    const record: ChallengeRecord = {
      v: RECORD_VERSION,
      id: challengeId,
      sid: sessionFingerprint(fresh.id),
      provider: this.provider.name,
      handle: started.handle,
      ...(userId !== undefined ? this.keptUserId(userId, challengeId) : {}),
      expiresAt: Math.min(localDeadline, providerDeadline),
      nextCheckAt: now + intervalMs,
      intervalMs,
      fetched: false,
      ...(forAction ? { act: forAction.action.hash } : {}),
      ...(forAction?.approver.subject !== undefined ? { as: forAction.approver.subject } : {}),
      ...(stepUp ? { up: stepUp.acr ?? '' } : {}),
      ...(stepUp?.maxAgeSeconds !== undefined ? { um: stepUp.maxAgeSeconds } : {}),
    };
    await this.indexNotificationKey(record, started.notificationKey);
    fresh.data[this.sessionKey] = record;
    this.emit({ type: 'start', userId, ip: req.ip });
    const display = {
      ...started.display,
      ...this.currentDisplay(record, now),
      ...(forAction ? { action: forAction.action.text } : {}),
    };
    return { kind: 'pending', ...pendingOutcome(record, now, true, display) };
  }

  private async pollChallenge(req: LoginRequest): Promise<LoginResult<User>> {
    const { data, id } = requireSession(req.session);
    const reading = readRecord(data[this.sessionKey], id, this.provider.name);
    if (reading.kind === 'none') return failed('none');
    if (reading.kind === 'unreadable') {
      delete data[this.sessionKey];
      return failed('invalid');
    }
    if (!req.listening) await this.catchUp(reading.record);
    const record = this.live.merge(reading.record);
    const now = this.options.now();
    const due = decidePoll(record, now);
    if (due === 'expired') return this.expire(req, data, record);
    // A final status a status stream found: this request completes it without asking again.
    const settled = this.live.takeSettled(record.id, now);
    if (due === 'wait' && !settled) {
      return { kind: 'pending', ...pendingOutcome(record, now, false, this.currentDisplay(record, now)) };
    }

    let status: ChallengeStatus | undefined = settled;
    let failure: unknown;
    if (!status) {
      try {
        status = await this.live.check(record.id, () => this.checkOnce(record, now));
      } catch (error) {
        failure = error;
      }
      // Only after a provider call, which can take seconds. With a status found earlier, this
      // request loaded its session a moment ago (a note read since, at most): the read would
      // repeat that load, one more round trip on the way to the answer.
      if (!(await this.sessionCall('get', () => req.session.stillStored()))) {
        // Another request of this session logged in (or out) while the provider answered, destroying
        // the session we loaded: any write would save that stale copy back (expressjs/session#935).
        return { kind: 'pending', ...pendingOutcome(record, now, false), retryAfterMs: 0 };
      }
    }
    if (status === undefined) {
      if (failure instanceof PushError && !failure.retryable) {
        const own = failed<User>('invalid', failure.message, failure.code);
        const decision = await this.decide(record, 'invalid');
        if (!decision.decided) return this.endedElsewhere(record, now, decision, own);
        this.forget(data, record);
        this.announce(record.id, 'invalid', req);
        this.emit({ type: 'invalid', userId: this.requestedId(record), reason: failure.code, ip: req.ip });
        return own;
      }
      // Transient: keep the challenge, back off one interval, and let the app report the error.
      data[this.sessionKey] = { ...record, nextCheckAt: now + record.intervalMs };
      return { kind: 'error', error: failure };
    }

    const outcome = applyStatus(record, status, now);
    if (outcome.kind === 'pending') {
      data[this.sessionKey] = outcome.record;
      const display = this.currentDisplay(outcome.record, now) ?? pendingDisplay(status);
      return { kind: 'pending', ...pendingOutcome(outcome.record, now, false, display) };
    }
    if (outcome.kind === 'terminal') {
      const own = failed<User>(outcome.state, undefined, undefined, outcome.message);
      // Another tab, stream or instance may reach the same ending: it is reported once.
      const decision = await this.decide(record, outcome.state);
      if (!decision.decided) return this.endedElsewhere(record, now, decision, own);
      this.forget(data, record);
      this.announce(record.id, outcome.state, req);
      this.emitEnding(req, record, outcome.state, outcome.reason);
      return own;
    }
    // A challenge completes never after its deadline, however late the provider answered.
    if (this.options.now() >= record.expiresAt) return this.expire(req, data, record);
    const decision = await this.decide(record, 'approved');
    // Another request is completing this login right now (or ended it otherwise): touch nothing,
    // so this request cannot write the pre-login session back over the new one.
    if (!decision.decided) return this.endedElsewhere(record, now, decision);
    // Clear first: with keepSessionInfo the record would otherwise survive the login.
    this.forget(data, record);
    this.announce(record.id, 'approved', req);
    if (record.act !== undefined) return this.completeAction(req, data, record, status as ApprovedStatus);
    return this.complete(req, record, outcome.subject, status as ApprovedStatus);
  }

  /** One provider call; what it teaches about timing is shared with every request of the challenge. */
  private async checkOnce(record: ChallengeRecord, now: number): Promise<ChallengeStatus> {
    try {
      const status = await withDeadline(this.options.providerTimeoutMs, (signal) =>
        this.provider.check(record.handle, signal),
      );
      const outcome = applyStatus(record, status, now);
      if (outcome.kind === 'pending') this.live.remember(outcome.record);
      return status;
    } catch (error) {
      // A transient fault waits an interval; a final one leaves the next request to check (and end) it.
      if (!(error instanceof PushError) || error.retryable) {
        this.live.remember({ ...record, nextCheckAt: now + record.intervalMs });
      }
      throw error;
    }
  }

  private async complete(
    req: LoginRequest,
    record: ChallengeRecord,
    subject: string,
    status: ApprovedStatus,
  ): Promise<LoginResult<User>> {
    const requested = this.requestedId(record);
    if (record.sealedUserId !== undefined && requested === undefined) {
      // Sealed under another secret (or damaged): the subject rule cannot be checked, so no login.
      this.emit({ type: 'invalid', reason: 'unreadable_user_id', ip: req.ip });
      return failed(
        'invalid',
        'The pending login cannot be read here (instances configured with different secrets?).',
        'invalid_response',
      );
    }
    if (!this.subjectAccepted(requested, subject)) {
      this.emit({ type: 'invalid', userId: requested, reason: 'subject_mismatch', ip: req.ip });
      return failed(
        'invalid',
        'The provider confirmed a different user than the one asked for.',
        'subject_mismatch',
      );
    }
    const info: PushVerifyInfo = {
      provider: this.provider.name,
      ...(requested !== undefined ? { requestedUserId: requested } : {}),
      claims: status.claims ?? {},
    };
    const verified = await this.verify(req.request, subject, info);
    if (verified.user === false) {
      this.emit({ type: 'rejected', userId: requested, ip: req.ip });
      return failed('rejected', verified.message);
    }
    this.emit({ type: 'approved', userId: requested, subject, ip: req.ip });
    return {
      kind: 'approved',
      user: verified.user,
      info: { provider: this.provider.name, method: 'push', subject, claims: info.claims },
      ...(requested !== undefined ? { requestedUserId: requested } : {}),
    };
  }

  /**
   * An action's approval: only the signed-in user approving exactly this intent counts (fail
   * closed). The audit record goes to the app first; then the approval waits in the session for its
   * one use.
   */
  private async completeAction(
    req: LoginRequest,
    data: SessionLike,
    record: ChallengeRecord,
    status: ApprovedStatus,
  ): Promise<LoginResult<User>> {
    const requested = this.requestedId(record);
    const approverMatches =
      requested !== undefined &&
      (record.as !== undefined
        ? status.subject === record.as
        : this.provider.subjectRule === 'must-match'
          ? sameIgnoringCase(requested, status.subject)
          : this.canonicalSubject(status.subject) === requested);
    if (!approverMatches) {
      this.emit({ type: 'invalid', userId: requested, reason: 'subject_mismatch', ip: req.ip });
      return failed('invalid', 'Another user approved the action.', 'subject_mismatch');
    }
    const now = this.options.now();
    const evidence = record.up !== undefined ? stepUpEvidence(record, status, now) : status.action;
    if (
      !evidence ||
      evidence.intentHash !== record.act ||
      typeof evidence.proof !== 'object' ||
      evidence.proof === null
    ) {
      this.emit({ type: 'invalid', userId: requested, reason: 'intent_mismatch', ip: req.ip });
      return failed('invalid', 'The approval is not for this action.', 'intent_mismatch');
    }
    if (!(await claimProof(this.completions, this.provider.name, evidence.proof, now))) {
      this.emit({ type: 'invalid', userId: requested, reason: 'intent_mismatch', ip: req.ip });
      return failed(
        'invalid',
        'The provider answered with a proof that approved another action.',
        'intent_mismatch',
      );
    }
    const approval: ActionApproval = {
      provider: this.provider.name,
      subject: status.subject,
      intentHash: evidence.intentHash,
      challengeId: record.id,
      approvedAt: now,
      // A step-up proves a fresh authentication, never content.
      // Stryker disable next-line OptionalChaining: an action's challenge exists only where approve() found the provider's actions
      proves: record.up !== undefined ? 'provider-yes' : (this.provider.actions?.proves ?? 'provider-yes'),
      proof: { ...evidence.proof },
    };
    // The audit record first: an approval the app could not record is never usable.
    await this.options.approval.onApproved?.(approval);
    holdApproval(
      data,
      this.approvalsKey,
      {
        h: evidence.intentHash,
        id: record.id,
        u: approverKey(this.approverKey, requested),
        at: now,
        exp: now + this.options.approval.ttlMs,
      },
      now,
    );
    this.emit({
      type: 'approved',
      userId: requested,
      subject: status.subject,
      intentHash: evidence.intentHash,
      ip: req.ip,
    });
    return { kind: 'action_approved', approval };
  }

  /** The app's `subjectMatch` when given, else the provider's rule. */
  private subjectAccepted(requested: string | undefined, subject: string): boolean {
    if (this.options.subjectMatches) return this.options.subjectMatches(requested, subject);
    switch (this.provider.subjectRule) {
      case 'provider':
        return true;
      case 'match-if-typed':
        // The requested ID is already canonical; the subject is compared in the same form.
        return requested === undefined || requested === this.canonicalSubject(subject);
      default:
        return sameIgnoringCase(requested, subject);
    }
  }

  /** The subject in the provider's canonical ID form; a subject that has none matches nothing. */
  private canonicalSubject(subject: string): string | undefined {
    try {
      // Stryker disable BlockStatement: the catch emptied returns undefined all the same
      return this.provider.canonicalUserId ? this.provider.canonicalUserId(subject) : subject;
    } catch {
      // Stryker restore BlockStatement
      return undefined; // not an ID the provider accepts: never the typed one
    }
  }

  private async expire(
    req: LoginRequest,
    data: SessionLike,
    record: ChallengeRecord,
  ): Promise<LoginResult<User>> {
    const decision = await this.decide(record, 'expired');
    if (!decision.decided)
      // Stryker disable next-line StringLiteral: `own` is a shortcut; for any other ending endedElsewhere answers failed(ending), the same
      return this.endedElsewhere(record, this.options.now(), decision, failed('expired'));
    this.forget(data, record);
    this.announce(record.id, 'expired', req);
    void this.cancelQuietly(record);
    this.emitEnding(req, record, 'expired');
    return failed('expired');
  }

  /**
   * Records how the challenge ended, once across requests and instances (the completion store):
   * only the request that decides reports the ending and changes the session.
   */
  private async decide(record: ChallengeRecord, ending: SettledState): Promise<Decision> {
    // Kept past the deadline by one provider call: no request still holding an answer can decide again.
    const keepUntil = Math.max(record.expiresAt, this.options.now()) + this.options.providerTimeoutMs;
    if (this.completions.decide) return this.completions.decide(record.id, keepUntil, ending);
    return { decided: await this.completions.claim(record.id, keepUntil) };
  }

  /**
   * The answer of a request whose ending another request decided first; it touches no session.
   * Its own result when both agree; a completion (or an unknown ending) is answered as pending with
   * no wait, so the next poll finds the signed-in session.
   */
  private endedElsewhere(
    record: ChallengeRecord,
    now: number,
    decision: Decision,
    own?: LoginResult<User>,
  ): LoginResult<User> {
    this.live.forget(record.id);
    const ending = decision.ending;
    if (own && own.kind === 'failed' && ending === own.state) return own;
    if (ending === undefined || ending === 'approved') {
      return { kind: 'pending', ...pendingOutcome(record, now, false), retryAfterMs: 0 };
    }
    return ending === 'cancelled' ? cancelled() : failed(ending);
  }

  /** A cancel that came after the challenge ended: what happened instead. */
  private cancelTooLate(record: ChallengeRecord, decision: Decision): LoginResult<User> {
    this.live.forget(record.id);
    if (decision.ending === 'cancelled') return cancelled();
    const action = record.act !== undefined;
    if (decision.ending === 'approved') {
      const text = action
        ? 'The action was approved before it could be cancelled.'
        : 'The login completed before it could be cancelled.';
      return failed('none', text, 'already_completed');
    }
    // A store without `decide` cannot tell which ending came first.
    if (decision.ending === undefined) {
      return failed(
        'none',
        action ? 'The approval request had already ended.' : 'The login had already ended.',
      );
    }
    return failed(decision.ending);
  }

  /** Removes the session's record (and what this process knew of it); returns it when readable. */
  private takeRecord(data: SessionLike, sessionId: string): ChallengeRecord | undefined {
    const reading = readRecord(data[this.sessionKey], sessionId, this.provider.name);
    delete data[this.sessionKey];
    if (reading.kind !== 'record') return undefined;
    this.forget(data, reading.record);
    return reading.record;
  }

  private forget(data: SessionLike, record: ChallengeRecord): void {
    delete data[this.sessionKey];
    this.live.forget(record.id);
    // Only this challenge's entry: another login's entry for the same key stays.
    if (record.nk) {
      this.index.remove(record.nk, record.id).catch((error: unknown) => {
        this.emit(storeError('notification_index', 'remove', STALE_ENTRY, error));
      });
    }
  }

  /**
   * Lets notifications find the challenge. Best effort: an index that fails (Redis down) only means
   * the challenge completes at its next poll instead of at once.
   */
  private async indexNotificationKey(record: ChallengeRecord, key: unknown): Promise<void> {
    if (!this.provider.readNotification || typeof key !== 'string') return;
    if (key.length === 0 || key.length > MAX_NOTIFICATION_KEY_LENGTH) return;
    const nk = notificationKeyHash(key, this.notifyKey);
    try {
      await this.index.add(nk, record.id, record.expiresAt);
      record.nk = nk;
    } catch (error) {
      this.emit(storeError('notification_index', 'add', NOTIFICATIONS_LOST, error));
    }
  }

  /** Whether another instance may have heard a notification for the record that this one did not. */
  private mayHaveMissed(record: ChallengeRecord): boolean {
    return record.nk !== undefined && this.index.lastNotification !== undefined;
  }

  /**
   * A request of the login arrived: a notification another instance heard while no request of it
   * listened (noted in the shared index) makes the check due here too, unless a check since then
   * answered it. Best effort: an index that fails leaves the regular check to make up for it.
   */
  private async catchUp(record: ChallengeRecord): Promise<void> {
    const { nk } = record;
    const lastNotification = this.index.lastNotification;
    if (nk === undefined || lastNotification === undefined) return;
    // A check due now that joins no call in flight is a new provider call: it answers any note.
    const due = decidePoll(this.live.merge(record), this.options.now()) !== 'wait';
    if (due && !this.live.checking(record.id)) return;
    let heardAt: number | undefined;
    try {
      heardAt = await lastNotification.call(this.index, nk, record.id);
    } catch (error) {
      this.emit(storeError('notification_index', 'lastNotification', MISSED_NOTIFICATION, error));
      return;
    }
    if (heardAt !== undefined) this.live.noted(record, heardAt, this.options.now());
  }

  /**
   * Tells the app (a `store_error` audit event) that a store the web layer uses failed and what was
   * lost; the login goes on without it.
   */
  storeFailed(store: PushStoreName, operation: string, lost: string, error: unknown): void {
    this.emit(storeError(store, operation, lost, error));
  }

  /**
   * A request's error as its result; a store fault that failed the request is also a `store_error`
   * audit event (the faults a request survives are reported where they are caught).
   */
  private errorResult(error: unknown): LoginResult<User> {
    if (isStoreFault(error)) {
      this.emit(storeError(error.details.store, String(error.details['operation']), REQUEST_LOST, error));
    }
    return { kind: 'error', error };
  }

  /** A session store call the core makes itself, bounded like every store call. */
  private sessionCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return storeCall(this.options.storeTimeoutMs, 'session', operation, call);
  }

  /** Tells every waiting request of the challenge (on every instance) that it ended. Best effort. */
  private announce(challengeId: string, state: SettledState, req?: LoginRequest): void {
    const publish = () =>
      void this.bus.publish(challengeId, { type: 'settled', state }).catch((error: unknown) => {
        this.emit(storeError('notification_bus', 'publish', ANNOUNCEMENT_LOST, error));
      });
    if (req?.afterResponse) req.afterResponse(publish);
    else publish();
  }

  /**
   * Tells the limiter what became of an admitted start. Best effort: a store that fails here only
   * loses one count or keeps one cooldown, and the login itself must not fail for it.
   */
  private async settleLimits(attempt: StartAttempt, pushed: boolean): Promise<void> {
    try {
      await this.limiter?.settle(attempt, pushed);
    } catch (error) {
      this.emit(storeError('rate_limit', 'settle', COUNT_LOST, error));
    }
  }

  /** How the record keeps the typed ID: sealed when the provider's IDs are personal data. */
  private keptUserId(userId: string, challengeId: string): Pick<ChallengeRecord, 'userId' | 'sealedUserId'> {
    if (!this.sealKey) return { userId };
    return { sealedUserId: sealUserId(this.sealKey, userId, challengeId) };
  }

  /** The typed ID of the record (opened when sealed); undefined when none, or when it does not open. */
  private requestedId(record: ChallengeRecord): string | undefined {
    if (record.sealedUserId === undefined) return record.userId;
    return this.sealKey ? openUserId(this.sealKey, record.sealedUserId, record.id) : undefined;
  }

  /** Frees the session and ID cooldowns a withdrawn challenge's start held (Cancel, a superseding start). */
  private async releaseCooldowns(client: string, record: ChallengeRecord): Promise<void> {
    const limitedId = this.requestedId(record) ?? `session:${client}`;
    await this.settleLimits({ userId: limitedId, sessionId: client, now: this.options.now() }, false);
  }

  /** Best effort: the local record is gone either way, and a cancel that fails must not block the user. */
  private async cancelQuietly(record: ChallengeRecord): Promise<void> {
    const cancel = this.provider.cancel;
    // Stryker disable next-line ConditionalExpression: without the guard the missing cancel throws inside the try below, which swallows it
    if (!cancel) return;
    try {
      await withDeadline(this.options.providerTimeoutMs, (signal) =>
        cancel.call(this.provider, record.handle, signal),
      );
    } catch {
      // Nothing to do: the challenge also dies at its local deadline.
    }
  }

  /** The provider's time-dependent display (an animated QR); a provider fault only loses the picture. */
  private currentDisplay(record: ChallengeRecord, now: number): ChallengeDisplay | undefined {
    // Stryker disable next-line ConditionalExpression: without the guard the missing method throws inside the try below, which answers undefined
    if (!this.provider.currentDisplay) return undefined;
    try {
      // Stryker disable BlockStatement: the catch emptied returns undefined all the same
      return this.provider.currentDisplay(record.handle, now);
    } catch {
      // Stryker restore BlockStatement
      return undefined;
    }
  }

  private emitEnding(
    req: LoginRequest,
    record: ChallengeRecord,
    state: TerminalState,
    reason?: string,
  ): void {
    this.emit({ type: state, userId: this.requestedId(record), ...(reason ? { reason } : {}), ip: req.ip });
    if (reason === 'fraud') this.emit({ type: 'fraud', userId: this.requestedId(record), ip: req.ip });
  }

  private emit(event: PushEvent): void {
    // Stryker disable next-line ConditionalExpression: without the guard the missing hook throws inside the try below, which swallows it
    if (!this.options.onEvent) return;
    try {
      const shown = this.pseudonymise ? this.pseudonymise(event) : event;
      this.options.onEvent({ ...shown, provider: this.provider.name });
    } catch {
      // An audit hook that throws must not change the login's outcome.
    }
  }
}

function failed<User>(
  state: FailureState,
  message?: string,
  code?: PushErrorCode,
  providerMessage?: ProviderMessage,
): LoginResult<User> {
  return {
    kind: 'failed',
    state,
    message: message ?? providerMessage?.text ?? defaultMessage[state],
    ...(code ? { code } : {}),
    ...(providerMessage ? { providerMessage } : {}),
  };
}

function cancelled<User>(): LoginResult<User> {
  return { kind: 'cancelled', state: 'cancelled', message: defaultMessage.cancelled };
}

function failedInput<User>(error: PushError): LoginResult<User> {
  return failed('bad_request', error.message, error.code);
}

function observedPending(
  record: ChallengeRecord,
  now: number,
  display: ChallengeDisplay | undefined,
): ObservedState {
  const { state, userId, providerMessage, expiresAt, expiresInMs, retryAfterMs, message, approval } =
    pendingOutcome(
      record,
      now,
      // Stryker disable next-line BooleanLiteral: an observed state leaves `started` out
      false,
      display,
    );
  return {
    state,
    message,
    expiresAt,
    expiresInMs,
    retryAfterMs,
    ...(userId !== undefined ? { userId } : {}),
    ...(display ? { display } : {}),
    ...(providerMessage ? { providerMessage } : {}),
    ...(approval ? { approval } : {}),
  };
}

function pendingDisplay(status: ChallengeStatus): ChallengeDisplay | undefined {
  return status.state === 'pending' || status.state === 'fetched' ? status.display : undefined;
}

function finite(value: number | undefined): number {
  // Stryker disable next-line ConditionalExpression: Number.isFinite does not coerce, so the typeof check only narrows the type
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Whether a failed start surely reached no phone: the provider refused it (unknown ID, no device,
 * locked) or it was bad input. Transport faults and malformed answers may follow a sent push, and
 * `already_in_progress` means BankID cancelled that person's pending order: both keep the cooldowns.
 */
function nothingSent(error: PushError): boolean {
  if (error.code === 'already_in_progress') return false;
  return error.kind === 'input' || error.kind === 'provider';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A limiter the app built (it has `check`), as opposed to rules for the default one. */
function isLimiter(limiter: StartLimiter | StartLimits | undefined): limiter is StartLimiter {
  return typeof (limiter as Partial<StartLimiter> | undefined)?.check === 'function';
}

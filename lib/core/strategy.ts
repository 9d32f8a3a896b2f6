/**
 * PushStrategy: turns one request and the session's challenge record into exactly one passport
 * action. Three actions: `start` (ask the provider to push), `poll` (complete once approved) and
 * `cancel`. It knows no provider by name and no route: the router or the app decides which action
 * a request is.
 */
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import {
  applyStatus,
  decidePoll,
  newChallengeId,
  readRecord,
  RECORD_VERSION,
  sessionFingerprint,
  type ChallengeRecord,
} from './challenge';
import { MemoryCompletionStore, type CompletionStore } from './completion';
import { withDeadline } from '../deadline';
import { PushError } from '../errors';
import {
  defaultMessage,
  pendingOutcome,
  setPushOutcome,
  type PushFailure,
  type PushOutcome,
  type PushPending,
} from './outcome';
import { requireSession, stillStored, type SessionLike } from './session-access';
import { resolveOptions, type PushStrategyOptions, type ResolvedOptions } from './strategy-options';
import type { ChallengeStatus, PushProvider } from '../providers/provider';
import { SingleFlight } from './single-flight';
import { readUserId } from './user-id';
import {
  callVerify,
  type PushVerifyInfo,
  type VerifyFunction,
  type VerifyFunctionWithRequest,
} from './verify';
import type { PushEvent } from './events';
import { createStartLimiter, type StartLimiter } from './limits';

export type PushAction = 'start' | 'poll' | 'cancel';

/** Options given to `passport.authenticate('push', options)` besides passport's own. */
export interface PushAuthenticateOptions {
  /** Default: `start` for a POST that carries the username field, `poll` otherwise. */
  action?: PushAction;
  /**
   * How a non-final outcome (started, still pending, cancelled) reaches the app:
   * - `'next'` (default): `pass()`; the next handler reads `pushOutcome(req)`. Plain passport options
   *   (`failureRedirect`, `failWithError`…) never see it.
   * - `'callback'`: `fail(outcome, 202)` (200 for cancelled), for custom callbacks, which never see `pass()`.
   */
  pending?: 'next' | 'callback';
}

export class PushStrategy<User = Express.User> extends Strategy {
  readonly name: string;
  readonly provider: PushProvider;
  private readonly options: ResolvedOptions;
  private readonly verify: VerifyFunction<User> | VerifyFunctionWithRequest<User, Request>;
  private readonly completions: CompletionStore;
  private readonly limiter: StartLimiter | undefined;
  private readonly checks = new SingleFlight<ChallengeStatus>();

  constructor(options: PushStrategyOptions & { passReqToCallback?: false }, verify: VerifyFunction<User>);
  constructor(
    options: PushStrategyOptions & { passReqToCallback: true },
    verify: VerifyFunctionWithRequest<User, Request>,
  );
  constructor(
    options: PushStrategyOptions,
    verify: VerifyFunction<User> | VerifyFunctionWithRequest<User, Request>,
  ) {
    super();
    if (typeof verify !== 'function') {
      throw new PushError('config', 'PushStrategy requires a verify callback as its second argument.');
    }
    this.options = resolveOptions(options);
    this.name = this.options.name;
    this.provider = this.options.provider;
    this.verify = verify;
    this.completions = this.options.completions ?? new MemoryCompletionStore(this.options.now);
    this.limiter = options.limiter === false ? undefined : (options.limiter ?? createStartLimiter());
  }

  /** The session key the challenge record lives under. */
  get sessionKey(): string {
    return this.options.sessionKey;
  }

  /**
   * The pending answer for a poll that needs no provider call (the next check is not due yet), or
   * undefined when the poll must go through `authenticate`. Synchronous and writes nothing: the
   * router uses it to answer most polls without running passport.
   */
  peekPending(req: Request): PushPending | undefined {
    const { session, sessionID } = req as unknown as { session?: SessionLike; sessionID?: unknown };
    if (!session || typeof sessionID !== 'string') return undefined;
    const reading = readRecord(session[this.sessionKey], sessionID, this.provider.name);
    if (reading.kind !== 'record') return undefined;
    const now = this.options.now();
    return decidePoll(reading.record, now) === 'wait'
      ? pendingOutcome(reading.record, now, false)
      : undefined;
  }

  override authenticate(req: Request, options: PushAuthenticateOptions = {}): void {
    const action = options.action ?? defaultAction(req, this.options.usernameField);
    const run =
      action === 'start'
        ? this.start(req, options)
        : action === 'cancel'
          ? this.cancel(req, options)
          : this.poll(req, options);
    // Passport ignores the returned promise: every path must end in an action, rejections included.
    run.catch((error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))));
  }

  private async start(req: Request, options: PushAuthenticateOptions): Promise<void> {
    const { session, sessionId } = requireSession(req);
    const now = this.options.now();
    let userId: string;
    try {
      userId = readUserId(req.body, req.query, this.options.userIdRules);
    } catch (error) {
      return this.fail({ state: 'bad_request', message: messageOf(error), code: codeOf(error) }, 400);
    }
    const refusal = await this.limiter?.check({ userId, sessionId: sessionId, ip: req.ip, now });
    if (refusal) {
      this.emit({ type: 'refused', userId, ip: req.ip, reason: refusal.message });
      return this.error(refusal);
    }
    await this.withdrawPrevious(session, sessionId);

    let started;
    try {
      const request = {
        userId,
        clientIp: req.ip,
        serviceName: this.options.serviceName,
        serviceAddress: this.options.serviceAddress,
        message: this.options.message,
      };
      started = await withDeadline(this.options.providerTimeoutMs, (signal) =>
        this.provider.start(request, signal),
      );
    } catch (error) {
      this.emit({ type: 'error', userId, ip: req.ip, message: messageOf(error) });
      if (error instanceof PushError && error.kind === 'input') {
        return this.fail({ state: 'bad_request', message: error.message, code: error.code }, 400);
      }
      throw error;
    }
    const intervalMs = Math.max(this.options.pollIntervalMs, started.pollIntervalMs ?? 0);
    const localDeadline = now + this.options.challengeTimeoutMs;
    const record: ChallengeRecord = {
      v: RECORD_VERSION,
      id: newChallengeId(),
      sid: sessionFingerprint(sessionId),
      provider: this.provider.name,
      handle: started.handle,
      userId,
      createdAt: now,
      expiresAt: Math.min(localDeadline, started.expiresAt ?? localDeadline),
      nextCheckAt: now + intervalMs,
      intervalMs,
      fetched: false,
    };
    session[this.sessionKey] = record;
    this.emit({ type: 'start', userId, ip: req.ip });
    this.reportPending(req, options, pendingOutcome(record, now, true, started.display));
  }

  private async poll(req: Request, options: PushAuthenticateOptions): Promise<void> {
    const { session, sessionId } = requireSession(req);
    const reading = readRecord(session[this.sessionKey], sessionId, this.provider.name);
    if (reading.kind === 'none') {
      return this.fail({ state: 'none', message: 'No login is waiting for approval.' }, 404);
    }
    if (reading.kind === 'unreadable') {
      delete session[this.sessionKey];
      return this.fail({ state: 'invalid', message: 'This login request is not valid any more.' }, 401);
    }
    const record = reading.record;
    const now = this.options.now();
    const decision = decidePoll(record, now);
    if (decision === 'expired') {
      delete session[this.sessionKey];
      void this.cancelQuietly(record);
      return this.terminal(req, record, 'expired', 'The login request expired.');
    }
    if (decision === 'wait') return this.reportPending(req, options, pendingOutcome(record, now, false));

    let status: ChallengeStatus | undefined;
    let failure: unknown;
    try {
      status = await this.checks.run(record.id, () =>
        withDeadline(this.options.providerTimeoutMs, (signal) => this.provider.check(record.handle, signal)),
      );
    } catch (error) {
      failure = error;
    }
    if (!(await stillStored(req))) {
      // Another request of this session logged in (or out) while the provider answered, destroying
      // the session we loaded: any write would save that stale copy back (expressjs/session#935).
      return this.reportPending(req, options, { ...pendingOutcome(record, now, false), retryAfterMs: 0 });
    }
    if (status === undefined) {
      if (failure instanceof PushError && !failure.retryable) {
        delete session[this.sessionKey];
        return this.terminal(req, record, 'invalid', failure.message, failure.code);
      }
      // Transient: keep the challenge, back off one interval, and let the app report the error.
      session[this.sessionKey] = { ...record, nextCheckAt: now + record.intervalMs };
      throw failure;
    }

    const outcome = applyStatus(record, status, this.options.now());
    if (outcome.kind === 'pending') {
      session[this.sessionKey] = outcome.record;
      return this.reportPending(req, options, pendingOutcome(outcome.record, now, false));
    }
    if (outcome.kind === 'terminal') {
      delete session[this.sessionKey];
      return this.terminal(req, record, outcome.state, outcome.detail ?? defaultMessage[outcome.state]);
    }
    if (!(await this.completions.claim(record.id, record.expiresAt))) {
      // Another request of this session is completing the login right now. Touch nothing, so this
      // request cannot write the pre-login session back over the new one.
      return this.reportPending(req, options, pendingOutcome(record, now, false));
    }
    // Clear first: with keepSessionInfo the record would otherwise survive the login.
    delete session[this.sessionKey];
    if (!this.options.subjectMatches(record.userId, outcome.subject)) {
      return this.terminal(
        req,
        record,
        'invalid',
        'The provider confirmed a different user than the one asked for.',
      );
    }
    await this.complete(req, record, outcome.subject, status);
  }

  private async complete(req: Request, record: ChallengeRecord, subject: string, status: ChallengeStatus) {
    const info: PushVerifyInfo = {
      provider: this.provider.name,
      requestedUserId: record.userId,
      claims: status.claims ?? {},
    };
    const verified = await callVerify<User>((done) =>
      this.options.passReqToCallback
        ? (this.verify as VerifyFunctionWithRequest<User, Request>)(req, subject, info, done)
        : (this.verify as VerifyFunction<User>)(subject, info, done),
    );
    if (verified.user === false) {
      this.emit({ type: 'rejected', userId: record.userId, ip: req.ip });
      const message = verified.message ?? 'This ID has no account here.';
      return this.fail({ state: 'rejected', message }, 401);
    }
    this.emit({ type: 'approved', userId: record.userId, subject, ip: req.ip });
    this.success(verified.user, {
      provider: this.provider.name,
      method: 'push',
      subject,
      claims: info.claims,
    });
  }

  private async cancel(req: Request, options: PushAuthenticateOptions): Promise<void> {
    const { session, sessionId } = requireSession(req);
    const reading = readRecord(session[this.sessionKey], sessionId, this.provider.name);
    delete session[this.sessionKey];
    if (reading.kind === 'record') {
      this.emit({ type: 'cancelled', userId: reading.record.userId, ip: req.ip });
      await this.cancelQuietly(reading.record);
    }
    this.report(req, options, { state: 'cancelled', message: 'The login request was cancelled.' }, 200);
  }

  /** A new start replaces the old challenge: withdraw it at the provider so the phone stops showing it. */
  private async withdrawPrevious(session: SessionLike, sessionId: string): Promise<void> {
    const reading = readRecord(session[this.sessionKey], sessionId, this.provider.name);
    delete session[this.sessionKey];
    if (reading.kind === 'record') await this.cancelQuietly(reading.record);
  }

  /** Best effort: the local record is gone either way, and a cancel that fails must not block the user. */
  private async cancelQuietly(record: ChallengeRecord): Promise<void> {
    const cancel = this.provider.cancel;
    if (!cancel) return;
    try {
      await withDeadline(this.options.providerTimeoutMs, (signal) =>
        cancel.call(this.provider, record.handle, signal),
      );
    } catch {
      // Nothing to do: the challenge also dies at its local deadline.
    }
  }

  private terminal(
    req: Request,
    record: ChallengeRecord,
    state: PushFailure['state'],
    message: string,
    code?: string,
  ) {
    this.emit({ type: state === 'expired' ? 'expired' : 'denied', state, userId: record.userId, ip: req.ip });
    this.fail(code === undefined ? { state, message } : { state, message, code }, 401);
  }

  private reportPending(req: Request, options: PushAuthenticateOptions, outcome: PushPending): void {
    this.report(req, options, outcome, 202);
  }

  private report(req: Request, options: PushAuthenticateOptions, outcome: PushOutcome, status: number): void {
    setPushOutcome(req, outcome);
    if (options.pending === 'callback') this.fail(outcome, status);
    else this.pass();
  }

  private emit(event: PushEvent): void {
    if (!this.options.onEvent) return;
    try {
      this.options.onEvent({ ...event, provider: this.provider.name });
    } catch {
      // An audit hook that throws must not change the login's outcome.
    }
  }
}

function defaultAction(req: Request, usernameField: string): PushAction {
  const body = req.body as Record<string, unknown> | undefined;
  return req.method === 'POST' && body !== null && typeof body === 'object' && usernameField in body
    ? 'start'
    : 'poll';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  return error instanceof PushError ? error.code : undefined;
}

/**
 * A held long poll (JSON only): while pending, wait until the next provider check is due, or until
 * the bus says something happened to the challenge (a provider notification, its end on another
 * request or instance), and poll again, until the login settles or `longPollMs` has passed. The
 * subscription lasts the whole hold, so an event that arrives during a poll is not lost.
 *
 * Thousands are held at once, so each is one small object: no async frame, promise or timer of its
 * own while it waits (the router's `TimerWheel` wakes it), one bus listener and one `close`
 * listener. It keeps no copy of the session while it waits, only the login's record: the stored
 * session is read again when something changed (see `round`) and before the answer, so
 * express-session saves the fresh session, never a copy that other requests have since outdated.
 */
import type { Request, Response, NextFunction } from 'express';
import type { PushPending, LoginResult } from '../core/outcome';
import type { PushLogin } from '../core/login';
import type { NotificationEvent } from '../core/notification-bus';
import { sessionOf, storedSessionView, type LoginSession } from '../core/session-access';
import { storeCall } from '../core/store-deadline';
import type { TimerWheel, Wakeable } from './wake';
import { closeOnLeave, forget } from './on-leave';
import { leaveWithError, takeExit } from './router-handle';

/** What a held poll whose session store failed tells the audit log. */
const SESSION_NOT_READ = 'a held poll (answered 503 with Retry-After; the login stays pending)';

/** Long polling never spins faster than this, whatever the interval. */
const MIN_LONG_POLL_STEP_MS = 100;

/** What every held poll of one router shares. */
export interface HeldPolls<User> {
  readonly login: PushLogin<User>;
  readonly wheel: TimerWheel;
  readonly longPollMs: number;
  /** Asks the core once more, as a fresh status request would. */
  poll(req: Request, res: Response): Promise<LoginResult<User>>;
  /** Answers the request with the hold's result (the router's answer to any poll result). */
  answer(req: Request, res: Response, result: LoginResult<User>): Promise<void>;
}

/**
 * Holds a pending JSON poll. False when the challenge has as many waiters as the bus allows: the
 * caller answers at once then (the cap must hold).
 */
export function holdPoll<User>(
  shared: HeldPolls<User>,
  req: Request,
  res: Response,
  next: NextFunction,
  pending: PushPending & { kind: 'pending' },
  heard: Heard | undefined,
): boolean {
  // Kept for errors: the `next` that leaves the router (as small as a bare held request's), not the
  // router's chain behind this route's `next`, when the router recorded it.
  const exit = takeExit(req);
  const held = new HeldPoll(shared, req, res, exit ?? next, exit !== undefined, pending);
  // What the bus said while the first poll asked the provider counts as said to the hold.
  if (heard?.event) held.heardEarlier(heard.event);
  try {
    // An unnamed arrow, not a method or a named one: the cheapest closure there is.
    held.unsubscribe = shared.login.subscribe(pending.challengeId, (event) => held.event(event));
  } catch {
    return false;
  }
  // One listener function for every held poll (no closure, no once-wrapper per request).
  closeOnLeave(res, held);
  held.wait();
  return true;
}

/** What the bus said about a challenge while a long poll's first round ran (see `listenWhilePolling`). */
export interface Heard {
  /** The latest event, `settled` kept over `check`; undefined while nothing was said. */
  event: NotificationEvent | undefined;
  stop(): void;
}

/**
 * Listens to the bus for the session's challenge while a long poll asks the provider, before the
 * hold subscribes: a notification that reaches another instance in that time would otherwise be
 * lost to this request, which would then wait a whole poll interval. Undefined when the session
 * holds no challenge, or the challenge has as many waiters as the bus allows.
 */
export function listenWhilePolling<User>(login: PushLogin<User>, req: Request): Heard | undefined {
  const challengeId = login.challengeIdOf(sessionOf(req));
  if (challengeId === undefined) return undefined;
  const heard: Heard = { event: undefined, stop: () => undefined };
  try {
    heard.stop = login.subscribe(challengeId, (event) => {
      if (heard.event?.type !== 'settled') heard.event = event;
    });
  } catch {
    return undefined;
  }
  return heard;
}

/** A pending login whose QR code changes with time: its page polls every second, never held. */
export function animated(pending: PushPending): boolean {
  return pending.state === 'pending' && typeof pending.display?.qr === 'string';
}

/** Shared, not a closure per poll. */
function nothing(): void {}

/** One held poll: its state between rounds (see the file's comment). */
class HeldPoll<User> implements Wakeable {
  unsubscribe: () => void = nothing;
  private readonly challengeId: string;
  private readonly until: number;
  /** Set when the challenge ended elsewhere: only then (or when a check is due) is the session re-read. */
  private ended = false;
  /** The client left. */
  private gone = false;
  /** A notification came while a round ran: the next wait ends at once. */
  private notified = false;
  private busy = false;
  private finished = false;
  /** Its bucket in the wheel while it waits there. */
  private slot: number | undefined;
  /**
   * While the session is let go (`req.session` null): the login's record as this request last had
   * it, all a round needs until something changed. Undefined once the session is back on `req`.
   */
  private record: unknown;
  private readonly sessionId: string | undefined;

  constructor(
    private readonly shared: HeldPolls<User>,
    private readonly req: Request,
    private readonly res: Response,
    /** Where an error goes: the route's `next`, or the router's exit (`leaves`). */
    private readonly next: NextFunction,
    private readonly leaves: boolean,
    private result: LoginResult<User>,
  ) {
    this.challengeId = (result as PushPending).challengeId;
    this.until = Date.now() + shared.longPollMs;
    const r = req as object as SessionRequest;
    this.sessionId = typeof r.sessionID === 'string' ? r.sessionID : undefined;
    // Without a store to read it again from (not express-session), the request's copy stays.
    if (!canReread(r)) return;
    this.record = r.session?.[shared.login.sessionKey];
    // Let go of the session while held (about half a kilobyte): `readSession` reads it again.
    if (this.record !== undefined) r.session = null;
  }

  /** The session as a round reads it: the request's own, or a view of the kept record. */
  private session(): LoginSession {
    if (this.record === undefined) return sessionOf(this.req);
    return storedSessionView({ [this.shared.login.sessionKey]: this.record }, this.sessionId);
  }

  /** Something happened to the challenge (here or on another instance). */
  event(event: NotificationEvent): void {
    if (event.type === 'settled') this.ended = true;
    this.wake();
  }

  /** An event heard before the hold subscribed (`listenWhilePolling`): the first wait ends at once. */
  heardEarlier(event: NotificationEvent): void {
    if (event.type === 'settled') this.ended = true;
    this.notified = true;
  }

  /** The client left. */
  close(): void {
    this.gone = true;
    this.wake();
  }

  /** The wheel, a notification or the client's leaving: run a round now, or right after this one. */
  wake(): void {
    if (this.finished) return;
    if (this.busy) {
      this.notified = true;
      return;
    }
    if (this.slot !== undefined) this.shared.wheel.remove(this, this.slot);
    this.slot = undefined;
    if (this.gone) return this.finish();
    this.busy = true;
    this.notified = false;
    this.round().then(
      () => {
        this.busy = false;
        this.wait();
      },
      (error: unknown) => {
        this.busy = false;
        this.cleanUp();
        this.fail(error);
      },
    );
  }

  /** Waits for the next due check, a notification or the end of the hold; or answers now. */
  wait(): void {
    if (this.finished) return;
    // A client that left before its 'close' listener was added.
    if (this.res.destroyed) this.gone = true;
    const result = this.result;
    if (
      this.gone ||
      result.kind !== 'pending' ||
      result.challengeId !== this.challengeId ||
      animated(result)
    ) {
      return this.finish();
    }
    const left = this.until - Date.now();
    if (left <= 0) return this.finish();
    if (this.notified) return this.wake();
    this.slot = this.shared.wheel.add(
      this,
      Math.min(Math.max(result.retryAfterMs, MIN_LONG_POLL_STEP_MS), left),
    );
  }

  /** One poll round; sets `result` (and `gone` when the session went). */
  private async round(): Promise<void> {
    const { login } = this.shared;
    const req = this.req;
    // A wake that makes no check due (a notification inside the provider's floor) changes
    // nothing: answered from memory, without a session store read.
    const local = this.ended ? undefined : login.localAnswer(this.session());
    if (local?.challengeId === this.challengeId) {
      this.result = { kind: 'pending', ...local };
      return;
    }
    if (!this.ended) {
      // A check is due: asked without the session (observe writes nothing), so a still-pending
      // answer costs no store read; only a change (an ending, here or elsewhere) reloads it.
      const observed = await login.observe(this.session());
      if (this.gone) return;
      const after = isPending(observed.state) ? login.localAnswer(this.session()) : undefined;
      if (after?.challengeId === this.challengeId) {
        this.result = { kind: 'pending', ...after };
        return;
      }
    }
    if (!(await this.readSession(false))) return;
    this.result = await this.shared.poll(req, this.res);
  }

  /**
   * Reads the stored session onto the request (express-session then saves it as usual), or
   * answers: 503 when the store is down, a poll again when the session is gone. False when it
   * answered. `keepRecord`: the login's record as this request had it goes back into the session
   * (the hold ends without a new round: what its first round wrote is saved, as ever).
   */
  private async readSession(keepRecord: boolean): Promise<boolean> {
    const { login } = this.shared;
    const req = this.req as object as SessionRequest;
    const held = this.record;
    let stored: boolean;
    try {
      stored = await storeCall(login.storeTimeoutMs, 'session', 'reload', () =>
        held === undefined ? reloadSession(req) : this.reread(keepRecord ? held : undefined),
      );
    } catch (error) {
      // The session store is down: answer 503 now, and save nothing over what it holds.
      login.storeFailed('session', 'reload', SESSION_NOT_READ, error);
      const session = req.session;
      req.session = null;
      this.record = undefined;
      this.result = { kind: 'error', error };
      this.end();
      // Answered (the 503 ends the response synchronously, so nothing was saved). The reload may
      // still answer late, and express-session then re-wraps `req.session`: null there would throw
      // outside any request and end the process.
      req.session = session;
      return false;
    }
    if (!stored) {
      // The session was destroyed meanwhile (login or logout in another tab): save nothing, ask again.
      req.session = null;
      this.record = undefined;
      if (this.result.kind === 'pending') this.result = { ...this.result, retryAfterMs: 0 };
      this.end();
      return false;
    }
    return true;
  }

  /**
   * The let-go session read from the store onto the request; false when it no longer exists
   * there, a rejection when the store fails. `record` goes back into it when it still holds this
   * challenge.
   */
  private reread(record: unknown): Promise<boolean> {
    const req = this.req as object as SessionRequest;
    const store = req.sessionStore as ReadableStore;
    const sessionId = this.sessionId as string;
    const key = this.shared.login.sessionKey;
    return new Promise((resolve, reject) =>
      store.get(sessionId, (error, data) => {
        // Past the store's deadline the poll was answered (503): nothing goes onto the request.
        if (this.record === undefined) return resolve(false);
        // A store that fails is down (503), not a session that is gone.
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (typeof data !== 'object' || data === null) return resolve(false);
        const session = store.createSession(req, data);
        this.record = undefined;
        const current = this.shared.login.challengeIdOf(storedSessionView(session, sessionId));
        if (record !== undefined && current === this.challengeId) session[key] = record;
        resolve(true);
      }),
    );
  }

  private finish(): void {
    if (this.finished) return;
    this.cleanUp();
    // The session was let go while held: it comes back first, so the answer saves the fresh one.
    if (this.record !== undefined) {
      this.readSession(true).then(
        (read) => {
          if (read) this.answer();
        },
        (error: unknown) => this.fail(error),
      );
      return;
    }
    this.answer();
  }

  /** Answers with the result now (the session is as it is: let go, nothing is saved). */
  private end(): void {
    if (!this.finished) this.cleanUp();
    this.answer();
  }

  private answer(): void {
    this.shared.answer(this.req, this.res, this.result).catch((error: unknown) => this.fail(error));
  }

  /** Hands an error to the app's error handlers. */
  private fail(error: unknown): void {
    if (this.leaves) leaveWithError(this.req, this.next, error);
    else this.next(error);
  }

  private cleanUp(): void {
    this.finished = true;
    if (this.slot !== undefined) this.shared.wheel.remove(this, this.slot);
    this.slot = undefined;
    this.unsubscribe();
    forget(this.res);
  }
}

/** What of express-session a held poll uses. */
interface SessionRequest {
  session?: (Record<string, unknown> & { reload?: (cb: (error?: unknown) => void) => void }) | null;
  sessionID?: unknown;
  sessionStore?: unknown;
}

/** A session store as express-session gives it to the request (`req.sessionStore`). */
interface ReadableStore {
  get(sid: string, callback: (error: unknown, data?: unknown) => void): void;
  createSession(req: object, data: object): Record<string, unknown>;
}

/** Whether the request's session can be let go and read again (express-session with its store). */
function canReread(req: SessionRequest): boolean {
  const store = req.sessionStore as Partial<ReadableStore> | undefined;
  return (
    typeof req.sessionID === 'string' &&
    typeof store?.get === 'function' &&
    typeof store.createSession === 'function'
  );
}

/** Whether an observed state is one the login still waits in. */
function isPending(state: string): boolean {
  return state === 'pending' || state === 'fetched';
}

/** Re-reads the session from the store; false when it no longer exists there. */
function reloadSession(req: SessionRequest): Promise<boolean> {
  const session = req.session;
  if (typeof session?.reload !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => session.reload?.((error) => resolve(!error)));
}

/**
 * The core's view of express-session: the session data and id, a regenerate that keeps the app's
 * data, and whether the session still exists in the store. Built from a request by `sessionOf`.
 */
import { PushError } from '../errors';

/** A session's data, as express-session exposes it. */
export type SessionLike = Record<string, unknown> & {
  /** express-session's `regenerate`, when the session has one (checked before it is called). */
  regenerate?: unknown;
};

/**
 * The session of one request, as the login core uses it.
 *
 * @example
 * ```ts
 * // The session view the core works on; the router builds it from req.session.
 * const pending = strategy.login.localAnswer(loginSession); // a PushPending, or undefined
 * ```
 */
export interface LoginSession {
  /** The session data; a new object after `regenerate()`. Undefined without express-session. */
  readonly data: SessionLike | undefined;
  /** The session id; a new one after `regenerate()`. */
  readonly id: string | undefined;
  /** Replaces the session with a new id; `keep` carries the app's data over (never the cookie). */
  regenerate(keep: boolean): Promise<void>;
  /** Whether the session is still in the store (true when there is no store to ask). */
  stillStored(): Promise<boolean>;
}

interface SessionRequest {
  session?: SessionLike & { regenerate?: (callback: (error?: unknown) => void) => void };
  sessionID?: unknown;
  sessionStore?: StoreLike;
}

type StoreLike = { get?: (sid: string, callback: (error: unknown, data?: unknown) => void) => void };

/** The session view of an Express request (reads through, so it follows a regenerate). */
export function sessionOf(req: object): LoginSession {
  return new RequestSession(req as SessionRequest);
}

/** A class rather than an object literal of getters: every poll builds one, so it must be cheap. */
class RequestSession implements LoginSession {
  constructor(private readonly r: SessionRequest) {}

  get data(): SessionLike | undefined {
    return this.r.session ?? undefined;
  }

  get id(): string | undefined {
    return typeof this.r.sessionID === 'string' ? this.r.sessionID : undefined;
  }

  regenerate(keep: boolean): Promise<void> {
    return regenerate(this.r, keep);
  }

  stillStored(): Promise<boolean> {
    return stillStored(this.r);
  }
}

/** The session data and id, or a configuration error that names the fix. */
export function requireSession(session: LoginSession): { data: SessionLike; id: string } {
  const { data, id } = session;
  if (!data || typeof data.regenerate !== 'function' || id === undefined) {
    throw new PushError(
      'config',
      'PushStrategy requires sessions with regenerate(). Did you forget to use express-session middleware before passport?',
    );
  }
  return { data, id };
}

/**
 * A fresh session id for the browser that sent this request, so a session cookie planted by
 * somebody else never holds a challenge. With `keep`, the app's data survives (like passport's
 * keepSessionInfo).
 */
function regenerate(r: SessionRequest, keep: boolean): Promise<void> {
  const old = r.session;
  if (!old || typeof old.regenerate !== 'function') return Promise.resolve();
  // __proto__ would replace the new session's prototype (its save and regenerate) rather than copy a value.
  const kept = keep ? Object.entries(old).filter(([key]) => key !== 'cookie' && key !== '__proto__') : [];
  return new Promise((resolve, reject) =>
    // Stryker disable next-line OptionalChaining: checked to be a function above; `?.` only tells TypeScript so.
    old.regenerate?.((error) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      const fresh = r.session;
      if (fresh) for (const [key, value] of kept) fresh[key] = value;
      resolve();
    }),
  );
}

function stillStored(r: SessionRequest): Promise<boolean> {
  const store = r.sessionStore;
  const get = store?.get;
  if (typeof get !== 'function' || typeof r.sessionID !== 'string') return Promise.resolve(true);
  const sessionId = r.sessionID;
  // A store error counts as gone: writing nothing is the safe side (the next poll checks again).
  return new Promise((resolve) =>
    get.call(store, sessionId, (error, data) => resolve(!error && data !== undefined && data !== null)),
  );
}

/**
 * A reader of the request's session as it is stored now, without touching the request's own copy
 * (a status stream reads it again and again and must never save it back). Undefined data when the
 * session is gone from the store or there is no store.
 */
export function storedSessionReader(req: object): () => Promise<LoginSession> {
  const r = req as SessionRequest;
  const store = r.sessionStore;
  const get = store?.get;
  const id = typeof r.sessionID === 'string' ? r.sessionID : undefined;
  const view = (data: SessionLike | undefined) => storedSessionView(data, id);
  return () => {
    if (typeof get !== 'function' || id === undefined) return Promise.resolve(view(undefined));
    return new Promise((resolve) =>
      get.call(store, id, (error, data) =>
        resolve(
          view(!error && typeof data === 'object' && data !== null ? (data as SessionLike) : undefined),
        ),
      ),
    );
  };
}

/**
 * A session as read from the store (or a part of it, such as the login's record): read-only, so
 * it can be kept between reads without keeping anything else of the request.
 */
export function storedSessionView(data: SessionLike | undefined, id: string | undefined): LoginSession {
  return {
    data,
    id,
    regenerate: () => Promise.reject(new PushError('config', 'A stored session copy cannot be regenerated.')),
    stillStored: () => Promise.resolve(data !== undefined),
  };
}

/**
 * A session store that answers within the turn it is asked in (a microtask), for tests that bound
 * store calls by a small `storeTimeoutMs`. express-session's MemoryStore answers on `setImmediate`:
 * asked from a callback that itself ran on one, it answers only after the next timers phase, so a
 * process paused for longer than the deadline (a busy CI machine, a GC) sees a healthy store time
 * out. A deadline's timer can never run before a microtask: here only a store a test makes hang is
 * late.
 */
import session from 'express-session';

type Callback = (error?: unknown) => void;

export class PromptSessionStore extends session.Store {
  /** Each session as JSON, as a shared store keeps it (no object is shared with a request). */
  private readonly sessions = new Map<string, string>();

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    const stored = this.sessions.get(sid);
    queueMicrotask(() =>
      callback(null, stored === undefined ? null : (JSON.parse(stored) as session.SessionData)),
    );
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.sessions.set(sid, JSON.stringify(data));
    if (callback) queueMicrotask(() => callback());
  }

  override destroy(sid: string, callback?: Callback): void {
    this.sessions.delete(sid);
    if (callback) queueMicrotask(() => callback());
  }

  override touch(_sid: string, _data: session.SessionData, callback?: Callback): void {
    if (callback) queueMicrotask(() => callback());
  }
}

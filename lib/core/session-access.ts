/**
 * The strategy's access to express-session: the session and its id (or a configuration error that
 * names the fix), and whether the session still exists in the store.
 */
import type { Request } from 'express';
import { PushError } from '../errors';

export type SessionLike = Record<string, unknown> & { regenerate?: unknown };

/** The session and its id, or a configuration error that names the fix. */
export function requireSession(req: Request): { session: SessionLike; sessionId: string } {
  const { session, sessionID: sessionId } = req as unknown as { session?: SessionLike; sessionID?: unknown };
  if (!session || typeof session.regenerate !== 'function' || typeof sessionId !== 'string') {
    throw new PushError(
      'config',
      'PushStrategy requires sessions with regenerate(). Did you forget to use express-session middleware before passport?',
    );
  }
  return { session, sessionId };
}

type StoreLike = { get?: (sid: string, callback: (error: unknown, data?: unknown) => void) => void };

/** Whether the request's session is still in the store (true when there is no store to ask). */
export function stillStored(req: Request): Promise<boolean> {
  const { sessionStore: store, sessionID } = req as unknown as {
    sessionStore?: StoreLike;
    sessionID: string;
  };
  const get = store?.get;
  if (typeof get !== 'function') return Promise.resolve(true);
  // A store error counts as gone: writing nothing is the safe side (the next poll checks again).
  return new Promise((resolve) =>
    get.call(store, sessionID, (error, data) => resolve(!error && data !== undefined && data !== null)),
  );
}

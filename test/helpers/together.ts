/**
 * Requests raced on purpose, without sleeping: each request's session load is answered only once
 * all of them asked, so every request holds the session as it was before any of them changed it.
 */
import type session from 'express-session';
import type { Response } from 'supertest';

type GetCallback = (error: unknown, data?: session.SessionData | null) => void;

/**
 * Runs the requests together: each one's session load is answered only once all of them asked, so
 * every request holds the session as it was before any of them changed it.
 */
export async function together(
  stores: session.Store[],
  requests: (() => Promise<Response>)[],
): Promise<Response[]> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let loads = 0;
  const spies = stores.map((store) => {
    const original = store.get.bind(store);
    return jest.spyOn(store, 'get').mockImplementation((sid: string, callback: GetCallback) => {
      if (loads >= requests.length) return original(sid, callback);
      if (++loads === requests.length) release();
      original(sid, (error, data) => void released.then(() => callback(error, data)));
    });
  });
  try {
    return await Promise.all(requests.map((send) => send()));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

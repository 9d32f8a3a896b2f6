/**
 * A stable key for one browser's session, for the per-session limits. Starting a login regenerates
 * the session (a new id each time), so the session id cannot be that key: a random id kept in the
 * session data, and carried across the regenerate, is.
 */
import { randomBytes } from 'node:crypto';
import type { SessionLike } from './session-access';

/** Where the key lives in the session data: not under `push:`, where each provider's record lives. */
export const CLIENT_KEY_FIELD = 'push-client';

/** 128 random bits, base64url: what `newClientKey` makes and `clientKeyOf` accepts. */
const CLIENT_KEY = /^[A-Za-z0-9_-]{22}$/;

/** The session's client key; a new one is stored when there is none or it is not one of ours. */
export function clientKeyOf(data: SessionLike): string {
  const stored = data[CLIENT_KEY_FIELD];
  if (typeof stored === 'string' && CLIENT_KEY.test(stored)) return stored;
  const fresh = randomBytes(16).toString('base64url');
  data[CLIENT_KEY_FIELD] = fresh;
  return fresh;
}

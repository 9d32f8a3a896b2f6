/** The core's view of an Express request: the one place the adapter and the router build it. */
import type { Request } from 'express';
import type { LoginRequest } from './login';
import { sessionOf } from './session-access';

/**
 * The body and query (where the user ID is read) only for a start: Express 5 parses the query
 * string on every read of `req.query`, and polls need neither.
 */
export function loginRequest(req: Request, withInput = false): LoginRequest {
  const view = { session: sessionOf(req), ip: req.ip, request: req };
  return withInput ? { ...view, body: req.body as unknown, query: req.query as unknown } : view;
}

/**
 * CIBA ping mode (§10.2): each backchannel request carries a fresh, unguessable
 * `client_notification_token`; when the user decided, the OP POSTs `{"auth_req_id": …}` to the
 * client's notification endpoint with `Authorization: Bearer <that token>`. The ping says only
 * "ask now": the token request that follows decides. The notification key is the token with its
 * `auth_req_id`, so a ping is found only when both match the same request; the core keeps just a
 * hash of the key and the token is stored nowhere else.
 */
import { randomBytes } from 'node:crypto';
import type { NotificationRead, NotificationRequest } from '../provider';
import { isUsableAuthReqId } from './polling';

/** CIBA allows up to 1024 characters; ours are 43 (256 random bits). */
const MAX_TOKEN_LENGTH = 1024;
/** RFC 6750's b64token. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** A fresh `client_notification_token`: 256 random bits, base64url. */
export function newNotificationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The notification key of one request: what a ping for it must carry. */
export function pingKey(token: string, authReqId: string): string {
  return `${authReqId} ${token}`;
}

/**
 * Reads a ping: a well-formed bearer token and a JSON body with a usable `auth_req_id`, else
 * refused (401 for the credential, 400 for the body). Whether the pair belongs to an open request
 * is the notification index's question.
 */
export async function readPing(request: NotificationRequest): Promise<NotificationRead> {
  const authorization = request.headers['authorization'];
  const bearer = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  const token = bearer?.[1];
  if (token === undefined || token.length > MAX_TOKEN_LENGTH) {
    return { kind: 'refused', status: 401, code: 'invalid_token' };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { kind: 'refused', status: 400, code: 'invalid_request' };
  }
  const authReqId =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)['auth_req_id']
      : undefined;
  if (typeof authReqId !== 'string' || !isUsableAuthReqId(authReqId)) {
    return { kind: 'refused', status: 400, code: 'invalid_request' };
  }
  // The token is the per-challenge secret this app gave the OP: no guess finds a login with it, so
  // the router never counts such a ping against the sender's budget.
  return { kind: 'hint', key: pingKey(token, authReqId), secret: true };
}

/**
 * The Authentiq8 webhook, read as a hint: its format is inferred (`INFERRED_WEBHOOK_FIELDS`), it is
 * not signed as far as the public guide says, so it never decides anything. It names a user; the
 * core then checks that user's open challenge through the signed get-user-status call (at most once
 * a second per user, the guide's limit). `verifyNotification` is where a signature check goes once
 * the vendor publishes one.
 */
import { RAW_BODY_REQUIRED, type NotificationRead, type NotificationRequest } from '../provider';
import { INFERRED_WEBHOOK_FIELDS as W } from './wire-fields';

/** Authenticates a webhook request (a signature, a shared secret); false refuses it with 401. */
export type VerifyNotification = (request: NotificationRequest) => boolean | Promise<boolean>;

const MAX_ID_LENGTH = 256;

/** The notification key of a user's challenge: one open challenge per user is found by it. */
export function webhookKey(userId: string): string {
  return `authentiq8-user:${userId}`;
}

/** Reads a webhook: verified by the app's hook (when given), then a JSON body naming the user. */
export async function readWebhook(
  request: NotificationRequest,
  verify: VerifyNotification | undefined,
): Promise<NotificationRead> {
  if (verify) {
    // A signature over bytes an app-wide parser already consumed cannot be checked: say so.
    if (request.bodyIsRaw === false) return { kind: 'refused', status: 400, code: RAW_BODY_REQUIRED };
    let verified = false;
    try {
      verified = (await verify(request)) === true;
    } catch {
      verified = false;
    }
    if (!verified) return { kind: 'refused', status: 401, code: 'invalid_signature' };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { kind: 'refused', status: 400, code: 'invalid_body' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'refused', status: 400, code: 'invalid_body' };
  }
  const fields = body as Record<string, unknown>;
  const userId = fields[W.userId];
  const authId = fields[W.authId];
  if (!isId(userId) || (authId !== undefined && !isId(authId))) {
    return { kind: 'refused', status: 400, code: 'invalid_body' };
  }
  // The auth_id, where present, is checked by get-user-status itself (an answer about another
  // auth_id is refused there); the lookup is by user. A verified webhook can only be the
  // provider's, so it never counts against the sender's budget; an unverified one always does.
  return { kind: 'hint', key: webhookKey(userId), ...(verify ? { secret: true } : {}) };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

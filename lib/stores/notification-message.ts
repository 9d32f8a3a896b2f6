/**
 * The wire form of one notification on the shared Redis channel: `{"v":1,"id":…,"type":…,"state"?:…}`.
 * Anything else on the channel (another version, another app, a truncated or hostile message) decodes
 * to `undefined` and is dropped: the parser never throws.
 */
import { isSettledState, type NotificationEvent } from '../core/notification-bus';

/** Longer messages are dropped before parsing: a real one is well under 1 KB. */
export const MAX_NOTIFICATION_MESSAGE_LENGTH = 1024;
const MAX_CHALLENGE_ID_LENGTH = 256;
const VERSION = 1;

/** One notification as it travels between instances. */
export interface NotificationMessage {
  challengeId: string;
  event: NotificationEvent;
}

/** The channel message for one notification. */
export function encodeNotification(challengeId: string, event: NotificationEvent): string {
  return JSON.stringify(
    event.type === 'settled'
      ? { v: VERSION, id: challengeId, type: event.type, state: event.state }
      : { v: VERSION, id: challengeId, type: event.type },
  );
}

/** The notification in a channel message, or `undefined` when the message is not one. */
export function decodeNotification(raw: string): NotificationMessage | undefined {
  if (raw.length > MAX_NOTIFICATION_MESSAGE_LENGTH) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { v, id, type, state } = value as Record<string, unknown>;
  if (v !== VERSION) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_CHALLENGE_ID_LENGTH) return undefined;
  if (type === 'check') return { challengeId: id, event: { type } };
  if (type === 'settled' && isSettledState(state)) return { challengeId: id, event: { type, state } };
  return undefined;
}

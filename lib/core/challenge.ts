/**
 * The pending-challenge record kept in the session, and the pure decisions made on it. No I/O:
 * everything here takes `now` and returns what to do, so the state machine is tested on its own.
 */
import * as crypto from 'node:crypto';
import type { ChallengeHandle, ChallengeStatus, ProviderMessage, TerminalState } from '../providers/provider';

/** Bumped whenever the record's shape changes; a record of another version is refused, not misread. */
export const RECORD_VERSION = 2;

/** Longest string value a handle may hold (Keycloak's CIBA `auth_req_id` is ~930 characters). */
export const MAX_HANDLE_VALUE_LENGTH = 4096;
/** Most characters a handle may hold in its keys and values together: the record lives in the session. */
export const MAX_HANDLE_LENGTH = 8192;

/** The challenge record kept in the session: small values only, never a display image. */
export interface ChallengeRecord {
  v: typeof RECORD_VERSION;
  /** Random id of this challenge: the key for single use and shared provider calls. */
  id: string;
  /** Which session started it (a hash of the session id); a record copied elsewhere is refused. */
  sid: string;
  provider: string;
  handle: ChallengeHandle;
  /** The user ID the browser asked for; absent when the provider allows none and none was typed. */
  userId?: string;
  /**
   * Instead of `userId` when the provider's IDs are personal data: the ID sealed under the app's
   * secret (AES-256-GCM, bound to this challenge), so the session never holds the number in clear.
   */
  sealedUserId?: string;
  /** Local deadline: the challenge dies here whatever the provider says. */
  expiresAt: number;
  /** No provider call before this time; polls before it are answered locally. */
  nextCheckAt: number;
  /** Current minimum time between provider calls (widened by slow_down / Retry-After). */
  intervalMs: number;
  /** Whether the phone has opened the request (shown as "opened on your phone"). */
  fetched: boolean;
  /** The provider's latest message for the user (a key and a short text, never an image). */
  message?: ProviderMessage;
  /** The hash of the challenge's notification key, to clear it from the index when it ends. */
  nk?: string;
  /** An action's challenge: the intent hash its approval must prove (absent for a login). */
  act?: string;
  /** An action's challenge: the subject the provider must confirm, when it is not the user ID. */
  as?: string;
  /** A step-up's challenge: the `acr` the provider must confirm (`''` for any). */
  up?: string;
  /** A step-up's challenge: how old the authentication may be, in seconds. */
  um?: number;
}

/** A fresh, random challenge id. */
export function newChallengeId(): string {
  return crypto.randomBytes(12).toString('base64url');
}

/** Short, one-way: binds a record to its session without storing the session id twice. */
export function sessionFingerprint(sessionId: string): string {
  return sha256(sessionId).slice(0, 16);
}

// crypto.hash (Node ≥ 20.12) is a one-shot without a Hash object: this runs on every poll.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string })
  .hash;
const sha256 = oneShot
  ? (data: string) => oneShot('sha256', data, 'base64url')
  : (data: string) => crypto.createHash('sha256').update(data).digest('base64url');

export type RecordReading =
  | { kind: 'none' }
  | { kind: 'record'; record: ChallengeRecord }
  /** Something is stored under the key, but it is not a record this release wrote. */
  | { kind: 'unreadable'; reason: string };

/** Reads whatever is stored under the session key, trusting nothing about its shape. */
export function readRecord(value: unknown, sessionId: string, providerName: string): RecordReading {
  if (value === undefined || value === null) return { kind: 'none' };
  if (typeof value !== 'object' || Array.isArray(value)) return unreadable('not an object');
  const r = value as Record<string, unknown>;
  if (r.v !== RECORD_VERSION) return unreadable(`version ${String(r.v)} is not ${RECORD_VERSION}`);
  const wellFormed =
    isShortString(r.id) &&
    isShortString(r.sid) &&
    isShortString(r.provider) &&
    (r.userId === undefined || isShortString(r.userId)) &&
    (r.sealedUserId === undefined || isShortString(r.sealedUserId)) &&
    (r.message === undefined || isMessage(r.message)) &&
    (r.nk === undefined || isShortString(r.nk)) &&
    (r.act === undefined || isShortString(r.act)) &&
    (r.as === undefined || isShortString(r.as)) &&
    (r.up === undefined || (typeof r.up === 'string' && r.up.length <= 1024)) &&
    (r.um === undefined || isTime(r.um)) &&
    isHandle(r.handle) &&
    isTime(r.expiresAt) &&
    isTime(r.nextCheckAt) &&
    isTime(r.intervalMs) &&
    typeof r.fetched === 'boolean';
  if (!wellFormed) return unreadable('malformed');
  if (r.sid !== sessionFingerprint(sessionId)) return unreadable('started in another session');
  if (r.provider !== providerName) return unreadable(`started with provider ${String(r.provider)}`);
  return { kind: 'record', record: r as unknown as ChallengeRecord };
}

function unreadable(reason: string): RecordReading {
  return { kind: 'unreadable', reason };
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 512;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isMessage(value: unknown): value is ProviderMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { key, text } = value as Record<string, unknown>;
  return isShortString(key) && typeof text === 'string' && text.length <= 512;
}

/**
 * Whether `value` is a handle the session may hold: flat, small values, bounded as a whole. Every
 * poll reads one, so the size is counted in characters rather than by serialising it.
 */
export function isHandle(value: unknown): value is ChallengeHandle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let length = 0;
  // Keys, not entries: no array per field on every poll.
  for (const key of Object.keys(value)) {
    const fieldLength = handleValueLength((value as Record<string, unknown>)[key]);
    if (fieldLength < 0) return false;
    length += key.length + fieldLength;
  }
  return length <= MAX_HANDLE_LENGTH;
}

/** The characters a handle value counts for, or -1 when it is no handle value. */
function handleValueLength(value: unknown): number {
  if (typeof value === 'string') return value.length <= MAX_HANDLE_VALUE_LENGTH ? value.length : -1;
  if (typeof value === 'number') return Number.isFinite(value) ? 8 : -1;
  return value === null || typeof value === 'boolean' ? 5 : -1;
}

/** What a poll should do with a readable record at `now`. */
export type PollDecision = 'expired' | 'wait' | 'check';

/** Expired past the deadline, wait before `nextCheckAt` (the later of the record's and memory's), else check. */
export function decidePoll(
  record: ChallengeRecord,
  now: number,
  nextCheckAt = record.nextCheckAt,
): PollDecision {
  if (now >= record.expiresAt) return 'expired';
  if (now < nextCheckAt) return 'wait';
  return 'check';
}

/** What a provider's answer means for the record. */
export type StatusOutcome =
  | { kind: 'pending'; record: ChallengeRecord }
  | { kind: 'approved'; subject: string }
  | { kind: 'terminal'; state: TerminalState; reason?: string; message?: ProviderMessage };

/** Applies one status to the record; fails closed on anything that is not a well-formed answer. */
export function applyStatus(record: ChallengeRecord, status: ChallengeStatus, now: number): StatusOutcome {
  switch (status.state) {
    case 'pending':
    case 'fetched': {
      const retryAfterMs = Number.isFinite(status.retryAfterMs) ? (status.retryAfterMs ?? 0) : 0;
      const intervalMs = Math.max(record.intervalMs, retryAfterMs);
      const fetched = record.fetched || status.state === 'fetched';
      const message = status.message && isMessage(status.message) ? status.message : record.message;
      return {
        kind: 'pending',
        record: {
          ...record,
          intervalMs,
          fetched,
          nextCheckAt: now + intervalMs,
          ...(message ? { message } : {}),
        },
      };
    }
    case 'approved':
      // Fail closed: an approval that names nobody is no approval.
      if (typeof status.subject !== 'string' || status.subject.length === 0) {
        return { kind: 'terminal', state: 'invalid', reason: 'no_subject' };
      }
      return { kind: 'approved', subject: status.subject };
    case 'denied':
    case 'expired':
    case 'cancelled':
    case 'suspended':
    case 'invalid':
      return {
        kind: 'terminal',
        state: status.state,
        ...(typeof status.reason === 'string' ? { reason: status.reason } : {}),
        ...(status.message && isMessage(status.message) ? { message: status.message } : {}),
      };
    default:
      return { kind: 'terminal', state: 'invalid', reason: 'unknown_state' };
  }
}

/** Milliseconds until the next useful poll, for `Retry-After`. */
export function retryAfterMs(record: ChallengeRecord, now: number, nextCheckAt = record.nextCheckAt): number {
  return Math.max(0, Math.min(nextCheckAt, record.expiresAt) - now);
}

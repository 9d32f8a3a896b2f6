/**
 * The CIBA poll: the handle kept in the session (`auth_req_id` and the interval), and the one rule
 * for how often to ask. The OP's `interval` (5 s when absent) is clamped to 1–600 s; after
 * `slow_down` the interval grows by 5 s "for this and all later requests" (CIBA §7.3). The handle
 * lives in the session and `check()` cannot rewrite it, so the strategy learns the new interval
 * from `retryAfterMs`, and an in-process memory repeats it on every later `pending` answer.
 */
import type { ChallengeHandle, PendingStatus } from '../provider';

export interface CibaHandle {
  authReqId: string;
  /** Seconds between token requests. */
  interval: number;
}

/**
 * Keycloak's `auth_req_id` is an encrypted token of about 930 characters; other OPs send short
 * opaque ids. 4 KiB admits both while still bounding what the session stores.
 */
export const MAX_AUTH_REQ_ID_LENGTH = 4096;
/** An opaque printable token (RFC 6749 VSCHAR without spaces). */
const AUTH_REQ_ID_PATTERN = /^[\x21-\x7e]+$/;
export const DEFAULT_INTERVAL_SECONDS = 5;
export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 600;
/** The interval after `slow_down`: at least 5 s more, for this and every later token request. */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** True for an `auth_req_id` this library can keep. */
export function isUsableAuthReqId(value: string): boolean {
  return value.length > 0 && value.length <= MAX_AUTH_REQ_ID_LENGTH && AUTH_REQ_ID_PATTERN.test(value);
}

/** The handle as stored in the session. */
export function toHandle(handle: CibaHandle): ChallengeHandle {
  return { authReqId: handle.authReqId, interval: handle.interval };
}

/** The handle as stored, or undefined when it is not one of ours (fail closed). */
export function readHandle(handle: ChallengeHandle): CibaHandle | undefined {
  const { authReqId, interval } = handle;
  if (typeof authReqId !== 'string' || !isUsableAuthReqId(authReqId)) return undefined;
  if (
    typeof interval !== 'number' ||
    !Number.isInteger(interval) ||
    interval < MIN_INTERVAL_SECONDS ||
    interval > MAX_INTERVAL_SECONDS
  ) {
    return undefined;
  }
  return { authReqId, interval };
}

/**
 * The OP's `interval` in whole seconds: absent or unusable → 5 (the spec's default); out of range
 * → clamped, so an OP asking for 15 minutes gets 10, not 5.
 */
export function pollInterval(interval: unknown): number {
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    return DEFAULT_INTERVAL_SECONDS;
  }
  return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, Math.ceil(interval)));
}

const MAX_ENTRIES = 10_000;
const KEEP_MS = 15 * 60 * 1000;

/** The widened intervals of this process, by `auth_req_id`, bounded in size and age. */
export class WidenedIntervals {
  readonly #seconds = new Map<string, { seconds: number; until: number }>();

  get(authReqId: string, now: number = Date.now()): number | undefined {
    const entry = this.#seconds.get(authReqId);
    if (entry && entry.until <= now) this.#seconds.delete(authReqId);
    return entry && entry.until > now ? entry.seconds : undefined;
  }

  set(authReqId: string, seconds: number, now: number = Date.now()): void {
    this.#seconds.delete(authReqId);
    // Oldest first in insertion order: drop from the front when full.
    while (this.#seconds.size >= MAX_ENTRIES) {
      const oldest = this.#seconds.keys().next().value;
      if (oldest === undefined) break;
      this.#seconds.delete(oldest);
    }
    this.#seconds.set(authReqId, { seconds, until: now + KEEP_MS });
  }

  forget(authReqId: string): void {
    this.#seconds.delete(authReqId);
  }

  /**
   * The pending status for `authorization_pending` or `slow_down`. `stored` is the handle's
   * interval; a `Retry-After` header, when longer, wins.
   */
  pending(
    handle: CibaHandle,
    code: 'authorization_pending' | 'slow_down',
    retryAfterHeaderMs: number | undefined,
  ): PendingStatus {
    const widened = this.get(handle.authReqId);
    const current = Math.max(handle.interval, widened ?? 0);
    const later = (ms: number | undefined): Pick<PendingStatus, 'retryAfterMs'> =>
      ms === undefined ? {} : { retryAfterMs: Math.max(ms, retryAfterHeaderMs ?? 0) };
    if (code === 'slow_down') {
      const seconds = Math.min(MAX_INTERVAL_SECONDS, current + SLOW_DOWN_STEP_SECONDS);
      this.set(handle.authReqId, seconds);
      return { state: 'pending', ...later(seconds * 1000) };
    }
    return { state: 'pending', ...later(widened !== undefined ? current * 1000 : retryAfterHeaderMs) };
  }
}

/**
 * The CIBA handle kept in the session: the `auth_req_id` and the poll interval in seconds. Small and
 * JSON; the `auth_req_id` alone is useless without the client's credentials.
 */
import type { ChallengeHandle } from '../provider';

export interface CibaHandle {
  authReqId: string;
  /** Seconds between token requests (the OP's `interval`, default 5). */
  interval: number;
}

/** Longer ids would bloat the session record; no OP needs them. */
export const MAX_AUTH_REQ_ID_LENGTH = 512;
export const DEFAULT_INTERVAL_SECONDS = 5;
const MAX_INTERVAL_SECONDS = 600;

export function toHandle(handle: CibaHandle): ChallengeHandle {
  return { authReqId: handle.authReqId, interval: handle.interval };
}

/** The handle as stored, or undefined when it is not one of ours (fail closed). */
export function readHandle(handle: ChallengeHandle): CibaHandle | undefined {
  const { authReqId, interval } = handle;
  if (typeof authReqId !== 'string' || authReqId.length === 0 || authReqId.length > MAX_AUTH_REQ_ID_LENGTH) {
    return undefined;
  }
  if (!isInterval(interval)) return undefined;
  return { authReqId, interval };
}

/** The OP's `interval`, if usable; CIBA says to use 5 s when it is absent. */
export function pollInterval(interval: unknown): number {
  return isInterval(interval) ? Math.ceil(interval) : DEFAULT_INTERVAL_SECONDS;
}

function isInterval(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_INTERVAL_SECONDS;
}

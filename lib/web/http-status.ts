/** The one table from the core's outcomes and errors to HTTP status codes. */
import type { FailureState } from '../core/outcome';
import type { PushError, PushErrorCode, PushErrorKind } from '../errors';

const byKind: Record<PushErrorKind, number> = {
  config: 500,
  input: 400,
  provider: 502,
  protocol: 502,
  state: 401,
  limit: 429,
};

const byCode: Partial<Record<PushErrorCode, number>> = {
  body_too_large: 413,
  unsupported_encoding: 415,
  cross_origin: 403,
  rate_limited: 429,
  no_challenge: 404,
  // The user typed an ID the provider cannot push to: the request, not the server, is at fault.
  unknown_user: 400,
  no_device: 400,
  user_locked: 403,
  maintenance: 503,
};

/** A `PushError`'s status: retryable faults are 503 (try again), limits 429, the rest by code or kind. */
export function errorStatus(error: PushError): number {
  if (error.kind === 'limit') return 429;
  if (error.retryable) return 503;
  return (error.code && byCode[error.code]) || byKind[error.kind];
}

/** A login that ended without a user: 404 when there was none, 400 for an unusable request, else 401. */
export function failureStatus(state: FailureState): number {
  if (state === 'none') return 404;
  if (state === 'bad_request') return 400;
  return 401;
}

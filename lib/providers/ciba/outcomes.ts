/**
 * What each OP answer means for the login. The backchannel authentication request either starts a
 * challenge or fails with a `PushError`; a token request gives exactly one `ChallengeStatus`, and
 * only a well-formed token response with a valid ID token is approval.
 */
import { PushError } from '../../errors';
import type { ChallengeStatus } from '../provider';
import { describe, httpFailure, type Failure } from './failure';

/** Start errors: the message says what to fix; `code` is the OAuth error code. */
const START_ERRORS: Readonly<Record<string, { message: string; status?: number; retryable?: boolean }>> = {
  unknown_user_id: { message: 'The OpenID provider does not know this user.', status: 400 },
  missing_user_code: { message: 'The OpenID provider requires a user code for this user.', status: 400 },
  invalid_user_code: { message: 'The OpenID provider refused the user code.', status: 400 },
  expired_login_hint_token: { message: 'The login hint token has expired.', status: 400 },
  invalid_binding_message: {
    message:
      'The OpenID provider refused the binding message; keep it short and use plain letters and digits.',
  },
  invalid_client: {
    message:
      'The OpenID provider refused the client credentials; check clientId and the client secret or key.',
  },
  unauthorized_client: {
    message: 'This client is not allowed to use CIBA (poll mode) at the OpenID provider.',
  },
  access_denied: { message: 'The OpenID provider refused the sign-in request.', status: 403 },
  invalid_scope: { message: 'The OpenID provider refused the requested scope.' },
  invalid_request: { message: 'The OpenID provider rejected the sign-in request as malformed.' },
  temporarily_unavailable: { message: 'The OpenID provider is temporarily unavailable.', retryable: true },
  slow_down: { message: 'The OpenID provider asks to slow down.', retryable: true },
};

export function startFailure(failure: Failure): PushError {
  switch (failure.type) {
    case 'transport':
      return failure.error;
    case 'http':
      return httpFailure(failure.status, 'its backchannel authentication endpoint', failure.retryAfterMs);
    case 'malformed':
      return new PushError(
        'protocol',
        `The OpenID provider's backchannel authentication response is not well-formed (${failure.reason}).`,
        { code: 'invalid_response', ...(failure.code ? { details: { reason: failure.code } } : {}) },
      );
    case 'oauth': {
      const known = START_ERRORS[failure.code];
      const message = known?.message ?? `The OpenID provider refused the sign-in request.`;
      return new PushError('provider', `${message} (${failure.code})`, {
        code: failure.code,
        retryable: known?.retryable ?? false,
        ...(known?.status === undefined ? {} : { status: known.status }),
        ...(failure.retryAfterMs === undefined
          ? {}
          : { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
        details: { error: failure.code, httpStatus: failure.status, ...describe(failure.description) },
      });
    }
  }
}

/** The interval after `slow_down`: at least 5 s more, for this and every later token request. */
export const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * A token error answer as a status. `intervalSeconds` is the current interval (widened already, if
 * it was); `onSlowDown` records the new one.
 */
export function tokenFailure(
  failure: Failure,
  intervalSeconds: number,
  widened: boolean,
  onSlowDown: (seconds: number) => void,
): ChallengeStatus {
  switch (failure.type) {
    case 'transport':
      throw failure.error;
    case 'http':
      throw httpFailure(failure.status, 'its token endpoint', failure.retryAfterMs);
    case 'malformed':
      // Tokens may have been issued and consumed: never a retry, never an approval.
      throw new PushError(
        'protocol',
        `The OpenID provider's token response was not accepted (${failure.reason}).`,
        {
          code: 'invalid_response',
          ...(failure.code ? { details: { reason: failure.code } } : {}),
        },
      );
    case 'oauth':
      return tokenError(failure, intervalSeconds, widened, onSlowDown);
  }
}

function tokenError(
  failure: Extract<Failure, { type: 'oauth' }>,
  intervalSeconds: number,
  widened: boolean,
  onSlowDown: (seconds: number) => void,
): ChallengeStatus {
  const later = (ms: number | undefined): Pick<ChallengeStatus, 'retryAfterMs'> =>
    ms === undefined ? {} : { retryAfterMs: Math.max(ms, failure.retryAfterMs ?? 0) };
  switch (failure.code) {
    case 'authorization_pending':
      return { state: 'pending', ...later(widened ? intervalSeconds * 1000 : failure.retryAfterMs) };
    case 'slow_down': {
      const seconds = intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      onSlowDown(seconds);
      return { state: 'pending', ...later(seconds * 1000) };
    }
    case 'access_denied':
      return { state: 'denied', detail: 'The sign-in was declined.' };
    case 'expired_token':
      return { state: 'expired', detail: 'The sign-in request expired before it was approved.' };
    case 'invalid_grant':
      return {
        state: 'invalid',
        detail: 'The sign-in request is no longer valid (already used or unknown).',
      };
    case 'temporarily_unavailable':
      throw new PushError(
        'provider',
        'The OpenID provider is temporarily unavailable (temporarily_unavailable).',
        {
          code: failure.code,
          retryable: true,
          ...(failure.retryAfterMs === undefined
            ? {}
            : { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
        },
      );
    case 'invalid_client':
      throw new PushError(
        'provider',
        'The OpenID provider refused the client credentials at its token endpoint; check clientId and the client secret or key. (invalid_client)',
        { code: failure.code, details: { error: failure.code, httpStatus: failure.status } },
      );
    default:
      throw new PushError('provider', `The OpenID provider refused the token request (${failure.code}).`, {
        code: failure.code,
        details: { error: failure.code, httpStatus: failure.status, ...describe(failure.description) },
      });
  }
}

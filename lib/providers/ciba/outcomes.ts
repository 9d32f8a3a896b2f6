/**
 * What each OP answer means, in one place: an openid-client failure is sorted into a transport
 * fault, an OAuth error answer, another HTTP status, or an answer that is not well-formed; then the
 * backchannel authentication request either starts a challenge or fails with a `PushError`, and a
 * token error answer becomes exactly one `ChallengeStatus` or `PushError`. Only a well-formed token
 * response with a valid ID token is approval (see provider.ts).
 */
import { PushError, retryableHttpStatus, type PushErrorCode, type PushErrorKind } from '../../errors';
import type { ProviderMessage, TerminalStatus } from '../provider';
import type { CallContext, OpenIdClientModule } from './openid';
import { tokenConfigurationFault, type TokenBinding } from './token-errors';
import { messageOf } from '../texts';
import { cibaTexts } from './texts';

export type Failure =
  | { type: 'transport'; error: PushError }
  | { type: 'oauth'; code: string; description: string | undefined; status: number; retryAfterMs?: number }
  | { type: 'http'; status: number; retryAfterMs?: number }
  | { type: 'malformed'; reason: string; code: string | undefined };

/** Sorts what an openid-client call threw. */
export function classify(client: OpenIdClientModule, error: unknown, context: CallContext): Failure {
  const transport = context.transportError ?? findPushError(error);
  if (transport) return { type: 'transport', error: transport };
  const retryAfter = retryAfterMs(context.response?.headers);
  if (error instanceof client.ResponseBodyError) {
    return {
      type: 'oauth',
      code: error.error,
      description: error.error_description,
      status: error.status,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    // 401 with `WWW-Authenticate: Basic error="invalid_client"` (client_secret_basic failures).
    const challenge = error.cause.find((c) => typeof c.parameters.error === 'string');
    return {
      type: 'oauth',
      code: challenge?.parameters.error ?? 'invalid_client',
      description: challenge?.parameters.error_description,
      status: error.status,
    };
  }
  const status = context.response?.status;
  if (status !== undefined && status !== 200) {
    return { type: 'http', status, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  }
  const reason = error instanceof Error ? error.message : 'unexpected failure';
  const code = error instanceof client.ClientError ? error.code : undefined;
  return { type: 'malformed', reason, code };
}

/** openid-client wraps errors thrown by the fetch; find ours in the cause chain. */
function findPushError(error: unknown): PushError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof PushError) return current;
    current = current.cause;
  }
  return undefined;
}

/** A hostile or broken Retry-After must not park a login for hours. */
const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/** An HTTP `Retry-After` header (delta seconds or an HTTP date) as milliseconds from now. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (!Number.isFinite(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** An unexpected HTTP status: `http_status`, retryable by the one rule (5xx, 429). */
export function httpFailure(status: number, where: string, retryAfter: number | undefined): PushError {
  return new PushError('protocol', `The OpenID provider answered HTTP ${status} at ${where}.`, {
    code: 'http_status',
    retryable: retryableHttpStatus(status),
    details: { status },
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: Math.ceil(retryAfter / 1000) }),
  });
}

/** OAuth errors with a meaning of their own; the OAuth code travels in `details.providerCode`. */
interface KnownError {
  kind: PushErrorKind;
  code: PushErrorCode;
  message: string;
  retryable?: boolean;
}

const UNKNOWN_USER: KnownError = {
  kind: 'input',
  code: 'unknown_user',
  message: 'The OpenID provider does not know this user.',
};

/** Start errors: the message says what to fix. */
const START_ERRORS: Readonly<Record<string, KnownError>> = {
  unknown_user_id: UNKNOWN_USER,
  missing_user_code: {
    kind: 'input',
    code: 'provider_error',
    message: 'The OpenID provider requires a user code for this user.',
  },
  invalid_user_code: {
    kind: 'input',
    code: 'provider_error',
    message: 'The OpenID provider refused the user code.',
  },
  expired_login_hint_token: {
    kind: 'provider',
    code: 'provider_error',
    message: 'The login hint token has expired.',
  },
  invalid_binding_message: {
    kind: 'provider',
    code: 'provider_error',
    message:
      'The OpenID provider refused the binding message; keep it short and use plain letters and digits.',
  },
  invalid_client: {
    kind: 'provider',
    code: 'unauthorized',
    message:
      'The OpenID provider refused the client credentials; check clientId and the client secret or key.',
  },
  invalid_request_object: {
    kind: 'provider',
    code: 'unauthorized',
    message:
      'The OpenID provider refused the signed request object; check requestObject (algorithm, and that its key is registered for the client).',
  },
  unauthorized_client: {
    kind: 'provider',
    code: 'unauthorized',
    message: 'This client is not allowed to use CIBA (poll mode) at the OpenID provider.',
  },
  access_denied: {
    kind: 'provider',
    code: 'provider_error',
    message: 'The OpenID provider refused the sign-in request.',
  },
  invalid_scope: {
    kind: 'provider',
    code: 'provider_error',
    message: 'The OpenID provider refused the requested scope.',
  },
  invalid_request: {
    kind: 'provider',
    code: 'provider_error',
    message: 'The OpenID provider rejected the sign-in request as malformed.',
  },
  temporarily_unavailable: {
    kind: 'provider',
    code: 'maintenance',
    message: 'The OpenID provider is temporarily unavailable.',
    retryable: true,
  },
  slow_down: {
    kind: 'provider',
    code: 'rate_limited',
    message: 'The OpenID provider asks to slow down.',
    retryable: true,
  },
};

/**
 * Keycloak answers an unknown login hint with `invalid_request` and the description "invalid
 * user" instead of the spec's `unknown_user_id`. Only that description turns `invalid_request`
 * into `unknown_user`; every other `invalid_request` stays what it is.
 */
const UNKNOWN_USER_DESCRIPTIONS = /^\s*(?:invalid user|user not found|unknown user)\b/i;

/**
 * CIBA has no `invalid_request_object`: OPs (oidc-provider among them) answer `invalid_request`
 * and name the request object in the description, either missing or not valid.
 */
const REQUEST_OBJECT_REQUIRED = /request object must be used|request object.*required/i;
const REQUEST_OBJECT_PROBLEM = /request object|signed request/i;

const REQUEST_OBJECT_MISSING: KnownError = {
  kind: 'provider',
  code: 'unauthorized',
  message: 'The OpenID provider requires signed requests from this client; set requestObject (or fapi).',
};

function startErrorFor(failure: Extract<Failure, { type: 'oauth' }>): KnownError | undefined {
  if (failure.code === 'invalid_request' && UNKNOWN_USER_DESCRIPTIONS.test(failure.description ?? '')) {
    return UNKNOWN_USER;
  }
  if (failure.code === 'invalid_request' && REQUEST_OBJECT_PROBLEM.test(failure.description ?? '')) {
    return REQUEST_OBJECT_REQUIRED.test(failure.description ?? '')
      ? REQUEST_OBJECT_MISSING
      : START_ERRORS['invalid_request_object'];
  }
  return Object.hasOwn(START_ERRORS, failure.code) ? START_ERRORS[failure.code] : undefined;
}

/** A failed backchannel authentication request as a `PushError`. */
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
      const known = startErrorFor(failure);
      const message = known?.message ?? 'The OpenID provider refused the sign-in request.';
      return new PushError(known?.kind ?? 'provider', `${message} (${failure.code})`, {
        code: known?.code ?? 'provider_error',
        retryable: known?.retryable ?? false,
        ...(failure.retryAfterMs === undefined
          ? {}
          : { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
        details: oauthDetails(failure),
      });
    }
  }
}

/** Terminal token answers (`ciba.<error>` catalogue keys). */
const TERMINAL_TOKEN_ERRORS: Readonly<
  Record<string, { state: TerminalStatus['state']; message: ProviderMessage }>
> = {
  access_denied: {
    state: 'denied',
    message: messageOf(cibaTexts, 'ciba.access_denied'),
  },
  expired_token: {
    state: 'expired',
    message: messageOf(cibaTexts, 'ciba.expired_token'),
  },
  // The request is spent or unknown; one naming the client's certificate is token-errors.ts's.
  invalid_grant: {
    state: 'invalid',
    message: messageOf(cibaTexts, 'ciba.invalid_grant'),
  },
};

/**
 * A token error answer that is not `authorization_pending` or `slow_down` (polling.ts owns those):
 * a terminal status, or a `PushError`. `binding` tells which errors are the client's configuration
 * (token-errors.ts).
 */
export function tokenFailure(
  failure: Failure,
  binding: TokenBinding = { certificate: false, opBindsToCertificates: false },
): TerminalStatus {
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
    case 'oauth': {
      const fault = tokenConfigurationFault(failure.code, failure.description, binding);
      if (fault) {
        throw new PushError(fault.kind, fault.message, { code: fault.code, details: oauthDetails(failure) });
      }
      const terminal = Object.hasOwn(TERMINAL_TOKEN_ERRORS, failure.code)
        ? TERMINAL_TOKEN_ERRORS[failure.code]
        : undefined;
      if (terminal) return { state: terminal.state, message: terminal.message };
      if (failure.code === 'temporarily_unavailable') {
        throw new PushError(
          'provider',
          'The OpenID provider is temporarily unavailable (temporarily_unavailable).',
          {
            code: 'maintenance',
            retryable: true,
            details: oauthDetails(failure),
            ...(failure.retryAfterMs === undefined
              ? {}
              : { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
          },
        );
      }
      throw new PushError('provider', `The OpenID provider refused the token request (${failure.code}).`, {
        code: 'provider_error',
        details: oauthDetails(failure),
      });
    }
  }
}

/** The OAuth code as `providerCode`; provider text shortened and kept out of `message`. */
function oauthDetails(failure: Extract<Failure, { type: 'oauth' }>): Record<string, string | number> {
  return {
    providerCode: failure.code.slice(0, 64),
    error: failure.code.slice(0, 64),
    httpStatus: failure.status,
    ...(failure.description ? { description: failure.description.slice(0, 200) } : {}),
  };
}

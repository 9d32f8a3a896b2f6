/**
 * BankID's error answers (HTTP 4xx/5xx with `{errorCode, details}`) as `PushError`s. BankID's code
 * goes in `details.providerCode`; the project's retry rule decides `retryable` (timeouts, 5xx and
 * 429 may be tried again, everything else is terminal).
 */
import { PushError, type PushErrorCode, type PushErrorKind } from '../../errors';

interface KnownError {
  code: PushErrorCode;
  kind: PushErrorKind;
  retryable: boolean;
  message: string;
}

/** The error codes the RP API v6 documentation lists, and what each means for a login. */
export const BANKID_ERROR_CODES: Readonly<Record<string, KnownError>> = {
  alreadyInProgress: {
    code: 'already_in_progress',
    kind: 'provider',
    retryable: false,
    message: 'BankID already has an order for this personal number; BankID cancelled both. Start again.',
  },
  invalidParameters: {
    code: 'provider_error',
    kind: 'provider',
    retryable: false,
    message: 'BankID refused the request parameters (invalidParameters).',
  },
  unauthorized: {
    code: 'unauthorized',
    kind: 'provider',
    retryable: false,
    message:
      'BankID refused this relying party (unauthorized): check the client certificate and its BankID agreement.',
  },
  notFound: {
    code: 'provider_error',
    kind: 'provider',
    retryable: false,
    message: 'BankID does not know this order (notFound).',
  },
  methodNotAllowed: {
    code: 'provider_error',
    kind: 'provider',
    retryable: false,
    message: 'BankID refused the HTTP method (methodNotAllowed).',
  },
  requestTimeout: {
    code: 'timeout',
    kind: 'provider',
    retryable: true,
    message: 'BankID timed out reading the request (requestTimeout).',
  },
  unsupportedMediaType: {
    code: 'provider_error',
    kind: 'provider',
    retryable: false,
    message: 'BankID refused the request format (unsupportedMediaType).',
  },
  internalError: {
    code: 'provider_error',
    kind: 'provider',
    retryable: true,
    message: 'BankID had an internal error (internalError).',
  },
  maintenance: {
    code: 'maintenance',
    kind: 'provider',
    retryable: true,
    message: 'BankID is down for maintenance (maintenance).',
  },
};

const ERROR_CODE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** Transient by the project's rule: 408, 429 and every 5xx. */
function transientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The error for a non-2xx answer. A body that is not BankID's `{errorCode}` JSON (a proxy page)
 * still yields a typed error by status. BankID's free-text `details` is not copied: it may echo input.
 */
export function errorFromAnswer(status: number, body: string): PushError {
  const errorCode = readErrorCode(body);
  const details: Record<string, string | number> = { status };
  if (errorCode !== undefined) details['providerCode'] = errorCode;
  const known =
    errorCode !== undefined && Object.hasOwn(BANKID_ERROR_CODES, errorCode)
      ? BANKID_ERROR_CODES[errorCode]
      : undefined;
  if (known !== undefined) {
    return new PushError(known.kind, known.message, {
      code: known.code,
      retryable: known.retryable,
      details,
    });
  }
  if (status === 429) {
    return new PushError('provider', 'BankID asks to slow down (HTTP 429).', {
      code: 'rate_limited',
      retryable: true,
      details,
    });
  }
  const named = errorCode === undefined ? '' : ` (${errorCode})`;
  return new PushError(
    errorCode === undefined ? 'protocol' : 'provider',
    `BankID answered HTTP ${status}${named}.`,
    {
      code: errorCode === undefined ? 'http_status' : 'provider_error',
      retryable: transientStatus(status),
      details,
    },
  );
}

function readErrorCode(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const code = (parsed as Record<string, unknown>)['errorCode'];
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : undefined;
}

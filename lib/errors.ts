/**
 * The one error type the library throws. `kind` says whose fault it is; `retryable` says whether
 * the same pending challenge may be checked again later.
 *
 * @example
 * ```ts
 * import { isPushError, type PushErrorKind } from 'passport-push';
 *
 * const userFixable: PushErrorKind[] = ['input'];
 * const fixable = (error: unknown) => isPushError(error) && userFixable.includes(error.kind);
 * ```
 */
export type PushErrorKind =
  /**
   * The app configured the library wrongly. Thrown at construction where the mistake is visible
   * there; a wiring mistake only a request reveals (no express-session, a verify callback that
   * returns `true`) is thrown at request time and reaches the app's error handler.
   */
  | 'config'
  /** The end user sent something unusable (an empty or malformed ID, a bad body). */
  | 'input'
  /** The provider answered with an error of its own (unknown user, no credit, …). */
  | 'provider'
  /** The provider's answer was not well-formed, or the transport failed (timeout, reset, 5xx). */
  | 'protocol'
  /** The session holds no usable challenge (none, foreign, expired, already completed). */
  | 'state'
  /** A limit was hit (too many pushes, body too large). */
  | 'limit';

// The transport failures (`RETRYABLE_TRANSPORT_CODES` says why they are worth a retry).
const TRANSPORT_CODES = ['timeout', 'connect', 'reset', 'aborted', 'empty_response'] as const;

/**
 * The codes a provider may put on a `PushError`: its transport's and its answer's. The one list
 * `ProviderErrorCode` is derived from.
 */
export const PROVIDER_ERROR_CODES = [
  ...TRANSPORT_CODES,
  // the provider's answer
  'too_large',
  'http_status',
  'rate_limited',
  'invalid_response',
  'subject_mismatch',
  'transaction_mismatch',
  /** An action's approval proves another intent (another text signed, details changed). */
  'intent_mismatch',
  'unknown_user',
  'no_device',
  'user_locked',
  'maintenance',
  'already_in_progress',
  'unauthorized',
  'not_supported',
  'provider_error',
] as const;

/**
 * Every `PushErrorCode`, once: the one list the type is derived from, for checks at run time
 * (the conformance suite).
 */
export const PUSH_ERROR_CODES = [
  // configuration
  'invalid_option',
  // the end user's request
  'missing_user_id',
  'invalid_user_id',
  'invalid_body',
  'body_too_large',
  'unsupported_encoding',
  'cross_origin',
  /** The app's action intent is malformed (not the browser's: intents are made on the server). */
  'invalid_intent',
  // limits (`rate_limited` is also a provider's answer, listed there)
  'too_many_waiters',
  'display_too_large',
  // transport (retryable) and the provider's answer
  ...PROVIDER_ERROR_CODES,
  // the session's challenge
  'no_challenge',
  'invalid_challenge',
  'superseded',
  /** A cancel that came after the login completed. */
  'already_completed',
  /** A shared store (Redis) failed or did not answer in time: retryable, 503 with `Retry-After`. */
  'store_unavailable',
  /** No unused approval of this intent by this user in this session (never, expired or used). */
  'not_approved',
  // test-only peers
  'missing_peer_dependency',
] as const;

/**
 * The one closed vocabulary of machine-readable error codes, shared by the core, the web layer and
 * every provider. A provider's own code (`1005`, `invalidParameters`) travels in
 * `details.providerCode`, never as the code itself.
 *
 * @example
 * ```ts
 * import { isPushError, type PushErrorCode } from 'passport-push';
 *
 * function codeOf(error: unknown): PushErrorCode | undefined {
 *   return isPushError(error) ? error.code : undefined;
 * }
 * ```
 */
export type PushErrorCode = (typeof PUSH_ERROR_CODES)[number];

/**
 * What a `PushError` carries besides its kind and message: code, retryable, details, cause.
 */
export interface PushErrorOptions {
  /** Whether trying again may succeed (the challenge survives). Default `false`. */
  retryable?: boolean;
  /** A stable, machine-readable code from the closed `PushErrorCode` vocabulary. */
  code?: PushErrorCode;
  /** Seconds before trying again makes sense (limits). */
  retryAfterSeconds?: number;
  /** Extra values a caller may inspect (provider error fields). Never secrets. */
  details?: Readonly<Record<string, string | number | boolean>>;
  /** The underlying error, as `Error.cause`. */
  cause?: unknown;
}

/**
 * A typed, user-presentable error: what went wrong, whose fault, and whether to try again.
 *
 * @example
 * ```ts
 * import { PushError } from 'passport-push';
 *
 * throw new PushError('provider', 'The provider does not know this user.', { code: 'unknown_user' });
 * ```
 */
export class PushError extends Error {
  /** Always `'PushError'` (what `error.name` and stack traces show). */
  override readonly name = 'PushError';
  /** Whose fault and what to do: `config`, `input`, `provider`, `protocol`, `limit`, … (see `PushErrorKind`). */
  readonly kind: PushErrorKind;
  /** Whether trying again may succeed; the strategy bounds its own retries. */
  readonly retryable: boolean;
  /** The stable, machine-readable code (`unknown_user`, `timeout`, …), when there is one. */
  readonly code: PushErrorCode | undefined;
  /** Seconds before trying again makes sense (a limit or the provider's `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;
  /** Extra values a caller may inspect (provider error fields); never secrets. */
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(kind: PushErrorKind, message: string, options: PushErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details ?? {};
  }
}

/**
 * Whether `value` is a `PushError`.
 *
 * @example
 * ```ts
 * import type { ErrorRequestHandler } from 'express';
 * import { isPushError } from 'passport-push';
 *
 * const onError: ErrorRequestHandler = (error, req, res, next) => {
 *   if (isPushError(error) && error.kind === 'config') console.error(error.message);
 *   next(error);
 * };
 * app.use(onError);
 * ```
 */
export function isPushError(value: unknown): value is PushError {
  return value instanceof PushError;
}

/** Whether `value` is one of the library's error codes. */
export function isPushErrorCode(value: unknown): value is PushErrorCode {
  return (PUSH_ERROR_CODES as readonly unknown[]).includes(value);
}

/**
 * The transport failures worth a retry: the provider may answer next time. An answer cut short
 * (`reset`) or a success status with an empty body (`empty_response`) said nothing final either.
 */
export const RETRYABLE_TRANSPORT_CODES: readonly PushErrorCode[] = TRANSPORT_CODES;

/**
 * The library's one retry rule for a provider's HTTP answer: 5xx and 429 are transient (the same
 * pending challenge may be checked again), every other status is final.
 */
export function retryableHttpStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * The retry rule for an error code: transport failures are retryable, the rest are not by themselves.
 */
export function retryableCode(code: PushErrorCode | undefined): boolean {
  return code !== undefined && RETRYABLE_TRANSPORT_CODES.includes(code);
}

/**
 * The retry rule for an answer with a success status and nothing in its body (no bytes, or only
 * whitespace): it says nothing final, so it is a transport fault like a reset (`empty_response`,
 * retryable) and the challenge is kept for the next check, never ended as a malformed answer.
 */
export function emptyResponseError(who: string, status: number): PushError {
  return new PushError('protocol', `${who} answered HTTP ${status} with an empty body.`, {
    code: 'empty_response',
    retryable: retryableCode('empty_response'),
    details: { status },
  });
}

/**
 * Whether a success answer's body is empty in the sense of `emptyResponseError`: no bytes, or only
 * whitespace. 204 and 205 are empty by definition and not meant here.
 */
export function isEmptyAnswer(status: number, body: string | Buffer): boolean {
  if (status < 200 || status > 299 || status === 204 || status === 205) return false;
  return body.toString().trim() === '';
}

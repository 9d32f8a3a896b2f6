/**
 * The one error type the library throws. `kind` says whose fault it is; `retryable` says whether
 * the same pending challenge may be checked again later.
 */
export type PushErrorKind =
  /** The app configured the library wrongly (thrown at construction, never at request time). */
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

/**
 * The one closed vocabulary of machine-readable error codes, shared by the core, the web layer and
 * every provider. A provider's own code (`1005`, `invalidParameters`) travels in
 * `details.providerCode`, never as the code itself.
 */
export type PushErrorCode =
  // configuration
  | 'invalid_option'
  // the end user's request
  | 'missing_user_id'
  | 'invalid_user_id'
  | 'invalid_body'
  | 'body_too_large'
  | 'unsupported_encoding'
  | 'cross_origin'
  // limits
  | 'rate_limited'
  // transport (retryable)
  | 'timeout'
  | 'connect'
  | 'reset'
  | 'aborted'
  // the provider's answer
  | 'too_large'
  | 'http_status'
  | 'invalid_response'
  | 'subject_mismatch'
  | 'transaction_mismatch'
  | 'unknown_user'
  | 'no_device'
  | 'user_locked'
  | 'maintenance'
  | 'already_in_progress'
  | 'unauthorized'
  | 'not_supported'
  | 'provider_error'
  // the session's challenge
  | 'no_challenge'
  | 'invalid_challenge'
  | 'superseded';

export interface PushErrorOptions {
  retryable?: boolean;
  /** A stable, machine-readable code from the closed `PushErrorCode` vocabulary. */
  code?: PushErrorCode;
  /** Seconds before trying again makes sense (limits). */
  retryAfterSeconds?: number;
  /** Extra values a caller may inspect (provider error fields). Never secrets. */
  details?: Readonly<Record<string, string | number | boolean>>;
  cause?: unknown;
}

const defaultStatus: Record<PushErrorKind, number> = {
  config: 500,
  input: 400,
  provider: 502,
  protocol: 502,
  state: 401,
  limit: 429,
};

export class PushError extends Error {
  override readonly name = 'PushError';
  readonly kind: PushErrorKind;
  readonly retryable: boolean;
  readonly code: string | undefined;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(kind: PushErrorKind, message: string, options: PushErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.code = options.code;
    this.status = options.status ?? defaultStatus[kind];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details ?? {};
  }
}

export function isPushError(value: unknown): value is PushError {
  return value instanceof PushError;
}

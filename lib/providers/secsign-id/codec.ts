/**
 * The SecSign ID classic wire format. Requests are form-encoded exactly as the reference PHP client's
 * `http_build_query` writes them; answers are raw `key=value&…` pairs that no reference client
 * URL-decodes (the server sends base64 with its `+`, `/` and `=` unescaped).
 */
import { PushError, retryableHttpStatus, type PushErrorCode } from '../../errors';

export type SecSignRequestType =
  'ReqRequestAuthSession' | 'ReqGetAuthSessionState' | 'ReqCancelAuthSession' | 'ReqReleaseAuthSession';

export interface AuthSessionRequestParams {
  apiMethod: string;
  secsignid: string;
  serviceName: string;
  serviceAddress: string;
  pluginName?: string;
  /** Sent only when set: the parameter is optional and older servers may not know it. */
  showAccessPass?: boolean;
}

/** The three values that identify a session at the server; `requestid` is the capability. */
export interface SessionRef {
  secsignid: string;
  authsessionid: string;
  requestid: string;
}

/** Parsed answer fields, in the order the server sent them. */
export type ResponseFields = ReadonlyMap<string, string>;

/** Field formats. None of them admits `%` or a space, so a raw value never needed decoding. */
export const SECSIGN_ID_PATTERN = /^[\w@.-]{1,255}$/;
export const AUTH_SESSION_ID_PATTERN = /^-?(?:0|[1-9]\d{0,18})$/;
/** Observed as 64 uppercase hex digits; accepted more loosely so a longer id does not break logins. */
export const REQUEST_ID_PATTERN = /^[0-9A-Za-z]{8,256}$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** PHP `urlencode` (RFC 1738): only `A-Z a-z 0-9 - _ .` stay literal and a space becomes `+`. */
export function phpUrlEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (error) {
    // Only lone UTF-16 surrogates get here; callers validate text before encoding.
    throw new PushError('input', 'A request value is not valid Unicode text.', { cause: error });
  }
  return encoded
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function encodePairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([key, value]) => `${key}=${phpUrlEncode(value)}`).join('&');
}

/** `apimethod, request, secsignid, servicename, serviceaddress[, pluginname][, showaccesspass]` (PHP order). */
export function encodeRequestAuthSession(params: AuthSessionRequestParams): string {
  const pairs: [string, string][] = [
    ['apimethod', params.apiMethod],
    ['request', 'ReqRequestAuthSession'],
    ['secsignid', params.secsignid],
    ['servicename', params.serviceName],
    ['serviceaddress', params.serviceAddress],
  ];
  if (params.pluginName !== undefined) pairs.push(['pluginname', params.pluginName]);
  // The JS API's spelling; PHP would send 1/0 but no caller of that path exists.
  if (params.showAccessPass !== undefined) pairs.push(['showaccesspass', String(params.showAccessPass)]);
  return encodePairs(pairs);
}

/** `apimethod, secsignid, authsessionid, requestid, request` (PHP order for state, cancel and release). */
export function encodeSessionRequest(
  request: Exclude<SecSignRequestType, 'ReqRequestAuthSession'>,
  apiMethod: string,
  session: SessionRef,
): string {
  return encodePairs([
    ['apimethod', apiMethod],
    ['secsignid', session.secsignid],
    ['authsessionid', session.authsessionid],
    ['requestid', session.requestid],
    ['request', request],
  ]);
}

/** Every answer that is not what the protocol promises is `invalid_response`, never a guess. */
function invalidResponse(message: string): PushError {
  return new PushError('protocol', message, { code: 'invalid_response' });
}

/**
 * Splits on `&`, then on the first `=`; no URL-decoding. Pairs without `=` (including an empty
 * trailing pair) are dropped as PHP does; keys and values are trimmed as the JS and Node clients do.
 * A repeated key is refused: which copy wins differs between clients, so no copy is trusted.
 */
export function parseResponse(body: string): ResponseFields {
  const fields = new Map<string, string>();
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim();
    if (key === '') continue;
    if (fields.has(key)) {
      const shown = /^\w{1,40}$/.test(key) ? ` "${key}"` : '';
      throw invalidResponse(`The SecSign ID answer repeats the field${shown}.`);
    }
    fields.set(key, pair.slice(eq + 1).trim());
  }
  return fields;
}

/** Server text goes into errors and may reach a page: printable characters only, bounded. */
function clean(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max);
}

/**
 * SecSign `errorcode`s with a code of their own in our vocabulary; both are the user's to fix and
 * never worth a retry. 20006: concurrent login requests froze the ID until the user reactivates it
 * in the app.
 */
const KNOWN_ERROR_CODES: Readonly<Record<string, { code: PushErrorCode; text: string }>> = {
  '20000': { code: 'unknown_user', text: 'This SecSign ID does not exist.' },
  '20006': {
    code: 'user_locked',
    text: 'This SecSign ID is frozen after concurrent login requests; reactivate it by tapping it in the SecSign ID app.',
  },
};

/**
 * `error=…&errormsg=…[&errorcode=…]` becomes a `provider` PushError: `unknown_user` or
 * `user_locked` for the codes above, otherwise `provider_error`; the server's values travel in
 * `details` (`providerCode` is the errorcode, or the error when there is none). The `error` value
 * is an HTTP-like status: 5xx and 429 are retryable unless the errorcode is one of ours.
 */
export function throwIfError(fields: ResponseFields): void {
  const error = fields.get('error');
  if (error === undefined) return;
  const errorCode = fields.get('errorcode');
  const message = clean(fields.get('errormsg') ?? '') || 'no message';
  const status = /^\d{1,4}$/.test(error) ? Number(error) : undefined;
  const known =
    errorCode !== undefined && Object.hasOwn(KNOWN_ERROR_CODES, errorCode)
      ? KNOWN_ERROR_CODES[errorCode]
      : undefined;
  const details: Record<string, string> = { error: clean(error, 20), errormsg: message };
  if (errorCode !== undefined) details['errorcode'] = clean(errorCode, 20);
  const providerCode = details['errorcode'] ?? details['error'] ?? '';
  details['providerCode'] = providerCode;
  if (known !== undefined) {
    // An unknown or frozen ID is the user's to fix, not a provider fault.
    throw new PushError('input', `${known.text} (${providerCode})`, { code: known.code, details });
  }
  throw new PushError('provider', `The SecSign ID server refused the request (${providerCode}): ${message}`, {
    code: 'provider_error',
    retryable: status !== undefined && retryableHttpStatus(status),
    details,
  });
}

/** A field that must be present, non-empty and match `pattern`. */
export function requireField(fields: ResponseFields, key: string, pattern: RegExp): string {
  const value = fields.get(key);
  if (value === undefined || value === '') {
    throw invalidResponse(`The SecSign ID answer lacks the field "${key}".`);
  }
  if (!pattern.test(value)) {
    throw invalidResponse(`The SecSign ID answer has a malformed "${key}".`);
  }
  return value;
}

/** A field that may be absent or empty, but when given must match `pattern`. */
export function optionalField(fields: ResponseFields, key: string, pattern: RegExp): string | undefined {
  const value = fields.get(key);
  if (value === undefined || value === '') return undefined;
  if (!pattern.test(value)) {
    throw invalidResponse(`The SecSign ID answer has a malformed "${key}".`);
  }
  return value;
}

/** A signed 64-bit decimal, kept as a string (it exceeds 2^53). */
export function isAuthSessionId(value: string): boolean {
  if (!AUTH_SESSION_ID_PATTERN.test(value)) return false;
  const n = BigInt(value);
  return n >= INT64_MIN && n <= INT64_MAX && value !== '-0';
}

/**
 * Duo's JSON answers, checked field by field: the `{stat, response}` envelope, its HTTP status, and
 * the three response shapes we use. Anything unexpected is a typed `PushError`, never a crash and
 * never a guess that could read as an approval.
 */
import { PushError } from '../../errors';
import type { HttpResponse } from '../http';

/** `POST /auth/v2/preauth`: what Duo will let this user do. */
export interface PreauthAnswer {
  result: 'auth' | 'allow' | 'deny' | 'enroll';
  statusMsg: string;
  /** The user's devices that can receive a Duo Push. */
  pushDevices: number;
}

/** `POST /auth/v2/auth` with `async=1`: the transaction to poll. */
export interface AuthAnswer {
  txid: string;
}

/** `GET /auth/v2/auth_status`. */
export interface AuthStatusAnswer {
  result: 'waiting' | 'allow' | 'deny';
  /** `pushed`, `answered`, `allow`, `fraud`, `deny`, `timeout`, … (Duo adds values over time). */
  status: string;
  statusMsg: string;
}

const PREAUTH_RESULTS = ['auth', 'allow', 'deny', 'enroll'] as const;
const STATUS_RESULTS = ['waiting', 'allow', 'deny'] as const;
/** Duo transaction ids are UUIDs; accepted a little more loosely so a format change does not break logins. */
export const TXID_PATTERN = /^[0-9A-Za-z-]{8,64}$/;
const STATUS_PATTERN = /^[a-z_]{1,40}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string): PushError {
  return new PushError('protocol', `The Duo answer is malformed: ${what}.`, { code: 'invalid_response' });
}

/** Server text may reach a page: printable characters only, bounded. */
export function cleanText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Turns an HTTP answer into Duo's `response` object, or throws. Retryable: 429 (with Retry-After)
 * and 5xx. Terminal: 401 (`unauthorized`: wrong keys, host or clock), other errors
 * (`provider_error`, Duo's numeric code in `details.providerCode`), malformed 2xx answers.
 */
export function readEnvelope(response: HttpResponse): Json {
  const body = parseJson(response.text());
  const envelope = isObject(body) ? body : undefined;
  const status = response.status;
  if (status < 200 || status > 299 || envelope?.['stat'] !== 'OK') {
    throw failure(status, envelope, response.headers.get('retry-after'));
  }
  const inner = envelope['response'];
  if (!isObject(inner)) throw invalid('"response" is not an object');
  return inner;
}

function failure(status: number, envelope: Json | undefined, retryAfter: string | null): PushError {
  const code = envelope?.['code'];
  const providerCode =
    typeof code === 'number' || typeof code === 'string' ? cleanText(String(code), 20) : '';
  const message = typeof envelope?.['message'] === 'string' ? cleanText(envelope['message']) : '';
  const detail =
    typeof envelope?.['message_detail'] === 'string' ? cleanText(envelope['message_detail']) : '';
  const said = [providerCode, message, detail].filter((part) => part !== '').join(': ') || 'no details';
  const details: Record<string, string | number> = { status };
  if (providerCode !== '') details['providerCode'] = providerCode;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new PushError('provider', 'Duo is rate limiting this application; try again shortly.', {
      code: 'rate_limited',
      retryable: true,
      details,
      ...(Number.isInteger(seconds) && seconds >= 0 ? { retryAfterSeconds: seconds } : {}),
    });
  }
  if (status >= 500) {
    return new PushError('protocol', `Duo answered HTTP ${status} (${said}).`, {
      code: 'http_status',
      retryable: true,
      details,
    });
  }
  if (status === 401) {
    return new PushError(
      'provider',
      `Duo refused the request's credentials (${said}): check integrationKey, secretKey and apiHost, and the server clock.`,
      { code: 'unauthorized', details },
    );
  }
  if (envelope === undefined || envelope['stat'] !== 'FAIL') {
    return status >= 200 && status <= 299
      ? invalid('no "stat": "OK" envelope')
      : new PushError('protocol', `Duo answered HTTP ${status} without an error envelope.`, {
          code: 'http_status',
          details,
        });
  }
  return new PushError('provider', `Duo refused the request (${said}).`, { code: 'provider_error', details });
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`unexpected "${field}"`);
}

function optionalText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(`"${field}" is not text`);
  return cleanText(value);
}

/** Preauth's `result` and `status_msg`; counts devices whose `capabilities` include `push`; a malformed device list is refused. */
export function parsePreauth(response: Json): PreauthAnswer {
  const result = oneOf(response['result'], PREAUTH_RESULTS, 'result');
  const devices = response['devices'] ?? [];
  if (!Array.isArray(devices)) throw invalid('"devices" is not a list');
  let pushDevices = 0;
  for (const device of devices) {
    if (!isObject(device)) throw invalid('a device is not an object');
    const capabilities = device['capabilities'] ?? [];
    if (!Array.isArray(capabilities)) throw invalid('"capabilities" is not a list');
    if (capabilities.includes('push')) pushDevices += 1;
  }
  return { result, statusMsg: optionalText(response['status_msg'], 'status_msg'), pushDevices };
}

/** The `txid` of an asynchronous push, format-checked. */
export function parseAuth(response: Json): AuthAnswer {
  const txid = response['txid'];
  if (typeof txid !== 'string' || !TXID_PATTERN.test(txid)) throw invalid('missing or malformed "txid"');
  return { txid };
}

/** `result`, `status` and `status_msg` of one `auth_status`; unknown results are refused. */
export function parseAuthStatus(response: Json): AuthStatusAnswer {
  const result = oneOf(response['result'], STATUS_RESULTS, 'result');
  const status = response['status'];
  if (typeof status !== 'string' || !STATUS_PATTERN.test(status)) throw invalid('malformed "status"');
  return { result, status, statusMsg: optionalText(response['status_msg'], 'status_msg') };
}

/**
 * Duo's request signature (canonicalisation version 2, HMAC-SHA-512): the server recomputes it from
 * the `Date` header, the method, its own host name, the path and the parameters, and refuses the
 * request when it differs. Written with `node:crypto`; test/unit/duo/signing.test.ts proves it
 * byte-equal with the vendor's `@duosecurity/duo_api` client.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Request parameters: one string value per name (the Auth API calls we make never repeat a name). */
export type DuoParams = Readonly<Record<string, string>>;

/** What the signature covers. */
export interface DuoRequestToSign {
  /** `Date` header value, RFC 2822 (`Tue, 21 Aug 2012 17:29:18 GMT`). */
  date: string;
  method: 'GET' | 'POST';
  /** The API host name as configured, e.g. `api-xxxxxxxx.duosecurity.com` (lowercased here). */
  host: string;
  /** `/auth/v2/preauth`. */
  path: string;
  params: DuoParams;
}

/** RFC 3986 percent-encoding: `encodeURIComponent` plus the five characters it leaves alone. */
export function duoEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `name=value&…`, names sorted by UTF-16 code unit, names and values percent-encoded. This string
 * is both what is signed and what is sent (query string or form body), so the two cannot differ.
 */
export function canonicalParams(params: DuoParams): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${duoEncode(name)}=${duoEncode(params[name] ?? '')}`)
    .join('&');
}

/** The five lines the HMAC covers. */
export function canonicalRequest(request: DuoRequestToSign): string {
  return [
    request.date,
    request.method.toUpperCase(),
    request.host.toLowerCase(),
    request.path,
    canonicalParams(request.params),
  ].join('\n');
}

/** The hex HMAC-SHA-512 of the canonical request under the secret key. */
export function duoSignature(secretKey: string, request: DuoRequestToSign): string {
  return createHmac('sha512', secretKey).update(canonicalRequest(request)).digest('hex');
}

/** The `Authorization` header: HTTP Basic with the integration key and the signature. */
export function authorizationHeader(
  integrationKey: string,
  secretKey: string,
  request: DuoRequestToSign,
): string {
  const credentials = `${integrationKey}:${duoSignature(secretKey, request)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

/** The `Date` header for `now`, as Duo's clients write it. */
export function duoDate(now: Date): string {
  return now.toUTCString();
}

/** Constant-time comparison of two hex signatures (used by the simulator to check requests). */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

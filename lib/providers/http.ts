/**
 * The one way providers talk HTTP: a transport (./transport.ts: node:http or node:https, keep-alive)
 * under a deadline, a cap on the answer's size, no redirects, and transport failures (an answer cut
 * short or a success status with an empty body among them) turned into retryable `PushError`s. TLS
 * is verified by the transport; nothing here turns that off.
 */
import { withDeadline } from '../deadline';
import { emptyResponseError, isEmptyAnswer, PushError, retryableHttpStatus } from '../errors';
import { AnswerTooLarge, defaultTransport, type Transport } from './transport';

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as UTF-8; sign `Buffer.from(body)` when the protocol signs the bytes. */
  body?: string;
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** Answers larger than this are refused without reading them whole. */
  maxResponseBytes?: number;
  /** The caller's signal (request closed, strategy deadline). */
  signal?: AbortSignal;
  /** Another transport (one that presents a TLS client certificate); default: ./transport.ts's. */
  transport?: Transport;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

/** Codes on transport errors, so a caller can tell "never reached" (try a fallback) from the rest. */
export type TransportErrorCode = 'connect' | 'timeout' | 'aborted' | 'reset' | 'too_large';

export function httpRequest(url: string, request: HttpRequest): Promise<HttpResponse> {
  const maxResponseBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return withDeadline(
    request.timeoutMs,
    async (signal, timedOut) => {
      let answer;
      try {
        answer = await (request.transport ?? defaultTransport)(new URL(url), {
          method: request.method ?? 'POST',
          headers: request.headers,
          body: request.body,
          signal,
          maxResponseBytes,
        });
      } catch (error) {
        if (error instanceof AnswerTooLarge) throw tooLarge(url, maxResponseBytes);
        // A transport may already know better (a refused certificate is no transport fault).
        if (error instanceof PushError) throw error;
        // Never reached, or an answer that broke off: the error's code tells which.
        throw transportError(url, error, timedOut(), request.signal?.aborted === true);
      }
      const { status, headers, body } = answer;
      // An API answers where it is called: a redirect could carry the request's secrets elsewhere.
      if (REDIRECTS.has(status)) throw redirectRefused(url, status);
      // A success status with nothing in it says nothing final: a transport fault, never malformed.
      if (isEmptyAnswer(status, body)) throw emptyResponseError(origin(url), status);
      return { status, headers, body, text: () => body.toString('utf8') };
    },
    request.signal,
  );
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function redirectRefused(url: string, status: number): PushError {
  return new PushError(
    'protocol',
    `${origin(url)} answered with a redirect (HTTP ${status}), which is not followed.`,
    {
      code: 'http_status',
      retryable: false,
      details: { status },
    },
  );
}

function tooLarge(url: string, maxBytes: number): PushError {
  return new PushError('protocol', `The answer from ${origin(url)} is larger than ${maxBytes} bytes.`, {
    code: 'too_large',
  });
}

/** What a request fails with when its caller gave up on it (the caller's signal aborted). */
export function abortedError(url: string, cause?: unknown): PushError {
  return new PushError('protocol', `The request to ${origin(url)} was aborted.`, {
    code: 'aborted',
    retryable: true,
    cause,
  });
}

function transportError(url: string, error: unknown, timedOut: boolean, callerAborted: boolean): PushError {
  const where = origin(url);
  if (timedOut) {
    return new PushError('protocol', `${where} did not answer in time.`, {
      code: 'timeout',
      retryable: true,
      cause: error,
    });
  }
  if (callerAborted) return abortedError(url, error);
  const code = neverConnected(error) ? 'connect' : 'reset';
  const message = code === 'connect' ? `Could not reach ${where}.` : `The connection to ${where} broke.`;
  return new PushError('protocol', message, {
    code,
    retryable: true,
    cause: error,
  });
}

/** Errors that mean the request never reached the server (so another endpoint may safely be tried). */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function neverConnected(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CONNECT_ERRORS.has(code);
}

/** Only the origin goes into messages: paths and queries may carry identifiers. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the provider';
  }
}

/** Refuses plain http unless the app explicitly allows it (simulators, on-premise test servers). */
export function requireHttps(url: string, allowInsecure: boolean | undefined, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PushError('config', `${what} is not a valid URL: ${JSON.stringify(url)}.`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && allowInsecure) return parsed;
  throw new PushError(
    'config',
    `${what} must use https (got ${parsed.protocol}//${parsed.host}); set allowInsecureHttp: true only for local simulators.`,
  );
}

/**
 * An answer with a status the protocol does not expect: `http_status`, the status in
 * `details.status`, retryable by the one rule above.
 */
export function httpStatusError(
  who: string,
  status: number,
  details: Readonly<Record<string, string | number | boolean>> = {},
  retryAfterSeconds?: number,
): PushError {
  return new PushError('protocol', `${who} answered HTTP ${status}.`, {
    code: 'http_status',
    retryable: retryableHttpStatus(status),
    details: { ...details, status },
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

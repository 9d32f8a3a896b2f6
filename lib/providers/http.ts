/**
 * The one way providers talk HTTP: Node's fetch with a deadline, a cap on the answer's size, and
 * transport failures (an answer cut short or a success status with an empty body among them) turned
 * into retryable `PushError`s. TLS is verified by fetch; nothing here turns that off.
 */
import { withDeadline } from '../deadline';
import { emptyResponseError, isEmptyAnswer, PushError, retryableHttpStatus } from '../errors';

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
  /** Another fetch (e.g. one that presents a TLS client certificate); default: Node's. */
  fetch?: FetchFunction;
}

/** The part of fetch that `httpRequest` uses. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

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
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return withDeadline(
    request.timeoutMs,
    async (signal, timedOut) => {
      const failed = (error: unknown, code: TransportErrorCode) =>
        transportError(url, error, timedOut(), request.signal?.aborted === true, code);
      let response: Response;
      try {
        response = await (request.fetch ?? fetch)(url, {
          method: request.method ?? 'POST',
          headers: request.headers,
          body: request.body,
          signal,
          redirect: 'error',
        });
      } catch (error) {
        // A custom fetch may already know better (a refused certificate is no transport fault).
        if (error instanceof PushError) throw error;
        throw failed(error, 'connect');
      }
      let body: Buffer;
      try {
        body = await readCapped(response, maxBytes, url);
      } catch (error) {
        if (error instanceof PushError) throw error;
        // The body broke off before its end (a dropped connection): an answer cut short.
        throw failed(error, 'reset');
      }
      // A success status with nothing in it says nothing final: a transport fault, never malformed.
      if (isEmptyAnswer(response.status, body)) throw emptyResponseError(origin(url), response.status);
      return {
        status: response.status,
        headers: response.headers,
        body,
        text: () => body.toString('utf8'),
      };
    },
    request.signal,
  );
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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

function transportError(
  url: string,
  error: unknown,
  timedOut: boolean,
  callerAborted: boolean,
  fallback: TransportErrorCode,
): PushError {
  const where = origin(url);
  if (timedOut) {
    return new PushError('protocol', `${where} did not answer in time.`, {
      code: 'timeout',
      retryable: true,
      cause: error,
    });
  }
  if (callerAborted) return abortedError(url, error);
  const code = fallback === 'connect' && !neverConnected(error) ? 'reset' : fallback;
  const message = code === 'connect' ? `Could not reach ${where}.` : `The connection to ${where} broke.`;
  return new PushError('protocol', message, {
    code,
    retryable: true,
    cause: error,
  });
}

/** Errors that mean the request never reached the server (so another endpoint may safely be tried). */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function neverConnected(error: unknown): boolean {
  // Node's fetch wraps the socket's error in `cause`; node:https (the mutual-TLS transport) does not.
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const socketCode = cause?.code ?? code;
  return typeof socketCode === 'string' && CONNECT_ERRORS.has(socketCode);
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

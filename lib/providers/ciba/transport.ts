/**
 * openid-client's HTTP goes through the library's own `httpRequest` (deadline, size cap, TLS
 * verified, no redirects, transport faults as retryable `PushError`s). openid-client has no
 * per-call AbortSignal, so the caller's signal reaches the fetch through AsyncLocalStorage, and the
 * last answer's status and headers are kept there for classifying errors (5xx, Retry-After).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { PushError } from '../../errors';
import { httpRequest } from '../http';
import type { CustomFetch, FetchBody } from 'openid-client' with { 'resolution-mode': 'import' };

export interface CallContext {
  readonly signal: AbortSignal | undefined;
  /** The last HTTP answer seen during this call. */
  response?: { status: number; headers: Headers };
  /** A transport fault raised during this call (openid-client wraps it; we keep the original). */
  transportError?: PushError;
}

const calls = new AsyncLocalStorage<CallContext>();

/** A fresh context for one openid-client call, made with the caller's signal. */
export function newCall(signal: AbortSignal | undefined): CallContext {
  return { signal };
}

/** Runs one openid-client call; its HTTP requests see `context`. */
export function inCall<T>(context: CallContext, run: () => Promise<T>): Promise<T> {
  return calls.run(context, run);
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createFetch(timeoutMs: number): CustomFetch {
  return async (url, options) => {
    const context = calls.getStore();
    if (options.method !== 'GET' && options.method !== 'POST') {
      throw new PushError('protocol', `Unexpected ${options.method} request to the OpenID provider.`);
    }
    const signals = [options.signal, context?.signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      const answer = await httpRequest(url, {
        method: options.method,
        headers: options.headers,
        body: bodyText(options.body),
        timeoutMs,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      if (context) context.response = { status: answer.status, headers: answer.headers };
      const body = NULL_BODY_STATUSES.has(answer.status) ? null : new Uint8Array(answer.body);
      return new Response(body, { status: answer.status, headers: answer.headers });
    } catch (error) {
      if (context && error instanceof PushError) context.transportError = error;
      throw error;
    }
  };
}

function bodyText(body: FetchBody): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new PushError('protocol', 'Streaming request bodies are not supported.');
}

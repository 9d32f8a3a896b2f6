/**
 * The adapter around openid-client: loading it (ESM-only, from this CommonJS package), routing its
 * HTTP through the library's own `httpRequest`, and discovering the OP once per provider.
 *
 * openid-client has no per-call AbortSignal, so the caller's signal reaches the fetch through
 * AsyncLocalStorage, and the last answer's status and headers are kept there for classifying
 * errors (5xx, Retry-After). A failed discovery is not cached, so the next login tries again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };
import type { ClientAuth, ClientMetadata, Configuration, CustomFetch, FetchBody } from 'openid-client' with {
  'resolution-mode': 'import',
};
import { untilAborted } from '../../deadline';
import { PushError } from '../../errors';
import { abortedError, httpRequest, type HttpResponse } from '../http';
import { toResponse } from '../transport';
import type { CibaSettings, ClientCredentials } from './options';
import { classify, httpFailure } from './outcomes';
import { cibaTlsTransport, hasClientCertificate, type CibaTlsOptions } from './tls-options';

export type OpenIdClientModule = typeof OpenIdClient;

let loading: Promise<OpenIdClientModule> | undefined;

/** openid-client, loaded with a real dynamic import() once per process (kept by node16 module mode). */
export function loadOpenIdClient(): Promise<OpenIdClientModule> {
  loading ??= import('openid-client').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** What one openid-client call saw on the wire. */
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

/**
 * openid-client's fetch: deadline, size cap, TLS verified, no redirects, faults as `PushError`s.
 * GETs of one URL in flight at once share one request: at a surge many checks are the first to
 * need the OP's keys in the same moment, and one JWKS fetch serves them all.
 */
export function createFetch(timeoutMs: number, tls?: CibaTlsOptions): CustomFetch {
  const transport = tls === undefined ? undefined : cibaTlsTransport(tls);
  const sharedGets = new Map<string, Promise<HttpResponse>>();
  const sharedGet = (url: string, headers: Record<string, string>): Promise<HttpResponse> => {
    let shared = sharedGets.get(url);
    if (shared === undefined) {
      // No caller's signal: one caller giving up must not fail the others; the deadline bounds it.
      shared = httpRequest(url, {
        method: 'GET',
        headers,
        timeoutMs,
        ...(transport === undefined ? {} : { transport }),
      }).finally(() => sharedGets.delete(url));
      sharedGets.set(url, shared);
    }
    return shared;
  };
  return async (url, options) => {
    const context = calls.getStore();
    if (options.method !== 'GET' && options.method !== 'POST') {
      throw new PushError('protocol', `Unexpected ${options.method} request to the OpenID provider.`, {
        code: 'invalid_response',
      });
    }
    const signals = [options.signal, context?.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    try {
      const answer =
        options.method === 'GET'
          ? await untilAborted(sharedGet(url, options.headers), signal, (reason) => abortedError(url, reason))
          : await httpRequest(url, {
              method: options.method,
              headers: options.headers,
              body: bodyText(options.body),
              timeoutMs,
              signal,
              ...(transport === undefined ? {} : { transport }),
            });
      if (context) context.response = { status: answer.status, headers: answer.headers };
      return toResponse(answer);
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
  throw new PushError('protocol', 'Streaming request bodies are not supported.', {
    code: 'invalid_response',
  });
}

/** Discovery and client setup: one openid-client `Configuration`, checked to offer CIBA poll mode. */
export async function discover(client: OpenIdClientModule, settings: CibaSettings): Promise<Configuration> {
  const fetch = createFetch(settings.timeoutMs, settings.tls);
  const clientAuth = await clientAuthentication(client, settings.credentials);
  // openid-client's own deadline stays behind ours, so a timeout is reported as ours ("timeout").
  const timeout = Math.ceil(settings.timeoutMs / 1000) + 5;
  const context = newCall(undefined);
  let config: Configuration;
  try {
    config = await inCall(context, () =>
      client.discovery(settings.issuer, settings.clientId, clientMetadata(settings), clientAuth, {
        [client.customFetch]: fetch,
        timeout,
        execute: settings.allowInsecureHttp ? [client.allowInsecureRequests] : [],
      }),
    );
  } catch (error) {
    throw discoveryFailure(client, error, context, settings.issuer);
  }
  const metadata = config.serverMetadata();
  if (typeof metadata.backchannel_authentication_endpoint !== 'string') {
    throw new PushError(
      'provider',
      `${settings.issuer.origin} does not offer CIBA (no backchannel_authentication_endpoint in its discovery document).`,
      { code: 'not_supported' },
    );
  }
  const modes = metadata.backchannel_token_delivery_modes_supported;
  if (Array.isArray(modes) && !modes.includes('poll')) {
    throw new PushError('provider', `${settings.issuer.origin} does not offer CIBA poll mode.`, {
      code: 'not_supported',
    });
  }
  if (settings.verifyIdTokenSignature) client.enableNonRepudiationChecks(config);
  return config;
}

/**
 * A client with a certificate, whatever its client authentication, uses the OP's
 * `mtls_endpoint_aliases` where it announces them (RFC 8705 §5): the certificate binds its tokens.
 */
function clientMetadata(settings: CibaSettings): Partial<ClientMetadata> | undefined {
  return hasClientCertificate(settings.tls) ? { use_mtls_endpoint_aliases: true } : undefined;
}

async function clientAuthentication(
  client: OpenIdClientModule,
  credentials: ClientCredentials,
): Promise<ClientAuth> {
  switch (credentials.method) {
    case 'client_secret_post':
      return client.ClientSecretPost(credentials.secret);
    case 'client_secret_basic':
      return client.ClientSecretBasic(credentials.secret);
    case 'tls_client_auth':
    case 'self_signed_tls_client_auth':
      return client.TlsClientAuth();
    case 'private_key_jwt': {
      const key = await credentials.key.toCryptoKey();
      return client.PrivateKeyJwt(
        credentials.key.kid === undefined ? key : { key, kid: credentials.key.kid },
      );
    }
  }
}

/** Transport faults stay as they are; an HTTP status follows the one retry rule; the rest is a bad answer. */
function discoveryFailure(
  client: OpenIdClientModule,
  error: unknown,
  context: CallContext,
  issuer: URL,
): PushError {
  const failure = classify(client, error, context);
  if (failure.type === 'transport') return failure.error;
  if (failure.type === 'http')
    return httpFailure(failure.status, 'its discovery document', failure.retryAfterMs);
  const reason = failure.type === 'malformed' ? failure.reason : failure.code;
  return new PushError(
    'protocol',
    `Could not load the OpenID configuration of ${issuer.origin} (${reason}).`,
    {
      code: 'invalid_response',
    },
  );
}

/**
 * Sorts what an openid-client call threw into the few cases the provider acts on: a transport fault
 * (already a `PushError`), an OAuth error answer (`{error: …}`), another HTTP status, or an answer
 * that is not well-formed (bad JSON, an ID token that fails validation, …).
 */
import { PushError } from '../../errors';
import type { OpenIdClientModule } from './load';
import { retryAfterMs } from './retry-after';
import type { CallContext } from './transport';

export type Failure =
  | { type: 'transport'; error: PushError }
  | { type: 'oauth'; code: string; description: string | undefined; status: number; retryAfterMs?: number }
  | { type: 'http'; status: number; retryAfterMs?: number }
  | { type: 'malformed'; reason: string; code: string | undefined };

export function classify(client: OpenIdClientModule, error: unknown, context: CallContext): Failure {
  const transport = context.transportError ?? findPushError(error);
  if (transport) return { type: 'transport', error: transport };
  const retryAfter = retryAfterMs(context.response?.headers);
  if (error instanceof client.ResponseBodyError) {
    return {
      type: 'oauth',
      code: error.error,
      description: error.error_description,
      status: error.status,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    // 401 with `WWW-Authenticate: Basic error="invalid_client"` (client_secret_basic failures).
    const challenge = error.cause.find((c) => typeof c.parameters.error === 'string');
    return {
      type: 'oauth',
      code: challenge?.parameters.error ?? 'invalid_client',
      description: challenge?.parameters.error_description,
      status: error.status,
    };
  }
  const status = context.response?.status;
  if (status !== undefined && status !== 200) {
    return { type: 'http', status, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  }
  const reason = error instanceof Error ? error.message : 'unexpected failure';
  const code = error instanceof client.ClientError ? error.code : undefined;
  return { type: 'malformed', reason, code };
}

/** openid-client wraps errors thrown by the fetch; find ours in the cause chain. */
function findPushError(error: unknown): PushError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof PushError) return current;
    current = current.cause;
  }
  return undefined;
}

/** A 5xx or 429 is worth trying again; other statuses are not. */
export function httpFailure(status: number, where: string, retryAfter: number | undefined): PushError {
  const retryable = status >= 500 || status === 429;
  return new PushError('protocol', `The OpenID provider answered HTTP ${status} at ${where}.`, {
    code: `http_${status}`,
    retryable,
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: Math.ceil(retryAfter / 1000) }),
  });
}

/** Provider text is shortened and kept out of `message`; `details.description` carries it. */
export function describe(description: string | undefined): Record<string, string> {
  return description ? { description: description.slice(0, 200) } : {};
}

/**
 * Signed calls to the Duo Auth API v2 over the shared HTTP helper: every request carries a fresh
 * `Date` and its HMAC signature; every answer goes through `readEnvelope`.
 */
import { httpRequest } from '../http';
import {
  parseAuth,
  parseAuthStatus,
  parsePreauth,
  readEnvelope,
  type AuthAnswer,
  type AuthStatusAnswer,
  type PreauthAnswer,
} from './answers';
import { authorizationHeader, canonicalParams, duoDate, type DuoParams } from './signing';

/** Validated settings of a `DuoClient`. */
export interface DuoClientOptions {
  /** Already validated: `api-xxxxxxxx.duosecurity.com` (or `127.0.0.1:port` for the simulator). */
  apiHost: string;
  /** `https:`, or `http:` for loopback simulators. */
  protocol: 'https:' | 'http:';
  integrationKey: string;
  secretKey: string;
  maxResponseBytes?: number;
  /** The clock that dates requests. */
  now: () => Date;
}

/** The optional `POST /auth/v2/auth` fields we send. */
export interface PushParams {
  username: string;
  /** `display_username`: the account name Duo Mobile shows instead of the username. */
  displayUsername?: string;
  ipaddr?: string;
  /** Shown as the title of the push (`type`). */
  type?: string;
  /** `pushinfo`: URL-encoded `key=value` pairs the phone shows under the push. */
  pushinfo?: string;
}

/** The three Auth API v2 calls the provider makes, each signed and checked. */
export class DuoClient {
  constructor(private readonly options: DuoClientOptions) {}

  /** What Duo will let this user do, and whether they have a push-capable device. */
  async preauth(
    username: string,
    ipaddr: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<PreauthAnswer> {
    const params: Record<string, string> = { username };
    if (ipaddr !== undefined) params['ipaddr'] = ipaddr;
    return parsePreauth(await this.call('POST', '/auth/v2/preauth', params, timeoutMs, signal));
  }

  /** An asynchronous push to the user's first push-capable device (`device=auto`). */
  async pushAuth(push: PushParams, timeoutMs: number, signal?: AbortSignal): Promise<AuthAnswer> {
    const params: Record<string, string> = {
      username: push.username,
      factor: 'push',
      device: 'auto',
      async: '1',
    };
    if (push.displayUsername !== undefined) params['display_username'] = push.displayUsername;
    if (push.ipaddr !== undefined) params['ipaddr'] = push.ipaddr;
    if (push.type !== undefined) params['type'] = push.type;
    if (push.pushinfo !== undefined) params['pushinfo'] = push.pushinfo;
    return parseAuth(await this.call('POST', '/auth/v2/auth', params, timeoutMs, signal));
  }

  /** One `auth_status`; Duo may hold it until the status changes, at most `timeoutMs` here. */
  async authStatus(txid: string, timeoutMs: number, signal?: AbortSignal): Promise<AuthStatusAnswer> {
    return parseAuthStatus(await this.call('GET', '/auth/v2/auth_status', { txid }, timeoutMs, signal));
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    params: DuoParams,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const { apiHost, protocol, integrationKey, secretKey } = this.options;
    const date = duoDate(this.options.now());
    // The canonical parameter string is sent as is, so what is signed is exactly what is sent.
    const encoded = canonicalParams(params);
    const headers: Record<string, string> = {
      Date: date,
      Authorization: authorizationHeader(integrationKey, secretKey, {
        date,
        method,
        host: apiHost,
        path,
        params,
      }),
    };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const query = method === 'GET' && encoded !== '' ? `?${encoded}` : '';
    const response = await httpRequest(`${protocol}//${apiHost}${path}${query}`, {
      method,
      headers,
      ...(method === 'POST' ? { body: encoded } : {}),
      timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      signal,
    });
    return readEnvelope(response);
  }
}

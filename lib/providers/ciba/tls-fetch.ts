/**
 * A fetch that presents a TLS client certificate, for certificate-bound tokens and mutual-TLS
 * client authentication (`tls_client_auth`, `self_signed_tls_client_auth`), or trusts a private
 * CA. Node's fetch can do neither, so this runs on node:https with a keep-alive Agent; http.ts
 * keeps its deadline and size cap on top. The server's certificate is always verified (against
 * `ca` when given, else the system's CAs).
 */
import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { PushError } from '../../errors';
import { CLIENT_CERT_ALERT, SERVER_CERT_REFUSED } from '../tls-errors';
import { configError } from '../options';
import type { FetchFunction } from '../http';

/**
 * The client certificate and key (PEM), and optionally the CA(s) that signed the OP's server certificate.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { CibaProvider, type CibaTlsOptions } from 'passport-push';
 *
 * const tls: CibaTlsOptions = {
 *   cert: readFileSync('client.pem', 'utf8'),
 *   key: readFileSync('client-key.pem', 'utf8'),
 * };
 * new CibaProvider({
 *   issuer: 'https://auth.bank.example',
 *   clientId: 'web-bank',
 *   clientAuthMethod: 'tls_client_auth',
 *   tls,
 * });
 * ```
 */
export interface CibaTlsOptions {
  /** The client certificate (PEM); with `key`, or neither when only `ca` is set. */
  cert?: string | Buffer;
  /** The client certificate's private key (PEM). */
  key?: string | Buffer;
  /** Default: the system's CAs. Set for a private PKI (and test OPs). */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Checks the material loads now, so a wrong file fails at start-up; never quotes it. */
export function checkTlsOptions(tls: unknown): CibaTlsOptions {
  if (typeof tls !== 'object' || tls === null) {
    throw configError('CibaProvider', 'tls must be an object ({ cert, key, ca? }).');
  }
  const options = tls as CibaTlsOptions;
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw configError('CibaProvider', 'tls needs cert and key together.');
  }
  if (options.cert === undefined && options.ca === undefined) {
    throw configError('CibaProvider', 'tls needs cert and key (the client certificate), or ca.');
  }
  try {
    createSecureContext(contextOptions(options));
  } catch {
    throw configError(
      'CibaProvider',
      'tls: the client certificate could not be loaded (check cert, key and that they match, and ca).',
    );
  }
  return options;
}

function contextOptions(tls: CibaTlsOptions): SecureContextOptions {
  return {
    ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
    ...(tls.ca === undefined ? {} : { ca: tls.ca as SecureContextOptions['ca'] }),
  };
}

/** True when `tls` carries a client certificate to present (not only a CA to trust). */
export function hasClientCertificate(tls: CibaTlsOptions | undefined): boolean {
  return tls?.cert !== undefined;
}

/** A fetch over one keep-alive Agent that presents the client certificate (if any) on every connection. */
export function createTlsFetch(tls: CibaTlsOptions): FetchFunction {
  const agent = new Agent({ ...contextOptions(tls), keepAlive: true, rejectUnauthorized: true });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new TypeError('Mutual TLS needs an https: URL.'));
        return;
      }
      const body = typeof init.body === 'string' ? init.body : undefined;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const outgoing = request(
        target,
        {
          method: init.method ?? 'GET',
          agent,
          headers,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (incoming) => {
          const status = incoming.statusCode ?? 0;
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (Array.isArray(value)) value.forEach((v) => answerHeaders.append(name, v));
            else if (value !== undefined) answerHeaders.set(name, value);
          }
          const stream = NULL_BODY_STATUSES.has(status)
            ? null
            : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
          if (stream === null) incoming.resume();
          resolve(new Response(stream, { status, headers: answerHeaders }));
        },
      );
      outgoing.on('error', (error) => reject(certificateFailure(error) ?? error));
      outgoing.end(body);
    });
}

/** Certificate problems are configuration faults: final, and named, never retried as transport faults. */
function certificateFailure(error: unknown): PushError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (SERVER_CERT_REFUSED.has(code)) {
    return new PushError(
      'provider',
      "The OpenID provider's server certificate does not verify against tls.ca (or the system's CAs).",
      { code: 'unauthorized', cause: error, details: { providerCode: 'tls_server_certificate' } },
    );
  }
  if (CLIENT_CERT_ALERT.test(code)) {
    return new PushError(
      'provider',
      'The OpenID provider refused the TLS client certificate (tls.cert): not issued by a CA it trusts, or expired.',
      { code: 'unauthorized', cause: error, details: { providerCode: 'tls_client_certificate' } },
    );
  }
  return undefined;
}

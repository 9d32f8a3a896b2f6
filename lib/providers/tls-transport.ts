/**
 * The one mutual-TLS transport, for BankID's RP API and CIBA's certificate-bound tokens: the
 * transport of ./transport.ts over an Agent of its own that presents the client certificate and
 * trusts the configured CA. http.ts keeps its deadline, size cap and retry rules on top. The
 * server's certificate is always verified. A refused certificate, ours or the server's, is a
 * configuration fault: terminal, and named as such, never retried as a transport fault.
 */
import { Agent } from 'node:https';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { PushError } from '../errors';
import { clientCertificateRefused } from './certificate-probe';
import { CLIENT_CERT_ALERT, SERVER_CERT_REFUSED } from './tls-errors';
import { exchange, keptAlive, type NameFailure, type Transport } from './transport';

/** The client certificate (PKCS#12, or PEM certificate and key) and the CA(s) to trust. */
export interface TlsMaterial {
  pfx?: Buffer;
  passphrase?: string;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Default: the system's CAs. */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

/** What the transport says when a certificate is refused, in the words of the provider's options. */
export interface TlsRefusals {
  /** The server refused our client certificate. */
  clientCertificate: string;
  /** The server's certificate does not verify against the CA. */
  serverCertificate: string;
}

/** A transport that presents the client certificate; `close` ends its idle connections. */
export type TlsTransport = Transport & { close(): void };

/** The material as node:tls takes it. */
export function secureContextOptions(tls: TlsMaterial): SecureContextOptions {
  const options: SecureContextOptions = {};
  if (tls.ca !== undefined) options.ca = tls.ca as SecureContextOptions['ca'];
  if (tls.pfx !== undefined) options.pfx = tls.pfx;
  if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  return options;
}

/** Whether the material loads (a wrong passphrase, a key that does not match its certificate does not). */
export function tlsMaterialLoads(tls: TlsMaterial): boolean {
  try {
    createSecureContext(secureContextOptions(tls));
    return true;
  } catch {
    return false; // the caller names the options to check; the material is never quoted
  }
}

/** A transport over one keep-alive Agent that presents the client certificate (if any) on every connection. */
export function createTlsTransport(tls: TlsMaterial, refusals: TlsRefusals): TlsTransport {
  const context = secureContextOptions(tls);
  const presentsCertificate = tls.cert !== undefined || tls.pfx !== undefined;
  const agent = keptAlive((keepAlive) => new Agent({ ...context, ...keepAlive, rejectUnauthorized: true }));
  const nameFailure: NameFailure = async (error, { url, signal, request }) => {
    const named = certificateFailure(error, refusals);
    if (named) return named;
    // Under TLS 1.3 a refused client certificate usually arrives as a bare reset of the fresh
    // connection after the request was sent: a TLS 1.2 handshake that sends nothing settles it.
    const freshReset = presentsCertificate && !request.reusedSocket && isReset(error);
    if (!freshReset) return error;
    return (await clientCertificateRefused(url, context, signal))
      ? clientCertificateError(error, refusals)
      : error;
  };
  const tlsTransport: Transport = (url, wire) =>
    url.protocol === 'https:'
      ? exchange(url, wire, agent, nameFailure)
      : Promise.reject(new TypeError('Mutual TLS needs an https: URL.'));
  return Object.assign(tlsTransport, { close: () => agent.destroy() });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isReset(error: unknown): boolean {
  return ['ECONNRESET', 'EPIPE'].includes(codeOf(error) ?? '');
}

function clientCertificateError(cause: unknown, refusals: TlsRefusals): PushError {
  return new PushError('provider', refusals.clientCertificate, {
    code: 'unauthorized',
    cause,
    details: { providerCode: 'tls_client_certificate' },
  });
}

/** Certificate problems are configuration faults: final, and named, never retried as transport faults. */
function certificateFailure(error: unknown, refusals: TlsRefusals): PushError | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  if (SERVER_CERT_REFUSED.has(code)) {
    return new PushError('provider', refusals.serverCertificate, {
      code: 'unauthorized',
      cause: error,
      details: { providerCode: 'tls_server_certificate' },
    });
  }
  if (CLIENT_CERT_ALERT.test(code)) return clientCertificateError(error, refusals);
  return undefined;
}

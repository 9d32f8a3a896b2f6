/**
 * Tells "BankID refused our client certificate" from "the connection broke". Under TLS 1.3 the
 * server checks the client certificate after the client has finished its handshake and sent the
 * request, so the refusal usually reaches the client as a bare connection reset. A second handshake
 * limited to TLS 1.2, sending nothing, settles it: there the server checks the certificate before
 * the handshake completes, so a completed handshake means the certificate is accepted.
 */
import { connect, type SecureContextOptions } from 'node:tls';
import { isIP } from 'node:net';
import { CLIENT_CERT_ALERT } from './tls-errors';

/**
 * Whether the server at `url` refuses the handshake with this client certificate: true when the
 * TLS 1.2 handshake is reset or answered with a certificate alert; false when it completes, when
 * the server cannot be reached at all, or when `signal` ends the probe first.
 */
export function clientCertificateRefused(
  url: URL,
  tls: SecureContextOptions,
  signal: AbortSignal,
): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      ...tls,
      host,
      port: url.port === '' ? 443 : Number(url.port),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      maxVersion: 'TLSv1.2',
      rejectUnauthorized: true,
    });
    const done = (refused: boolean) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(refused);
    };
    const onAbort = () => done(false);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => done(false));
    socket.once('error', (error: Error & { code?: unknown }) => {
      const code = typeof error.code === 'string' ? error.code : '';
      done(code === 'ECONNRESET' || CLIENT_CERT_ALERT.test(code));
    });
  });
}

/**
 * JSON over mutual TLS to BankID's RP API: the one mutual-TLS transport (../tls-transport.ts) under
 * http.ts's rules (a deadline per call, a cap on the answer's size, transport faults retryable, TLS
 * always verified). A refused certificate, ours or BankID's, is a configuration fault: terminal,
 * and named as such.
 */
import { PushError } from '../../errors';
import { httpRequest } from '../http';
import { createTlsTransport, tlsMaterialLoads, type TlsMaterial, type TlsTransport } from '../tls-transport';
import { errorFromAnswer } from './failures';
import { parseJson } from './answers';

/** The client certificate (PKCS#12, or PEM certificate and key) and the CA that signed BankID's server. */
export interface BankIdTls extends TlsMaterial {
  ca: string | Buffer | readonly (string | Buffer)[];
}

/** Where and how the transport connects. */
export interface BankIdTransportOptions {
  /** `https://…/rp/v6.0`, already validated. */
  baseUrl: URL;
  tls: BankIdTls;
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * Checks that the certificate material loads (a wrong passphrase, a key that does not match its
 * certificate) so the app fails at start-up, not at the first login.
 */
export function checkTls(tls: BankIdTls): void {
  if (!tlsMaterialLoads(tls)) {
    throw new PushError(
      'config',
      'BankIdProvider: the client certificate could not be loaded (check pfx and passphrase, or cert and key, and ca).',
      { code: 'invalid_option' },
    );
  }
}

/** Calls to BankID's endpoints over a keep-alive agent that presents the client certificate. */
export class BankIdTransport {
  private readonly transport: TlsTransport;

  constructor(private readonly options: BankIdTransportOptions) {
    this.transport = createTlsTransport(options.tls, {
      clientCertificate:
        'BankID refused the TLS client certificate (pfx or cert/key): it is missing, not issued for this BankID environment, or expired.',
      serverCertificate:
        "The BankID server's certificate does not verify against the configured ca (wrong environment or wrong CA file).",
    });
  }

  /** POSTs `body` as JSON to `<baseUrl>/<method>`; the parsed 2xx answer, or a `PushError`. */
  async post(
    method: 'auth' | 'sign' | 'collect' | 'cancel',
    body: object,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const url = new URL(
      `${this.options.baseUrl.pathname.replace(/\/$/, '')}/${method}`,
      this.options.baseUrl,
    );
    const answer = await httpRequest(url.href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      transport: this.transport,
      ...(signal ? { signal } : {}),
    });
    if (answer.status < 200 || answer.status > 299) throw errorFromAnswer(answer.status, answer.text());
    return parseJson(answer.text());
  }

  /** Closes idle connections (for tests and shutdown). */
  close(): void {
    this.transport.close();
  }
}

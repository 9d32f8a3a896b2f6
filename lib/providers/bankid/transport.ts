/**
 * JSON over mutual TLS to BankID's RP API. lib/providers/http.ts (fetch) cannot present a client
 * certificate, so this transport uses node:https with its own Agent. It keeps http.ts's rules: a
 * deadline per call, a cap on the answer's size, transport faults retryable, TLS always verified.
 * A refused certificate, ours or BankID's, is a configuration fault: terminal, and named as such.
 */
import { Agent, request } from 'node:https';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { withDeadline } from '../../deadline';
import { emptyResponseError, isEmptyAnswer, PushError } from '../../errors';
import { errorFromAnswer } from './failures';
import { parseJson } from './answers';
import { CLIENT_CERT_ALERT, SERVER_CERT_REFUSED } from '../tls-errors';
import { clientCertificateRefused } from './certificate-probe';

/** The client certificate (PKCS#12, or PEM certificate and key) and the CA that signed BankID's server. */
export interface BankIdTls {
  pfx?: Buffer;
  passphrase?: string;
  cert?: string | Buffer;
  key?: string | Buffer;
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

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Checks that the certificate material loads (a wrong passphrase, a key that does not match its
 * certificate) so the app fails at start-up, not at the first login.
 */
export function checkTls(tls: BankIdTls): void {
  try {
    createSecureContext(secureContextOptions(tls));
  } catch (error) {
    throw new PushError(
      'config',
      'BankIdProvider: the client certificate could not be loaded (check pfx and passphrase, or cert and key, and ca).',
      { code: 'invalid_option', cause: error },
    );
  }
}

function secureContextOptions(tls: BankIdTls): SecureContextOptions {
  const options: SecureContextOptions = { ca: tls.ca as SecureContextOptions['ca'] };
  if (tls.pfx !== undefined) options.pfx = tls.pfx;
  if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  return options;
}

/** Calls to BankID's endpoints over a keep-alive agent that presents the client certificate. */
export class BankIdTransport {
  private readonly agent: Agent;

  constructor(private readonly options: BankIdTransportOptions) {
    this.agent = new Agent({
      ...secureContextOptions(options.tls),
      keepAlive: true,
      rejectUnauthorized: true,
    });
  }

  /** POSTs `body` as JSON to `<baseUrl>/<method>`; the parsed 2xx answer, or a `PushError`. */
  async post(method: 'auth' | 'collect' | 'cancel', body: object, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(
      `${this.options.baseUrl.pathname.replace(/\/$/, '')}/${method}`,
      this.options.baseUrl,
    );
    const answer = await withDeadline(
      this.options.timeoutMs,
      (deadline, timedOut) =>
        this.exchange(url, JSON.stringify(body), deadline).catch(async (failure: unknown) => {
          const { error, unansweredFreshConnection } = isExchangeFailure(failure)
            ? failure
            : { error: failure, unansweredFreshConnection: false };
          const reset = ['ECONNRESET', 'EPIPE'].includes(errorCode(error) ?? '');
          if (
            reset &&
            unansweredFreshConnection &&
            (await clientCertificateRefused(url, secureContextOptions(this.options.tls), deadline))
          ) {
            throw clientCertificateError(error);
          }
          throw transportError(error, timedOut(), signal?.aborted === true);
        }),
      signal,
    );
    if (answer.status < 200 || answer.status > 299) throw errorFromAnswer(answer.status, answer.body);
    // A success status with nothing in it says nothing final: a transport fault, never malformed.
    if (isEmptyAnswer(answer.status, answer.body)) throw emptyResponseError('BankID', answer.status);
    return parseJson(answer.body);
  }

  /** Closes idle connections (for tests and shutdown). */
  close(): void {
    this.agent.destroy();
  }

  /** Rejects with an `ExchangeFailure`. */
  private exchange(url: URL, body: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
    return new Promise((resolve, rejectWith) => {
      let answered = false;
      const reject = (error: unknown) =>
        rejectWith({
          error,
          unansweredFreshConnection: !answered && !outgoing.reusedSocket,
        } satisfies ExchangeFailure);
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          signal,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.options.maxResponseBytes) {
              response.destroy();
              reject(
                new PushError(
                  'protocol',
                  `The BankID answer is larger than ${this.options.maxResponseBytes} bytes.`,
                  {
                    code: 'too_large',
                  },
                ),
              );
            } else chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

/** Why an exchange failed, and whether the failure could be a refused client certificate. */
interface ExchangeFailure {
  error: unknown;
  /** No answer byte arrived, on a connection opened for this request (so a TLS handshake just ran). */
  unansweredFreshConnection: boolean;
}

function isExchangeFailure(value: unknown): value is ExchangeFailure {
  return typeof value === 'object' && value !== null && 'unansweredFreshConnection' in value;
}

function clientCertificateError(cause: unknown): PushError {
  return new PushError(
    'provider',
    'BankID refused the TLS client certificate (pfx or cert/key): it is missing, not issued for this BankID environment, or expired.',
    { code: 'unauthorized', cause, details: { providerCode: 'tls_client_certificate' } },
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns a failed exchange into the project's typed error (a `PushError` passes through). */
function transportError(error: unknown, timedOut: boolean, callerAborted: boolean): PushError {
  if (error instanceof PushError) return error;
  const code = errorCode(error);
  if (code !== undefined && CLIENT_CERT_ALERT.test(code)) return clientCertificateError(error);
  if (code !== undefined && SERVER_CERT_REFUSED.has(code)) {
    return new PushError(
      'provider',
      "The BankID server's certificate does not verify against the configured ca (wrong environment or wrong CA file).",
      { code: 'unauthorized', cause: error, details: { providerCode: 'tls_server_certificate' } },
    );
  }
  if (timedOut) {
    return new PushError('protocol', 'BankID did not answer in time.', {
      code: 'timeout',
      retryable: true,
      cause: error,
    });
  }
  if (callerAborted) {
    return new PushError('protocol', 'The request to BankID was aborted.', {
      code: 'aborted',
      retryable: true,
      cause: error,
    });
  }
  if (code !== undefined && NEVER_CONNECTED.has(code)) {
    return new PushError('protocol', 'Could not reach BankID.', {
      code: 'connect',
      retryable: true,
      cause: error,
    });
  }
  return new PushError('protocol', 'The connection to BankID broke.', {
    code: 'reset',
    retryable: true,
    cause: error,
  });
}

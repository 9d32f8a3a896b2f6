/**
 * A plain HTTP server on 127.0.0.1, port 0, that collects the request body and applies injected
 * faults before handing over to a simulator's protocol handler. The fault queue and the way a
 * fault shapes an answer are exported for simulators with a server of their own (BankID's mTLS).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, Faults } from './simulator';

/**
 * A request a loopback server received: method, path, headers and body.
 *
 * @example
 * ```ts
 * import { startLoopbackServer, type LoopbackRequest } from 'passport-push/testing';
 *
 * await startLoopbackServer((request: LoopbackRequest) => ({ body: request.method }));
 * ```
 */
export interface LoopbackRequest {
  /** The HTTP method (`GET`, `POST`, …). */
  method: string;
  /** The path with its query string, as the request line has it. */
  path: string;
  /** The request's headers, as Node parsed them. */
  headers: IncomingMessage['headers'];
  /** The whole body, as bytes. */
  body: Buffer;
}

/**
 * A loopback server's answer: status, content type, headers and body.
 *
 * @example
 * ```ts
 * import { startLoopbackServer, type LoopbackAnswer } from 'passport-push/testing';
 *
 * const answer: LoopbackAnswer = { status: 202, contentType: 'application/json', body: '{}' };
 * await startLoopbackServer(() => answer);
 * ```
 */
export interface LoopbackAnswer {
  /** The HTTP status. Default 200. */
  status?: number;
  /** The `Content-Type`. Default `text/plain; charset=utf-8`. */
  contentType?: string;
  /** More response headers. */
  headers?: Record<string, string>;
  /** The response body. */
  body: string;
}

/**
 * Answers one request of a loopback server.
 *
 * @example
 * ```ts
 * import { startLoopbackServer, type LoopbackHandler } from 'passport-push/testing';
 *
 * const echo: LoopbackHandler = (request) => ({ contentType: 'text/plain', body: request.body.toString() });
 * await startLoopbackServer(echo);
 * ```
 */
export type LoopbackHandler = (request: LoopbackRequest) => LoopbackAnswer | Promise<LoopbackAnswer>;

/**
 * A running loopback server: its URL, its faults, close().
 *
 * @example
 * ```ts
 * import { startLoopbackServer, type LoopbackServer } from 'passport-push/testing';
 *
 * const server: LoopbackServer = await startLoopbackServer(() => ({ body: 'ok' }));
 * await server.close();
 * ```
 */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>/`, on a free port. */
  readonly url: string;
  /** Fault injection for the next requests. */
  readonly faults: Faults;
  /** Stops the server. */
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Starts an HTTP server on 127.0.0.1 (port 0) that answers through `handler`, with faults.
 *
 * @example
 * ```ts
 * import { startLoopbackServer } from 'passport-push/testing';
 *
 * const server = await startLoopbackServer(async (request) => ({
 *   status: 200,
 *   body: `you sent ${request.path}`,
 * }));
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const faults = new FaultQueue();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      void serve(request, faults.take(), res, handler);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, faults, close: () => closeServer(server) };
}

/** Injected faults, in order; each request takes the next one (`inject(fault, times)`). */
export class FaultQueue implements Faults {
  private readonly queue: { fault: Fault; times: number }[] = [];

  inject(fault: Fault, times = Number.POSITIVE_INFINITY): void {
    this.queue.push({ fault, times });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault for the request now arriving, if any. */
  take(): Fault | undefined {
    const next = this.queue[0];
    if (!next) return undefined;
    next.times -= 1;
    if (next.times <= 0) this.queue.shift();
    return next.fault;
  }
}

/**
 * Writes the answer to one request as `fault` shapes it: a reset, a delay, a status or body in
 * place of the protocol's answer, or the protocol's answer dripped out or cut short. `contentType` is the
 * simulator's default for answers that name none.
 */
export async function answerThroughFault(
  res: ServerResponse,
  fault: Fault | undefined,
  answer: () => LoopbackAnswer | Promise<LoopbackAnswer>,
  contentType = 'text/plain; charset=utf-8',
): Promise<void> {
  if (fault?.kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'delay') await pause(fault.ms);
  if (fault?.kind === 'status') {
    return send(res, {
      status: fault.status,
      contentType: fault.contentType ?? 'text/html',
      body: fault.body ?? '',
    });
  }
  if (fault?.kind === 'body') return send(res, { contentType, body: fault.body });
  if (fault?.kind === 'huge') return send(res, { contentType, body: 'x'.repeat(fault.bytes) });
  const real = await answer();
  const shaped = { ...real, contentType: real.contentType ?? contentType };
  if (fault?.kind === 'drip') return drip(res, shaped, fault.chunkBytes, fault.intervalMs);
  if (fault?.kind === 'truncate') return truncate(res, shaped);
  send(res, shaped);
}

async function serve(
  request: LoopbackRequest,
  fault: Fault | undefined,
  res: ServerResponse,
  handler: LoopbackHandler,
): Promise<void> {
  try {
    await answerThroughFault(res, fault, () => handler(request));
  } catch (error) {
    send(res, { status: 500, body: `simulator error: ${(error as Error).message}` });
  }
}

function send(res: ServerResponse, answer: LoopbackAnswer): void {
  if (res.destroyed) return;
  res.writeHead(answer.status ?? 200, {
    'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
    ...answer.headers,
  });
  res.end(answer.body);
}

async function drip(
  res: ServerResponse,
  answer: LoopbackAnswer,
  chunkBytes: number,
  intervalMs: number,
): Promise<void> {
  res.writeHead(answer.status ?? 200, {
    'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
    ...answer.headers,
  });
  const bytes = Buffer.from(answer.body);
  for (let offset = 0; offset < bytes.length && !res.destroyed; offset += chunkBytes) {
    res.write(bytes.subarray(offset, offset + chunkBytes));
    await pause(intervalMs);
  }
  res.end();
}

/** The whole answer announced, half of it sent, then the connection dropped. */
function truncate(res: ServerResponse, answer: LoopbackAnswer): void {
  const bytes = Buffer.from(answer.body);
  res.writeHead(answer.status ?? 200, {
    'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
    ...answer.headers,
    'Content-Length': String(bytes.length),
  });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** An injected delay must not keep a test process alive after its server closed. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

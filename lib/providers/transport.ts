/**
 * How a provider request reaches the wire: node:http or node:https over a keep-alive agent (a pool
 * of connections per origin). Not Node's fetch: its web streams and abort plumbing cost about four
 * times the CPU per call, which a login surge pays twice per login (bench/README.md). No redirect is
 * followed, no compression is asked for, and node:https verifies the server's certificate (the
 * system's CAs unless an agent brings its own). http.ts puts the deadline and the rules on top.
 */
import {
  Agent as HttpAgent,
  request as plainRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as tlsRequest } from 'node:https';
import type { Socket } from 'node:net';

/** One request, as http.ts hands it to a transport. */
export interface WireRequest {
  method: 'GET' | 'POST';
  headers: Readonly<Record<string, string>> | undefined;
  body: string | undefined;
  /** Aborts the exchange, connect to last byte (the deadline, or the caller giving up). */
  signal: AbortSignal;
  /** Answers larger than this are refused with `AnswerTooLarge`, without reading them whole. */
  maxResponseBytes: number;
}

/** The whole answer: its status, its headers and its body, read. */
export interface WireAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Sends one request and reads its answer. */
export type Transport = (url: URL, request: WireRequest) => Promise<WireAnswer>;

/** An answer past `maxResponseBytes`: its connection is dropped, never read to the end. */
export class AnswerTooLarge extends Error {
  constructor() {
    super('The answer is larger than the cap.');
    this.name = 'AnswerTooLarge';
  }
}

/** What a transport learns of an exchange that failed before its answer came (see tls-transport.ts). */
export interface FailedExchange {
  url: URL;
  /** The exchange's signal: whatever names the failure must not outlast it. */
  signal: AbortSignal;
  /** The request, to tell a reused connection from a fresh one. */
  request: ClientRequest;
}

/** Turns a transport error into what the caller sees (default: the error itself). */
export type NameFailure = (error: Error, exchange: FailedExchange) => unknown;

/** How long a kept-alive connection may sit idle when the server announces nothing (fetch's default). */
const IDLE_CONNECTION_MS = 4000;
/** The longest it may sit idle whatever the server announces (fetch's default too). */
const LONGEST_IDLE_MS = 600_000;

/**
 * An agent (made by `make` with the options given) that keeps an idle connection as fetch does: a
 * second less than the server's `Keep-Alive: timeout=` hint (at most 10 minutes), else 4 s. Node's
 * Agent applies the hint only below a timeout of its own (none by default: the connection would be
 * kept until the server drops it, racing the next request into a reset), so its own is the
 * longest, and a connection the hint did not shorten gets 4 s. Only idle connections close: a
 * request in flight is bounded by its deadline alone.
 */
export function keptAlive<A extends HttpAgent>(
  make: (options: { keepAlive: true; timeout: number }) => A,
): A {
  const agent = make({ keepAlive: true, timeout: LONGEST_IDLE_MS });
  const keep = agent.keepSocketAlive.bind(agent) as (socket: Socket) => boolean;
  (agent as unknown as { keepSocketAlive(socket: Socket): boolean }).keepSocketAlive = (socket) => {
    if (!keep(socket)) return false;
    if (socket.timeout === LONGEST_IDLE_MS) socket.setTimeout(IDLE_CONNECTION_MS);
    return true;
  };
  return agent;
}

const agents = {
  'http:': keptAlive((options) => new HttpAgent(options)),
  'https:': keptAlive((options) => new HttpsAgent(options)),
};

/** Plain http (simulators, when the app allows it) and https with the system's CAs. */
export const defaultTransport: Transport = (url, request) => {
  const agent = url.protocol === 'https:' || url.protocol === 'http:' ? agents[url.protocol] : undefined;
  if (agent === undefined) return Promise.reject(new TypeError(`Unsupported protocol ${url.protocol}`));
  return exchange(url, request, agent);
};

/** One request over `agent`, the answer read whole under the cap. */
export function exchange(
  url: URL,
  wire: WireRequest,
  agent: HttpAgent,
  nameFailure: NameFailure = (error) => error,
): Promise<WireAnswer> {
  return new Promise<WireAnswer>((resolve, reject) => {
    // fetch refused these; node:http would send them as a Basic Authorization header.
    if (url.username !== '' || url.password !== '') {
      reject(new TypeError('A URL with credentials in it is not sent.'));
      return;
    }
    // What fetch sent unasked (some firewalls in front of APIs refuse a request with no
    // User-Agent), and no compression: nothing here decompresses. The caller's own headers (any
    // case) replace these, as node:http sets headers case-insensitively.
    const headers: Record<string, string> = {
      accept: '*/*',
      'accept-encoding': 'identity',
      'user-agent': 'node',
      ...wire.headers,
    };
    if (wire.body !== undefined) headers['content-length'] = String(Buffer.byteLength(wire.body));
    let answered = false;
    const send = url.protocol === 'https:' ? tlsRequest : plainRequest;
    const request = send(url, { method: wire.method, agent, headers, signal: wire.signal }, (incoming) => {
      answered = true;
      readAnswer(incoming, wire.maxResponseBytes).then(resolve, reject);
    });
    // A switch of protocols nobody asked for: without this listener Node drops the socket and
    // neither the request nor the signal ever settles the promise.
    request.on('upgrade', (_incoming, socket) => {
      socket.destroy();
      reject(new Error('The server switched protocols (HTTP 101) unasked.'));
    });
    request.on('error', (error) => {
      if (answered) return; // the answer's reader settles the promise
      void Promise.resolve(nameFailure(error, { url, signal: wire.signal, request })).then(reject, reject);
    });
    request.end(wire.body);
  });
}

function readAnswer(incoming: IncomingMessage, maxBytes: number): Promise<WireAnswer> {
  return new Promise<WireAnswer>((resolve, reject) => {
    const fail = (error: Error) => {
      incoming.destroy();
      reject(error);
    };
    const declared = Number(incoming.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return fail(new AnswerTooLarge());
    const chunks: Buffer[] = [];
    let total = 0;
    let ended = false;
    incoming.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return fail(new AnswerTooLarge());
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      ended = true;
      try {
        resolve({
          status: incoming.statusCode ?? 0,
          headers: headersOf(incoming),
          body: Buffer.concat(chunks, total),
        });
      } catch (error) {
        reject(error as Error); // a header that Headers refuses, as fetch would have refused it
      }
    });
    incoming.on('error', reject);
    // Closed before its end without an error of its own (the signal destroyed the request).
    incoming.on('close', () => {
      if (!ended) reject(new Error('The answer broke off before its end.'));
    });
  });
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The answer as a fetch `Response`, for callers whose library takes one (openid-client, oidc-provider). */
export function toResponse(answer: WireAnswer): Response {
  const body = NULL_BODY_STATUSES.has(answer.status) ? null : new Uint8Array(answer.body);
  return new Response(body, { status: answer.status, headers: answer.headers });
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

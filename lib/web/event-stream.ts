/**
 * A server-sent-events status stream: the wait page opens it with `EventSource` and hears each new
 * state of its challenge as `event: state` with the state as JSON, until a final state ends it.
 *
 * Built on Node's http response rather than `better-sse` (0.16, zero dependencies, typed, works with
 * Express 4 and 5): this stream is one event type, one retry hint and one heartbeat, about forty
 * lines, and the part that matters here (ending the source and the timer when the client leaves) is
 * ours to write either way; a runtime dependency of the library for that is not worth it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Options of `streamStates`.
 */
export interface EventStreamOptions<S> {
  /** The reconnect delay the browser is told (`retry:`), in ms (default 3000). */
  retryMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream, in ms (default 15,000). */
  heartbeatMs?: number;
  /** Whether a state ends the stream (default: any state but `pending` and `fetched`). */
  isFinal?: (state: S) => boolean;
}

/**
 * The states to stream, newest last. It must stop (return, or throw) soon after `signal` aborts:
 * the signal aborts when the client goes away or the stream ends.
 */
export type StateSource<S> = (signal: AbortSignal) => AsyncIterable<S>;

/**
 * How a stream ended.
 */
export type EventStreamEnd =
  /** A final state was sent. */
  | 'final'
  /** The source had no more states. */
  | 'source-ended'
  /** The client closed the connection first. */
  | 'client-closed'
  /** A HEAD request: headers only, the source was never read. */
  | 'headers-only';

const NOT_FINAL = new Set(['pending', 'fetched']);

/** The default end of a stream: any state but `pending` and `fetched`. */
export function isFinalState(state: { state: string }): boolean {
  return !NOT_FINAL.has(state.state);
}

/** Sends a status stream's headers (a `HEAD` request then ends it). */
export function openEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-store: a status must never be replayed from a cache; no buffering: nginx would hold events.
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  // Node keeps the header it built as a rope of some 25 pieces for the stream's whole life (about
  // 0.8 KB per open stream); reading a character makes V8 flatten it in place into one string.
  const header = (res as ServerResponse & { _header?: unknown })._header;
  if (typeof header === 'string') header.charCodeAt(0);
}

/** The reconnect hint a stream starts with. */
export function retryLine(retryMs: number): string {
  return `retry: ${Math.max(0, Math.floor(retryMs))}\n\n`;
}

/** One state as an `event: state` block; JSON.stringify escapes line breaks, so the data is one line. */
export function stateEvent(state: unknown): string {
  return `event: state\ndata: ${JSON.stringify(state)}\n\n`;
}

/** Writes a block of a stream now. */
export function writeEvent(res: ServerResponse, text: string): void {
  res.write(text);
  // Compression middleware holds small writes until flushed.
  (res as ServerResponse & { flush?: () => void }).flush?.();
}

/** A comment that keeps proxies from closing an idle stream; skipped while the client has not drained. */
export function writeHeartbeat(res: ServerResponse): void {
  // A slow client's unread heartbeats would only pile up in memory.
  if (!res.writableNeedDrain) writeEvent(res, ': heartbeat\n\n');
}

/**
 * Writes `source`'s states to `res` as a `text/event-stream` until a final state, the end of the
 * source or the client's leaving, then ends the response. Resolves with how it ended, once no
 * timer, listener or source wait of the stream is left; rejects with the source's error (after
 * ending the stream: the client reconnects after `retryMs`).
 */
export async function streamStates<S extends { state: string }>(
  req: IncomingMessage,
  res: ServerResponse,
  source: StateSource<S>,
  options: EventStreamOptions<S> = {},
): Promise<EventStreamEnd> {
  // Gone already (the handler awaited something first): 'close' will not fire again, start nothing.
  if (res.destroyed) return 'client-closed';
  const { retryMs = 3000, heartbeatMs = 15_000, isFinal = isFinalState } = options;
  openEventStream(res);
  if (req.method === 'HEAD') {
    res.end();
    return 'headers-only';
  }

  const closed = new AbortController();
  const onClose = () => closed.abort();
  res.once('close', onClose);
  const heartbeat = setInterval(() => writeHeartbeat(res), heartbeatMs);

  try {
    writeEvent(res, retryLine(retryMs));
    for await (const state of source(closed.signal)) {
      if (closed.signal.aborted) return 'client-closed';
      writeEvent(res, stateEvent(state));
      if (isFinal(state)) return 'final';
    }
    return closed.signal.aborted ? 'client-closed' : 'source-ended';
  } catch (error) {
    if (closed.signal.aborted) return 'client-closed';
    throw error;
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    // Releases a source that is still waiting (a final state or an error ended the loop).
    closed.abort();
    if (!res.writableEnded) res.end();
  }
}

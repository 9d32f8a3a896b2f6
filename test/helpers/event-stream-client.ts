/**
 * A minimal EventSource for tests: opens a `text/event-stream` on loopback (with the browser's
 * cookie) and hands out its `state` events one by one, as parsed JSON.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';

/** An open status stream. */
export interface StateStream {
  response: IncomingMessage;
  /** The next `state` event's data, or null when the stream ended. */
  nextState(): Promise<Record<string, unknown> | null>;
  close(): void;
}

/** Opens `url` as an event stream, sending `cookie` when given. */
export function openStateStream(url: string, cookie?: string): Promise<StateStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (cookie) headers.Cookie = cookie;
    const req = httpRequest(url, { headers }, (response) => {
      let buffer = '';
      let ended = false;
      const ready: Record<string, unknown>[] = [];
      let waiting: ((state: Record<string, unknown> | null) => void) | undefined;
      const flush = () => {
        if (!waiting) return;
        const state = ready.shift();
        if (state || ended) {
          const wake = waiting;
          waiting = undefined;
          wake(state ?? null);
        }
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const data = lines.find((line) => line.startsWith('data: '));
          if (lines.includes('event: state') && data) ready.push(JSON.parse(data.slice(6)));
        }
        flush();
      });
      response.on('end', () => {
        ended = true;
        flush();
      });
      resolve({
        response,
        nextState: () =>
          new Promise((wake) => {
            waiting = wake;
            flush();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

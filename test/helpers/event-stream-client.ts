/**
 * A minimal EventSource for tests: opens a `text/event-stream` on loopback (with the browser's
 * cookie), parses the raw stream block by block as a browser would, and hands out its blocks, or
 * just its `state` events as parsed JSON.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';

/** One block of the stream: an event, a comment (heartbeat) or the retry hint. */
export interface EventBlock {
  event?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

/** An open event stream. */
export interface EventStreamClient {
  response: IncomingMessage;
  /** The next block, or null when the stream ended. */
  next(): Promise<EventBlock | null>;
  /** The next `state` event's data (skipping heartbeats and the retry hint), or null at the end. */
  nextState(): Promise<Record<string, unknown> | null>;
  close(): void;
}

function parseBlock(text: string): EventBlock {
  const block: EventBlock = {};
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) block.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) block.event = line.slice(7);
    else if (line.startsWith('data: ')) block.data = line.slice(6);
    else if (line.startsWith('retry: ')) block.retry = Number(line.slice(7));
  }
  return block;
}

/** Opens `url` as an event stream (`method` GET or HEAD), sending `cookie` when given. */
export function openEventStream(
  url: string,
  options: { cookie?: string; method?: string } = {},
): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.cookie) headers.Cookie = options.cookie;
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (response) => {
      let buffer = '';
      let ended = false;
      const ready: EventBlock[] = [];
      let waiting: ((block: EventBlock | null) => void) | undefined;
      const flush = () => {
        if (!waiting) return;
        const block = ready.shift();
        if (block || ended) {
          const wake = waiting;
          waiting = undefined;
          wake(block ?? null);
        }
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          ready.push(parseBlock(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        flush();
      });
      response.on('end', () => {
        ended = true;
        flush();
      });
      const next = () =>
        new Promise<EventBlock | null>((wake) => {
          waiting = wake;
          flush();
        });
      resolve({
        response,
        next,
        async nextState() {
          for (;;) {
            const block = await next();
            if (block === null) return null;
            if (block.event === 'state' && block.data !== undefined) {
              return JSON.parse(block.data) as Record<string, unknown>;
            }
          }
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the status stream at `url` with the browser's `cookie`. */
export function openStateStream(url: string, cookie?: string): Promise<EventStreamClient> {
  return openEventStream(url, cookie ? { cookie } : {});
}

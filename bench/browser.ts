/**
 * The smallest "browser" the benchmarks need: JSON requests with one session cookie, kept across
 * answers (a login replaces it). No redirects followed. Sent with node:http over one keep-alive
 * pool, not `fetch`: at a surge of thousands of browsers the bench's own `fetch` (request clones,
 * web streams, abort signals) took seconds of the bench process's event loop, and that wait landed
 * in the latencies measured.
 */
import { Agent, request } from 'node:http';
import type { SecSignIdSimulator } from '../lib/testing';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One pool for every browser of this process, as a load balancer's clients would share sockets. */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

interface RawAnswer {
  status: number;
  setCookie: readonly string[];
  text: string;
}

function sendOnce(url: URL, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<RawAnswer & { reused: boolean }>((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          setCookie: res.headers['set-cookie'] ?? [],
          text,
          reused: req.reusedSocket,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { reused: req.reusedSocket })),
    );
    req.end(body);
  });
}

export class Browser {
  cookie: string | undefined;
  /** Requests sent, for "browser requests per login". */
  requests = 0;

  constructor(readonly base: string) {}

  async get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  async post(path: string, body: object): Promise<Answer> {
    return this.send('POST', path, body);
  }

  private async send(method: string, path: string, body?: object): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.cookie) headers['Cookie'] = this.cookie;
    const payload = body ? JSON.stringify(body) : undefined;
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    this.requests += 1;
    const url = new URL(this.base + path);
    let answer: RawAnswer;
    try {
      answer = await sendOnce(url, method, headers, payload);
    } catch (error) {
      // A kept-alive socket the server closed just as it was reused: the request never reached
      // the app (Node's documented case), so it is sent again once, on a fresh socket.
      const { code, reused } = error as NodeJS.ErrnoException & { reused?: boolean };
      if (!reused || code !== 'ECONNRESET')
        throw new Error(`${method} ${path}: ${code ?? 'failed'}`, { cause: error });
      answer = await sendOnce(url, method, headers, payload);
    }
    const set = answer.setCookie.find((c) => c.startsWith('connect.sid='));
    if (set) this.cookie = set.split(';')[0];
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      parsed = { text: answer.text };
    }
    return { status: answer.status, body: parsed };
  }
}

/** Starts a login and returns the access pass the page would show. */
export async function startLogin(browser: Browser, userId: string): Promise<string> {
  const started = await browser.post('/auth/push/start', { username: userId });
  if (started.status !== 202)
    throw new Error(`start for ${userId}: ${started.status} ${JSON.stringify(started.body)}`);
  const display = started.body['display'] as { accessPass?: string } | undefined;
  return display?.accessPass ?? '';
}

/** The phone picks the pass the page showed; true once the simulator accepted it. */
export function approveOnPhone(sim: SecSignIdSimulator, userId: string, accessPass: string): boolean {
  const [pending] = sim.phone.pending(userId);
  if (!pending) return false;
  return sim.phone.approve(pending.id, (pending.choices ?? []).indexOf(accessPass));
}

export function checksOf(sim: SecSignIdSimulator): number {
  return sim.calls['ReqGetAuthSessionState'] ?? 0;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

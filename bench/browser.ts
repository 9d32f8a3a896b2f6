/**
 * The smallest "browser" the benchmarks need: JSON requests with one session cookie, kept across
 * answers (a login replaces it). Node's fetch, keep-alive, no redirects followed.
 */
import type { SecSignIdSimulator } from '../lib/testing';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
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
    if (body) headers['Content-Type'] = 'application/json';
    this.requests += 1;
    const response = await fetch(this.base + path, {
      method,
      headers,
      redirect: 'manual',
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith('connect.sid='));
    if (set) this.cookie = set.split(';')[0];
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
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

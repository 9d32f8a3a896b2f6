/**
 * `npm run bench:load`: N concurrent logins (default 500, each its own user and cookie jar)
 * through the SecSign ID simulator and the app a library user writes, each approved on the phone.
 * Reports whether every login completed exactly once, whether any browser ended up as somebody
 * else, and whether any pending record was left in the session store. Loopback only, bounded in
 * count and time; exits non-zero on any violation. Not a timed test: the durations are information.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SecSignIdProvider } from '../lib';
import { SecSignIdSimulator } from '../lib/testing/secsign-id-simulator';
import { buildTestApp, sessionIds, type TestApp } from '../test/helpers/app';

export interface LoadOptions {
  /** Concurrent logins (distinct users). Default 500, at most 2000. */
  logins?: number;
  /** Give up on the whole run after this long. Default 60 000 ms. */
  deadlineMs?: number;
}

export interface LoadResult {
  logins: number;
  completed: number;
  /** Users whose verify callback ran other than exactly once. */
  notExactlyOnce: string[];
  /** Browsers whose /me named another user (or nobody). */
  crossed: string[];
  /** Sessions still holding a pending record afterwards. */
  leftoverRecords: number;
  /** Pre-login session ids still in the store afterwards. */
  revivedSessions: number;
  failures: string[];
  durationMs: number;
  providerCalls: Readonly<Record<string, number>>;
}

const POLL_MS = 100;

export async function runLoadLogins(options: LoadOptions = {}): Promise<LoadResult> {
  const logins = Math.min(Math.max(1, options.logins ?? 500), 2000);
  const deadline = AbortSignal.timeout(options.deadlineMs ?? 60_000);
  const users = Array.from({ length: logins }, (_, i) => `load-user-${i}`);
  const sim = await SecSignIdSimulator.start({ users, decoys: 1 });
  const provider = new SecSignIdProvider({
    endpoint: sim.url,
    fallbackEndpoint: null,
    allowInsecureHttp: true,
    serviceName: 'Load test',
    serviceAddress: 'http://127.0.0.1',
    pollIntervalMs: POLL_MS,
    timeoutMs: 10_000,
  });
  const test = buildTestApp({ provider });
  const server = await listen(test);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const began = performance.now();
  try {
    const outcomes = await Promise.all(users.map((user) => oneLogin(base, sim, user, deadline)));
    return await report(test, users, outcomes, sim, performance.now() - began);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sim.close();
  }
}

interface Outcome {
  user: string;
  preLoginSid?: string;
  me?: string;
  error?: string;
}

/** One browser: start, approve the pass it shows on the phone, poll until logged in, ask /me. */
async function oneLogin(
  base: string,
  sim: SecSignIdSimulator,
  user: string,
  signal: AbortSignal,
): Promise<Outcome> {
  let cookie = '';
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      signal,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Cookie: cookie },
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith('connect.sid='));
    if (set) cookie = set.split(';')[0] ?? '';
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  try {
    const started = await call('/auth/push/start', {
      method: 'POST',
      body: JSON.stringify({ username: user }),
    });
    if (started.status !== 202) return { user, error: `start ${started.status}` };
    const preLoginSid = sidOf(cookie);
    const pass = (started.body['display'] as { accessPass?: string }).accessPass ?? '';
    const request = sim.phone.pending(user).find((r) => r.choices?.includes(pass));
    if (!request || !sim.phone.approve(request.id, request.choices?.indexOf(pass))) {
      return { user, preLoginSid, error: 'the phone could not approve' };
    }
    for (;;) {
      const status = await call('/auth/push/status');
      if (status.status === 200) break;
      if (status.status !== 202 && status.status !== 503)
        return { user, preLoginSid, error: `poll ${status.status}` };
      await new Promise((resolve) =>
        setTimeout(resolve, Number(status.body['retryAfterMs'] ?? POLL_MS) || POLL_MS),
      );
    }
    const me = await call('/me');
    return { user, preLoginSid, me: (me.body['user'] as { id?: string } | null)?.id };
  } catch (error) {
    return { user, error: error instanceof Error ? error.message : String(error) };
  }
}

async function report(
  test: TestApp,
  users: string[],
  outcomes: Outcome[],
  sim: SecSignIdSimulator,
  durationMs: number,
): Promise<LoadResult> {
  const verifiedCount = new Map<string, number>();
  for (const { subject } of test.verified) verifiedCount.set(subject, (verifiedCount.get(subject) ?? 0) + 1);
  const ids = new Set(await sessionIds(test.store));
  let leftoverRecords = 0;
  for (const id of ids) {
    const data = await new Promise<Record<string, unknown> | null | undefined>((resolve) =>
      test.store.get(id, (_error, session) => resolve(session as Record<string, unknown> | null | undefined)),
    );
    if (Object.keys(data ?? {}).some((key) => key.startsWith('push:'))) leftoverRecords += 1;
  }
  return {
    logins: users.length,
    completed: outcomes.filter((o) => o.me !== undefined && o.error === undefined).length,
    notExactlyOnce: users.filter((u) => verifiedCount.get(u) !== 1),
    crossed: outcomes.filter((o) => o.error === undefined && o.me !== o.user).map((o) => o.user),
    leftoverRecords,
    revivedSessions: outcomes.filter((o) => o.preLoginSid !== undefined && ids.has(o.preLoginSid)).length,
    failures: outcomes.filter((o) => o.error !== undefined).map((o) => `${o.user}: ${o.error ?? ''}`),
    durationMs,
    providerCalls: sim.calls,
  };
}

function listen(test: TestApp): Promise<Server> {
  return new Promise((resolve) => {
    const server = test.app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice('connect.sid='.length));
  return value.slice(2, value.lastIndexOf('.'));
}

export function violations(result: LoadResult): string[] {
  const found: string[] = [];
  if (result.completed !== result.logins)
    found.push(`${result.logins - result.completed} logins did not complete`);
  if (result.notExactlyOnce.length > 0)
    found.push(`${result.notExactlyOnce.length} users not verified exactly once`);
  if (result.crossed.length > 0) found.push(`${result.crossed.length} browsers logged in as someone else`);
  if (result.leftoverRecords > 0) found.push(`${result.leftoverRecords} pending records left in the store`);
  if (result.revivedSessions > 0)
    found.push(`${result.revivedSessions} pre-login sessions still in the store`);
  return found;
}

async function main(): Promise<void> {
  const logins = Number(process.env['LOAD_LOGINS'] ?? 500);
  const result = await runLoadLogins({ logins });
  const rows: [string, string][] = [
    ['concurrent logins', String(result.logins)],
    ['completed (200 + own /me)', String(result.completed)],
    ['verified ≠ exactly once', String(result.notExactlyOnce.length)],
    ['crossed to another session', String(result.crossed.length)],
    ['pending records left', String(result.leftoverRecords)],
    ['pre-login sessions left', String(result.revivedSessions)],
    ['provider calls', JSON.stringify(result.providerCalls)],
    ['wall time', `${(result.durationMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
  for (const failure of result.failures.slice(0, 10)) console.log(`  failure: ${failure}`);
  const found = violations(result);
  if (found.length > 0) {
    console.error(`VIOLATIONS: ${found.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log('OK: every login completed exactly once, in its own session, leaving nothing behind.');
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/**
 * Approval → logged-in latency: the phone approves at a random moment; the browser either polls as
 * the wait page's poller does (honouring retryAfterMs, at least 250 ms apart) or holds a long poll
 * (`pushLogin({ longPollMs })`) and asks again at once when one ends. Measured from the approval to
 * the 200 authenticated answer. The logins of one mode run side by side.
 */
import { SecSignIdSimulator } from '../lib/testing';
import { buildPushApp, listen } from './apps';
import { approveOnPhone, Browser, checksOf, delay, percentile, startLogin } from './browser';

export interface LatencySettings {
  intervalMs: number;
  logins: number;
  longPollMs: number;
  /** The phone approves uniformly between these, after the start. */
  approveWindowMs: readonly [number, number];
}

export interface LatencyMode {
  mode: 'poller' | 'long poll';
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  browserRequestsPerLogin: number;
  providerChecksPerLogin: number;
}

export interface LatencyResult {
  settings: LatencySettings;
  modes: LatencyMode[];
}

/** The wait page's poller (lib/web/client/poller.js): next poll after retryAfterMs, clamped to 250 ms–10 s. */
const pollerDelay = (retryAfterMs: unknown) =>
  Math.min(Math.max(typeof retryAfterMs === 'number' ? retryAfterMs : 2000, 250), 10_000);

export async function measureLatency(settings: LatencySettings): Promise<LatencyResult> {
  const modes: LatencyMode[] = [];
  for (const mode of ['poller', 'long poll'] as const) modes.push(await measureMode(mode, settings));
  return { settings, modes };
}

async function measureMode(mode: LatencyMode['mode'], settings: LatencySettings): Promise<LatencyMode> {
  const users = Array.from({ length: settings.logins }, (_, i) => `late${i}`);
  const sim = await SecSignIdSimulator.start({ users });
  const push = buildPushApp({
    simulatorUrl: sim.url,
    providerPollIntervalMs: settings.intervalMs,
    ...(mode === 'long poll' ? { longPollMs: settings.longPollMs } : {}),
  });
  const server = await listen(push.app);
  try {
    const runs = await Promise.all(users.map((user) => oneLogin(server.url, sim, user, mode, settings)));
    const latencies = runs.map((r) => r.latencyMs);
    return {
      mode,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      browserRequestsPerLogin: runs.reduce((sum, r) => sum + r.requests, 0) / runs.length,
      providerChecksPerLogin: checksOf(sim) / runs.length,
    };
  } finally {
    await server.close();
    await sim.close();
  }
}

async function oneLogin(
  url: string,
  sim: SecSignIdSimulator,
  userId: string,
  mode: LatencyMode['mode'],
  settings: LatencySettings,
): Promise<{ latencyMs: number; requests: number }> {
  const browser = new Browser(url);
  const [from, to] = settings.approveWindowMs;
  const approveAfter = from + Math.random() * (to - from);
  const startedAt = performance.now();
  const accessPass = await startLogin(browser, userId);
  let approvedAt: number | undefined;
  const approval = (async () => {
    await delay(Math.max(0, approveAfter - (performance.now() - startedAt)));
    if (!approveOnPhone(sim, userId, accessPass)) throw new Error(`the phone could not approve ${userId}`);
    approvedAt = performance.now();
  })();

  const requestsBefore = browser.requests;
  const deadline = startedAt + to + settings.longPollMs + 10 * settings.intervalMs;
  let wait = mode === 'poller' ? pollerDelay(settings.intervalMs) : 0;
  let doneAt: number | undefined;
  while (doneAt === undefined && performance.now() < deadline) {
    if (wait > 0) await delay(wait);
    const answer = await browser.get('/auth/push/status');
    if (answer.status === 200 && answer.body['state'] === 'authenticated') doneAt = performance.now();
    else if (answer.status !== 202) throw new Error(`unexpected poll answer ${answer.status}`);
    else wait = mode === 'poller' ? pollerDelay(answer.body['retryAfterMs']) : 0;
  }
  await approval;
  if (doneAt === undefined || approvedAt === undefined) throw new Error(`${userId} did not log in in time`);
  return { latencyMs: doneAt - approvedAt, requests: browser.requests - requestsBefore };
}

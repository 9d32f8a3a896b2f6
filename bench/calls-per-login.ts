/**
 * Provider calls per completed login when the browser polls far faster than the interval, from
 * several tabs at once, and the phone approves after T ms. The bound: ceil(T / interval) + 1.
 */
import { SecSignIdSimulator } from '../lib/testing';
import { buildPushApp, listen } from './apps';
import { approveOnPhone, Browser, checksOf, delay, startLogin } from './browser';

export interface CallsSettings {
  intervalMs: number;
  tabs: number;
  /** Each tab's pause between polls, ignoring Retry-After. */
  tabPollMs: number;
  /** When the phone approves, after the start. */
  approveAfterMs: readonly number[];
}

export interface LoginCalls {
  approveAfterMs: number;
  /** Measured from sending the start to the phone's approval. */
  actualApproveAfterMs: number;
  providerChecks: number;
  bound: number;
  withinBound: boolean;
  browserPolls: number;
}

export interface CallsResult {
  settings: CallsSettings;
  logins: LoginCalls[];
  allWithinBound: boolean;
}

export async function measureCallsPerLogin(settings: CallsSettings): Promise<CallsResult> {
  const users = settings.approveAfterMs.map((_, i) => `tabs${i}`);
  const sim = await SecSignIdSimulator.start({ users });
  const push = buildPushApp({ simulatorUrl: sim.url, providerPollIntervalMs: settings.intervalMs });
  const server = await listen(push.app);
  const logins: LoginCalls[] = [];
  try {
    for (const [i, approveAfterMs] of settings.approveAfterMs.entries()) {
      const userId = users[i] ?? 'tabs';
      logins.push(await oneLogin(server.url, sim, userId, approveAfterMs, settings));
    }
  } finally {
    await server.close();
    await sim.close();
  }
  return { settings, logins, allWithinBound: logins.every((l) => l.withinBound) };
}

async function oneLogin(
  url: string,
  sim: SecSignIdSimulator,
  userId: string,
  approveAfterMs: number,
  settings: CallsSettings,
): Promise<LoginCalls> {
  const checksBefore = checksOf(sim);
  const first = new Browser(url);
  const startedAt = performance.now();
  const accessPass = await startLogin(first, userId);
  const tabs = [first, ...Array.from({ length: settings.tabs - 1 }, () => new Browser(url))];
  for (const tab of tabs) tab.cookie = first.cookie;
  const pollsBefore = tabs.reduce((sum, tab) => sum + tab.requests, 0);

  let approvedAt = 0;
  const approval = (async () => {
    await delay(Math.max(0, approveAfterMs - (performance.now() - startedAt)));
    if (!approveOnPhone(sim, userId, accessPass)) throw new Error(`the phone could not approve ${userId}`);
    approvedAt = performance.now();
  })();

  let loggedIn = false;
  const deadline = startedAt + approveAfterMs + 10 * settings.intervalMs + 5_000;
  const tab = async (browser: Browser) => {
    while (!loggedIn && performance.now() < deadline) {
      const answer = await browser.get('/auth/push/status');
      if (answer.status === 200 && answer.body['state'] === 'authenticated') loggedIn = true;
      else if (answer.status !== 202 && answer.status !== 404) {
        throw new Error(`unexpected poll answer ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      await delay(settings.tabPollMs);
    }
  };
  await Promise.all([approval, ...tabs.map(tab)]);
  if (!loggedIn) throw new Error(`${userId} was not logged in before the deadline`);

  const providerChecks = checksOf(sim) - checksBefore;
  const actualApproveAfterMs = approvedAt - startedAt;
  const bound = Math.ceil(actualApproveAfterMs / settings.intervalMs) + 1;
  return {
    approveAfterMs,
    actualApproveAfterMs,
    providerChecks,
    bound,
    withinBound: providerChecks <= bound,
    browserPolls: tabs.reduce((sum, t) => sum + t.requests, 0) - pollsBefore,
  };
}

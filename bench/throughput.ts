/**
 * Throughput of the poll route when the answer is local (inside the poll interval: no provider
 * call) next to a bare Express + express-session route, same store settings, same load: pushLogin
 * behind `passport.session()` (README's order) and mounted before passport (given the instance).
 * The servers run in a child process (one core), autocannon in this one (the other core).
 */
import autocannon from 'autocannon';
import { SecSignIdSimulator } from '../lib/testing';
import { buildBareApp, buildPushApp, listen, storedSessions, type Listening } from './apps';
import { Browser, checksOf, startLogin } from './browser';
import { forkRole } from './fork';

export interface LoadSettings {
  connections: number;
  /** Each route runs `rounds` × `roundSeconds`, the routes taking turns. */
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
}

export interface RouteResult {
  name: string;
  route: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  roundsRequestsPerSecond: number[];
  /** CPU the server process spent per request (user + system), over all rounds. */
  cpuMicrosecondsPerRequest: number;
}

export interface ThroughputResult {
  settings: LoadSettings;
  bare: RouteResult;
  barePassport: RouteResult;
  poll: RouteResult;
  pollFirst: RouteResult;
  /** poll / bare requests per second: the median of the rounds' ratios. */
  ratio: number;
  ratioRange: [number, number];
  /** poll / (bare + passport.session()) requests per second: pushLogin's own share. */
  ratioToBarePassport: number;
  /** The same two ratios with pushLogin mounted before passport. */
  ratioFirst: number;
  ratioFirstToBarePassport: number;
  /**
   * The same four ratios from the server's CPU per request (bare's over the poll's, the median of
   * the rounds' ratios): the rate each route would reach on a core of its own. CPU time does not count the time the process waited
   * for a core, so the VM's neighbours, which move requests per second by a third between rounds,
   * hardly move it.
   */
  cpuRatio: number;
  cpuRatioToBarePassport: number;
  cpuRatioFirst: number;
  cpuRatioFirstToBarePassport: number;
  /** Provider state requests during the poll run (must be 0: every answer was local). */
  providerChecksDuringRun: number;
  /** JSON bytes of the pending-challenge record, and of the whole session holding it. */
  recordBytes: number;
  sessionBytes: number;
  record: unknown;
}

interface Target {
  url: string;
  cookie: string;
}

interface ServersReady {
  type: 'ready';
  bare: Target;
  barePassport: Target;
  poll: Target;
  pollFirst: Target;
  recordBytes: number;
  sessionBytes: number;
  record: unknown;
}

interface ServersDone {
  type: 'done';
  providerChecks: number;
}

interface ServersCpu {
  type: 'cpu';
  /** process.cpuUsage(), user + system, in microseconds. */
  microseconds: number;
}

/** Child side: the three servers and a session on each; answers `stop` with the provider's call count. */
export async function serveTargets(): Promise<void> {
  const sim = await SecSignIdSimulator.start({ users: ['alice'] });
  const bare = buildBareApp(false);
  const barePassport = buildBareApp(true);
  // Intervals far beyond the run: every poll is answered from the session record.
  const pushSettings = {
    simulatorUrl: sim.url,
    providerPollIntervalMs: 60_000,
    pollIntervalMs: 600_000,
    challengeTimeoutMs: 600_000,
  };
  const push = buildPushApp(pushSettings);
  const pushFirst = buildPushApp({ ...pushSettings, mount: 'before-passport' });
  const servers: Listening[] = await Promise.all([
    listen(bare.app),
    listen(barePassport.app),
    listen(push.app),
    listen(pushFirst.app),
  ]);
  const [bareServer, barePassportServer, pushServer, pushFirstServer] = servers as [
    Listening,
    Listening,
    Listening,
    Listening,
  ];

  const loginTo = async (url: string): Promise<string> => {
    const browser = new Browser(url);
    await browser.post('/login', {});
    if (!browser.cookie) throw new Error('bare app set no cookie');
    return browser.cookie;
  };
  const browser = new Browser(pushServer.url);
  await startLogin(browser, 'alice');
  const browserFirst = new Browser(pushFirstServer.url);
  await startLogin(browserFirst, 'alice');
  if (!browser.cookie || !browserFirst.cookie) throw new Error('push app set no cookie');
  // The session with the login's record (the store also keeps the display beside it).
  const withRecord = (key: string) => (data: object) => Object.hasOwn(data, key);
  const session = Object.values(await storedSessions(push.store)).find(withRecord(push.strategy.sessionKey));
  const record = (session as unknown as Record<string, unknown> | undefined)?.[push.strategy.sessionKey];
  const sessionFirst = Object.values(await storedSessions(pushFirst.store)).find(
    withRecord(pushFirst.strategy.sessionKey),
  );
  const recordFirst = (sessionFirst as unknown as Record<string, unknown> | undefined)?.[
    pushFirst.strategy.sessionKey
  ];
  // The URL the wait page's poller asks: the challenge it shows, so a superseded tab learns it.
  const statusUrl = (url: string, stored: unknown) =>
    `${url}/auth/push/status?challenge=${encodeURIComponent(String((stored as { id?: unknown })?.id))}`;
  const checksBefore = checksOf(sim);

  const ready: ServersReady = {
    type: 'ready',
    bare: { url: `${bareServer.url}/bare`, cookie: await loginTo(bareServer.url) },
    barePassport: { url: `${barePassportServer.url}/bare`, cookie: await loginTo(barePassportServer.url) },
    poll: { url: statusUrl(pushServer.url, record), cookie: browser.cookie },
    pollFirst: { url: statusUrl(pushFirstServer.url, recordFirst), cookie: browserFirst.cookie },
    recordBytes: Buffer.byteLength(JSON.stringify(record)),
    sessionBytes: Buffer.byteLength(JSON.stringify(session)),
    record,
  };
  process.send?.(ready);
  // `cpu` asks for the CPU this process has spent (read before and after each round); `stop` ends it.
  await new Promise<void>((resolve) =>
    process.on('message', (message: { type?: string }) => {
      if (message.type !== 'cpu') return resolve();
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', microseconds: user + system } satisfies ServersCpu);
    }),
  );
  const done: ServersDone = { type: 'done', providerChecks: checksOf(sim) - checksBefore };
  process.send?.(done);
  await Promise.all(servers.map((server) => server.close()));
  await sim.close();
  process.disconnect?.();
}

async function load(target: Target, seconds: number, connections: number) {
  return autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers: { accept: 'application/json', cookie: target.cookie },
  });
}

type Run = Awaited<ReturnType<typeof load>> & { cpuMicroseconds: number };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function summarise(name: string, target: Target, runs: readonly Run[]): RouteResult {
  const requests = runs.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = runs.reduce((sum, r) => sum + r.duration, 0);
  return {
    name,
    route: new URL(target.url).pathname,
    requestsPerSecond: requests / seconds,
    latencyP50Ms: median(runs.map((r) => r.latency.p50)),
    latencyP99Ms: median(runs.map((r) => r.latency.p99)),
    requests,
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    roundsRequestsPerSecond: runs.map((r) => Math.round(r.requests.average)),
    cpuMicrosecondsPerRequest: runs.reduce((sum, r) => sum + r.cpuMicroseconds, 0) / requests,
  };
}

/**
 * Parent side: warm up each route, then alternate short rounds (bare, poll, bare + passport, poll
 * before passport) so that drift of a shared machine hits all alike; a ratio is the median of the
 * rounds' ratios.
 */
export async function measureThroughput(settings: LoadSettings): Promise<ThroughputResult> {
  const child = forkRole('servers');
  try {
    const ready = await child.next<ServersReady>();
    const { connections, rounds, roundSeconds, warmupSeconds } = settings;
    const cpu = async () => {
      child.send({ type: 'cpu' });
      return (await child.next<ServersCpu>()).microseconds;
    };
    const measuredRound = async (target: Target): Promise<Run> => {
      const before = await cpu();
      const run = await load(target, roundSeconds, connections);
      return { ...run, cpuMicroseconds: (await cpu()) - before };
    };
    const routes = [ready.bare, ready.poll, ready.barePassport, ready.pollFirst];
    for (const target of routes) await load(target, warmupSeconds, connections);
    const runs: Run[][] = routes.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, target] of routes.entries()) runs[i]?.push(await measuredRound(target));
    }
    const [bareRuns = [], pollRuns = [], barePassportRuns = [], pollFirstRuns = []] = runs;
    const ratiosTo = (numerator: Run[], denominator: Run[]) =>
      numerator.map((r, i) => r.requests.average / (denominator[i]?.requests.average ?? NaN));
    const ratios = ratiosTo(pollRuns, bareRuns);
    child.send({ type: 'stop' });
    const done = await child.next<ServersDone>();
    await child.exit();
    const bare = summarise('bare express-session', ready.bare, bareRuns);
    const poll = summarise('poll, local answer', ready.poll, pollRuns);
    const barePassport = summarise('bare + passport.session()', ready.barePassport, barePassportRuns);
    const pollFirst = summarise('poll, pushLogin before passport', ready.pollFirst, pollFirstRuns);
    // Per round, as the requests per second: a burst of the neighbours' load moves one round's pair.
    const cpuPerRequest = (r: Run) => r.cpuMicroseconds / r.requests.total;
    const cpuRatio = (numerator: Run[], denominator: Run[]) =>
      median(numerator.map((r, i) => cpuPerRequest(denominator[i] ?? r) / cpuPerRequest(r)));
    return {
      settings,
      bare,
      poll,
      barePassport,
      pollFirst,
      cpuRatio: cpuRatio(pollRuns, bareRuns),
      cpuRatioToBarePassport: cpuRatio(pollRuns, barePassportRuns),
      cpuRatioFirst: cpuRatio(pollFirstRuns, bareRuns),
      cpuRatioFirstToBarePassport: cpuRatio(pollFirstRuns, barePassportRuns),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      ratioToBarePassport: median(ratiosTo(pollRuns, barePassportRuns)),
      ratioFirst: median(ratiosTo(pollFirstRuns, bareRuns)),
      ratioFirstToBarePassport: median(ratiosTo(pollFirstRuns, barePassportRuns)),
      providerChecksDuringRun: done.providerChecks,
      recordBytes: ready.recordBytes,
      sessionBytes: ready.sessionBytes,
      record: ready.record,
    };
  } finally {
    await child.exit(1000);
  }
}

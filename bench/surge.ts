/**
 * A login surge across instances: two app instances behind one Redis (sessions in connect-redis,
 * `redisStores(client)`, the bus), a CIBA ping provider (the embedded OP, pinging instance B), and
 * N logins started within 2 seconds, every browser request sent to either instance at random (a
 * load balancer without stickiness), each browser holding long polls until it is signed in, the
 * phone approving each at a random moment. Counted: logins signed in, verify calls per login
 * (exactly one each), 5xx answers (none), approval → signed in p50/p95, and Redis commands per
 * login (INFO commandstats before and after). As in production, the OP runs in a process of its
 * own, each instance in another, and the browsers in the bench process (surge-processes.ts); an
 * approval is timed from the moment the bench tells the OP process to approve.
 *
 * `BENCH_ONLY=surge` (`SURGE_LOGINS=200` for a quick run; the rest in `surgeSettings`).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createClient } from 'redis';
import { hasRedisServer, startRedisServer } from '../test/helpers/redis-server';
import { Browser, delay, percentile, type Answer } from './browser';
import { forkRole, type Child } from './fork';
import { recordProcess, type ProcessStats } from './process-stats';
import type { InstanceMessage, OpMessage } from './surge-processes';

export interface SurgeSettings {
  logins: number;
  /** The starts are spread evenly over this long. */
  startWindowMs: number;
  /** The phone approves uniformly between these, after the start (past the 1 s floor). */
  approveWindowMs: readonly [number, number];
  longPollMs: number;
  /** The strategy's `pollIntervalMs`: with CIBA ping, the fallback check for a lost ping. */
  pollIntervalMs: number;
  /**
   * Logins run first, in the same way, and not counted: production instances are warm (V8 has
   * compiled the hot paths, the pools hold connections) before a morning surge.
   */
  warmupLogins: number;
}

export interface SurgeResult {
  settings: SurgeSettings;
  /** Why it did not run (no redis-server). */
  skipped?: string;
  /** From the first start sent to the last start answered. */
  startSpreadMs: number;
  signedIn: number;
  /** Logins whose user was verified (logged in) exactly once, more than once, never. */
  exactlyOnce: number;
  moreThanOnce: number;
  never: number;
  /** Answers with a 5xx status, over every browser request. */
  serverErrors: number;
  /** Browser answers other than 200 and 202, by `METHOD path status` (where a 5xx came from). */
  answers: Record<string, number>;
  /** Other failures: a start not accepted, an unexpected poll answer. */
  failures: number;
  /** Pings the OP gave up delivering (its own timeout); those logins wait for a check. */
  pingFailures: number;
  /**
   * Connections the kernel dropped during the surge because a server's accept queue was full
   * (`ListenOverflows` in /proc/net/netstat, every process on the machine; Linux only). Each is a
   * client's SYN retried after 1, 3, 7 s: the servers here listen with a backlog of 4,096.
   */
  listenOverflows?: number;
  browserRequestsPerLogin: number;
  approvalToSignedInMs: {
    p50: number;
    p95: number;
    max: number;
    /** Approvals sent before the last start was answered (they queue behind the starts), and after. */
    whileStarting?: { count: number; p50: number; p95: number };
    afterStarts?: { count: number; p50: number; p95: number };
  };
  /** Redis commands per login (every instance's, sessions included), and the busiest commands. */
  redisCommandsPerLogin: number;
  redisTopCommands: Record<string, number>;
  /** Token requests per login at the OP (1 = one check per login). */
  tokenRequestsPerLogin: number;
  /** What each process did during the surge (the browsers', the OP's, each instance's): which one is saturated. */
  processes: ProcessStats[];
  /**
   * CPU time per login, in ms: every process above and redis-server (INFO cpu), and the cores the
   * surge would need to keep up (that CPU, over the time from the first start to the last approval).
   * Past this machine's cores, work queues and the latency grows with the backlog, whatever the code.
   */
  cpu?: { msPerLogin: Record<string, number>; totalMsPerLogin: number; coresToKeepUp: number; cores: number };
}

/** The warm-up's phone approves soon: it only has to run every path once before the surge. */
const WARMUP_APPROVE_MS = [300, 1300] as const;

/** A browser behind the load balancer: each request goes to either instance, the cookie follows. */
class BalancedBrowser {
  private cookie: string | undefined;
  requests = 0;

  constructor(
    private readonly sides: readonly Browser[],
    private readonly statuses: string[],
  ) {}

  async send(method: 'GET' | 'POST', path: string, body?: object): Promise<Answer> {
    const side = this.sides[Math.floor(Math.random() * this.sides.length)] as Browser;
    side.cookie = this.cookie;
    this.requests += 1;
    let answer: Answer;
    try {
      answer = method === 'GET' ? await side.get(path) : await side.post(path, body ?? {});
    } catch (error) {
      // No answer at all (a connection refused, reset or not accepted in time): recorded as status
      // 0 with its cause, for the caller to treat as the page would, not the end of the run.
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? 'network error';
      this.statuses.push(`${method} ${path} 0 (${cause})`);
      return { status: 0, body: {} };
    }
    this.cookie = side.cookie;
    this.statuses.push(`${method} ${path} ${answer.status}`);
    return answer;
  }
}

function isServerError(answer: string): boolean {
  return Number(answer.split(' ')[2]) >= 500;
}

function tally(items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** The kernel's count of connections dropped on a full accept queue (Linux), or undefined. */
function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const names = lines.find((line) => line.startsWith('TcpExt:'))?.split(' ');
    const values = lines.filter((line) => line.startsWith('TcpExt:'))[1]?.split(' ');
    const at = names?.indexOf('ListenOverflows') ?? -1;
    return at > 0 && values ? Number(values[at]) : undefined;
  } catch {
    return undefined;
  }
}

/** Redis commands run so far, by command (from INFO commandstats). */
/** redis-server's own CPU time so far, in ms (INFO cpu: used_cpu_user + used_cpu_sys). */
async function redisCpuMs(client: { info(section: string): Promise<string> }): Promise<number> {
  const text = await client.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

async function commandStats(client: {
  info(section: string): Promise<string>;
}): Promise<Record<string, number>> {
  const text = await client.info('commandstats');
  const stats: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    stats[match[1] as string] = Number(match[2]);
  }
  return stats;
}

export async function measureSurge(settings: SurgeSettings): Promise<SurgeResult> {
  const empty = {
    settings,
    startSpreadMs: 0,
    signedIn: 0,
    exactlyOnce: 0,
    moreThanOnce: 0,
    never: 0,
    serverErrors: 0,
    answers: {},
    failures: 0,
    pingFailures: 0,
    browserRequestsPerLogin: 0,
    approvalToSignedInMs: { p50: NaN, p95: NaN, max: NaN },
    redisCommandsPerLogin: 0,
    redisTopCommands: {},
    tokenRequestsPerLogin: 0,
    processes: [],
  };
  if (!hasRedisServer()) return { ...empty, skipped: 'redis-server is not on PATH' };
  const users = Array.from({ length: settings.logins }, (_, i) => `surge${i}`);
  const warmupUsers = Array.from({ length: settings.warmupLogins }, (_, i) => `surge${settings.logins + i}`);
  const redis = await startRedisServer();
  const op = forkRole('surge-op', [String(settings.logins + settings.warmupLogins)]);
  const browsers = recordProcess('browsers (bench)');
  const instances: Child[] = [];
  const stats = createClient({ url: redis.url });
  /** Every browser request's answer, as `METHOD path status`. */
  const statuses: string[] = [];
  let failures = 0;
  let lastStartAnswered = 0;
  let stopping = false;
  try {
    const { providerOptions } = await op.next<OpMessage & { type: 'ready' }>();
    const servers: { url: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const child = forkRole('surge-instance', [i === 0 ? 'A' : 'B']);
      instances.push(child);
      child.send({
        type: 'start',
        redisUrl: redis.url,
        longPollMs: settings.longPollMs,
        pollIntervalMs: settings.pollIntervalMs,
        providerOptions,
      });
      servers.push(await child.next<InstanceMessage & { type: 'ready' }>());
    }
    op.send({ type: 'deliver', url: `${servers[1]?.url}/auth/push/notify` });
    await stats.connect();
    let began = performance.now();
    const oneLogin = async (
      userId: string,
      index: number,
      count: number,
      [from, to]: readonly [number, number],
    ): Promise<{ ms?: number; approvedAt?: number; requests: number }> => {
      await delay((index * settings.startWindowMs) / count);
      const browser = new BalancedBrowser(
        servers.map((server) => new Browser(server.url)),
        statuses,
      );
      const started = await browser.send('POST', '/auth/push/start', { username: userId });
      lastStartAnswered = Math.max(lastStartAnswered, performance.now());
      if (started.status !== 202) {
        failures += 1;
        return { requests: browser.requests };
      }
      const startedAt = performance.now();
      const binding = (started.body['display'] as { bindingMessage?: string } | undefined)?.bindingMessage;
      if (binding === undefined) {
        failures += 1;
        return { requests: browser.requests };
      }
      let approvedAt = 0;
      const approval = (async () => {
        await delay(Math.max(0, from + Math.random() * (to - from) - (performance.now() - startedAt)));
        // A run that failed is stopping its processes: no phone is left to approve.
        if (stopping) return;
        approvedAt = performance.now();
        // The OP process finds the request by its binding message, approves it, then pings.
        op.send({ type: 'approve', user: userId, binding });
      })();
      for (;;) {
        const answer = await browser.send('GET', '/auth/push/status');
        if (answer.status === 200) {
          await approval;
          return { ms: performance.now() - approvedAt, approvedAt, requests: browser.requests };
        }
        // The wait page answers a 503 (a store or the OP too slow) by asking again after Retry-After,
        // and a request that got no answer by asking again after a pause.
        if (answer.status === 503 || answer.status === 0) {
          await delay(Number(answer.body['retryAfterMs'] ?? 2000));
          continue;
        }
        if (answer.status !== 202) {
          failures += 1;
          await approval;
          return { requests: browser.requests };
        }
      }
    };
    await Promise.all(
      warmupUsers.map((user, index) => oneLogin(user, index, warmupUsers.length, WARMUP_APPROVE_MS)),
    );
    statuses.length = 0;
    failures = 0;
    const before = await commandStats(stats);
    const redisCpuBefore = await redisCpuMs(stats);
    const overflowsBefore = listenOverflows();
    for (const child of [op, ...instances]) child.send({ type: 'begin' });
    browsers.begin();
    began = performance.now();
    const outcomes = await Promise.all(
      users.map((user, index) => oneLogin(user, index, users.length, settings.approveWindowMs)),
    );
    const processes = [browsers.report()];
    const after = await commandStats(stats);
    const redisCpu = (await redisCpuMs(stats)) - redisCpuBefore;
    const overflowsAfter = listenOverflows();
    op.send({ type: 'report' });
    const opReport = await op.next<OpMessage & { type: 'report' }>();
    processes.push(opReport.stats);
    const verified = new Map<string, number>();
    for (const child of instances) {
      child.send({ type: 'report' });
      const { verified: counts, stats: instanceStats } = await child.next<
        InstanceMessage & { type: 'report' }
      >();
      processes.push(instanceStats);
      for (const [user, count] of Object.entries(counts))
        verified.set(user, (verified.get(user) ?? 0) + count);
    }
    const delta = Object.fromEntries(
      Object.entries(after)
        .filter(([name]) => name !== 'info')
        .map(([name, calls]) => [name, calls - (before[name] ?? 0)] as const)
        .filter(([, calls]) => calls > 0),
    );
    const total = Object.values(delta).reduce((sum, calls) => sum + calls, 0);
    const latencies = outcomes.flatMap((outcome) => (outcome.ms === undefined ? [] : [outcome.ms]));
    // Approvals while the surge's starts were still being answered wait behind them, on every
    // process: the split shows how much of the latency is that queue.
    const approvedDuring = outcomes.filter(
      (o) => o.ms !== undefined && (o.approvedAt ?? 0) <= lastStartAnswered,
    );
    const approvedAfter = outcomes.filter(
      (o) => o.ms !== undefined && (o.approvedAt ?? 0) > lastStartAnswered,
    );
    const spread = (list: typeof outcomes) => {
      const ms = list.map((o) => o.ms ?? NaN);
      return { count: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95) };
    };
    const counts = users.map((user) => verified.get(user) ?? 0);
    const top = Object.entries(delta)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 8)
      .map(([name, calls]) => [name, Number((calls / settings.logins).toFixed(2))] as const);
    return {
      settings,
      startSpreadMs: lastStartAnswered - began,
      signedIn: latencies.length,
      exactlyOnce: counts.filter((count) => count === 1).length,
      moreThanOnce: counts.filter((count) => count > 1).length,
      never: counts.filter((count) => count === 0).length,
      serverErrors: statuses.filter(isServerError).length,
      answers: tally(statuses.filter((answer) => !answer.endsWith(' 200') && !answer.endsWith(' 202'))),
      failures: failures + opReport.notFound,
      pingFailures: opReport.pingFailures,
      ...(overflowsBefore !== undefined && overflowsAfter !== undefined
        ? { listenOverflows: overflowsAfter - overflowsBefore }
        : {}),
      browserRequestsPerLogin: outcomes.reduce((sum, outcome) => sum + outcome.requests, 0) / settings.logins,
      approvalToSignedInMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: Math.max(...latencies),
        whileStarting: spread(approvedDuring),
        afterStarts: spread(approvedAfter),
      },
      redisCommandsPerLogin: total / settings.logins,
      redisTopCommands: Object.fromEntries(top),
      tokenRequestsPerLogin: opReport.tokenRequests / settings.logins,
      processes,
      cpu: cpuPerLogin(processes, redisCpu, settings),
    };
  } finally {
    stopping = true;
    if (stats.isOpen) await stats.close();
    for (const child of [...instances, op]) child.send({ type: 'exit' });
    await Promise.all([...instances, op].map((child) => child.exit()));
    await redis.stop();
  }
}

/** CPU per login by process, and the cores the surge's starts and approvals would need to keep up. */
function cpuPerLogin(processes: readonly ProcessStats[], redisCpuMs: number, settings: SurgeSettings) {
  const msPerLogin: Record<string, number> = {};
  for (const stats of processes) msPerLogin[stats.role] = (stats.cpuShare * stats.wallMs) / settings.logins;
  if (Number.isFinite(redisCpuMs)) msPerLogin['redis-server'] = redisCpuMs / settings.logins;
  const totalMsPerLogin = Object.values(msPerLogin).reduce((sum, ms) => sum + ms, 0);
  // Every login's work falls between its start and its approval: the last approval comes at most
  // startWindow + approveWindow[1] after the first start.
  const windowMs = settings.startWindowMs + settings.approveWindowMs[1];
  return {
    msPerLogin,
    totalMsPerLogin,
    coresToKeepUp: (totalMsPerLogin * settings.logins) / windowMs,
    cores: os.availableParallelism(),
  };
}

/** The lines `npm run bench` prints. */
export function renderSurge(result: SurgeResult): string {
  const s = result.settings;
  const head = `Surge: ${s.logins} logins started within ${s.startWindowMs} ms on 2 instances behind one Redis (CIBA ping, long polls to either instance; OP, each instance and the browsers in processes of their own), approved ${s.approveWindowMs[0]}–${s.approveWindowMs[1]} ms after the start, fallback check ${s.pollIntervalMs ? `every ${s.pollIntervalMs} ms` : 'at the provider interval'}, after ${s.warmupLogins} warm-up logins`;
  if (result.skipped) return `${head}\n  skipped: ${result.skipped}`;
  const ms = (value: number) => value.toFixed(1);
  return [
    head,
    `  starts answered within ${ms(result.startSpreadMs)} ms; signed in ${result.signedIn}/${s.logins}; verified exactly once ${result.exactlyOnce}, more than once ${result.moreThanOnce}, never ${result.never}; 5xx ${result.serverErrors}; other failures ${result.failures}; pings the OP gave up ${result.pingFailures}; connections dropped on a full accept queue ${result.listenOverflows ?? 'not known here'}`,
    `  answers other than 200/202: ${
      Object.entries(result.answers)
        .map(([answer, count]) => `${answer} × ${count}`)
        .join(', ') || 'none'
    }`,
    `  approval → signed in p50 ${ms(result.approvalToSignedInMs.p50)} ms, p95 ${ms(result.approvalToSignedInMs.p95)} ms, max ${ms(result.approvalToSignedInMs.max)} ms (aim p95 ≤ 150); ${result.browserRequestsPerLogin.toFixed(1)} browser requests and ${result.tokenRequestsPerLogin.toFixed(2)} token requests per login`,
    ...(['whileStarting', 'afterStarts'] as const).flatMap((part) => {
      const split = result.approvalToSignedInMs[part];
      if (!split) return [];
      const label =
        part === 'whileStarting'
          ? 'approved while starts were still answered'
          : 'approved after the last start was answered';
      return [`    ${label}: ${split.count}, p50 ${ms(split.p50)} ms, p95 ${ms(split.p95)} ms`];
    }),
    `  Redis commands per login: ${result.redisCommandsPerLogin.toFixed(1)} (${Object.entries(
      result.redisTopCommands,
    )
      .map(([name, calls]) => `${name} ${calls}`)
      .join(', ')})`,
    ...(result.cpu
      ? [
          `  CPU per login ${result.cpu.totalMsPerLogin.toFixed(1)} ms (${Object.entries(
            result.cpu.msPerLogin,
          )
            .map(([role, ms]) => `${role} ${ms.toFixed(1)}`)
            .join(
              ', ',
            )}): the surge needs at least ${result.cpu.coresToKeepUp.toFixed(1)} cores to keep up; this machine has ${result.cpu.cores}`,
        ]
      : []),
    ...result.processes.map(renderProcess),
  ].join('\n');
}

/** One process's line: how busy it was, the CPU it got, and where its time went (the longest steps). */
function renderProcess(stats: ProcessStats): string {
  const steps = Object.entries(stats.steps)
    .sort((x, y) => y[1].totalMs - x[1].totalMs)
    .slice(0, 5)
    .map(
      ([name, step]) =>
        `${name} × ${step.count}${step.failed ? ` (${step.failed} failed)` : ''} p50 ${step.p50Ms.toFixed(0)} p95 ${step.p95Ms.toFixed(0)} ms`,
    );
  // CPU per request served: what the process would need of a core it had to itself.
  const served = Object.entries(stats.steps)
    .filter(([name]) => name.startsWith('served '))
    .reduce((sum, [, step]) => sum + step.count, 0);
  const perRequest = served
    ? `, ${((stats.cpuShare * stats.wallMs) / served).toFixed(1)} ms CPU per request served`
    : '';
  return `  ${stats.role}: event loop busy ${(stats.eventLoopUtilization * 100).toFixed(0)} %, CPU ${(stats.cpuShare * 100).toFixed(0)} % of a core${stats.cpuWaitShare === undefined ? '' : `, waiting for a CPU ${(stats.cpuWaitShare * 100).toFixed(0)} % of the time`}, loop delay p99 ${stats.eventLoopDelayMs.p99.toFixed(0)} ms (max ${stats.eventLoopDelayMs.max.toFixed(0)})${perRequest}, ${stats.connectionsOpened} connections opened; ${steps.join('; ')}`;
}

/**
 * The surge `npm run bench` runs. People approve at a random moment 2–30 s after their wait page
 * showed (finding the phone, reading the request), not all within seconds. The fallback check is
 * 30 s: with CIBA ping the regular check only catches a lost ping (docs/notifications.md), and at
 * the provider's 5 s every waiting login checks the OP six times as often, in waves. Environment:
 * `SURGE_LOGINS` (default 2,000), `SURGE_APPROVE_MS` (`from-to`, default `2000-30000`),
 * `SURGE_POLL_MS` (the fallback, default 30,000; 0 for the provider's interval).
 */
export function surgeSettings(env: NodeJS.ProcessEnv = process.env): SurgeSettings {
  const [from, to] = (env['SURGE_APPROVE_MS'] ?? '2000-30000').split('-').map(Number);
  if (!Number.isFinite(from) || !Number.isFinite(to) || (from as number) > (to as number)) {
    throw new Error(`SURGE_APPROVE_MS: expected from-to in ms, got ${env['SURGE_APPROVE_MS']}`);
  }
  return {
    logins: Number(env['SURGE_LOGINS'] ?? 2000),
    startWindowMs: 2000,
    approveWindowMs: [from as number, to as number],
    longPollMs: 25_000,
    pollIntervalMs: Number(env['SURGE_POLL_MS'] ?? 30_000),
    warmupLogins: 200,
  };
}

if (require.main === module) {
  measureSurge(surgeSettings())
    .then((result) => console.log(renderSurge(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/** Prints the results as tables and writes them as JSON to bench/results/<date>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { CallsResult } from './calls-per-login';
import type { LatencyResult } from './latency';
import type { NotifyLatencyResult } from './latency-notify';
import type { LimiterResult } from './limiter';
import type { MemoryResult, MemoryVariant } from './memory';

const MEMORY_VARIANTS: Record<MemoryVariant, string> = {
  default: 'default (displays in the session store)',
  'display-cache': 'MemoryDisplayStore given',
  'no-display-cache': 'no display kept',
};
import type { ThroughputResult } from './throughput';
import type { WaitingResult } from './waiting-browsers';
import type { SurgeResult } from './surge';
import type { RedisOpsResult } from './redis-ops';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** 1, 5 and 15-minute load averages when the run began and when it ended (a shared machine's other work). */
  loadAverage: { start: number[]; end?: number[] };
}

export interface BenchResults {
  date: string;
  machine: Machine;
  durationSeconds: number;
  throughput?: ThroughputResult;
  callsPerLogin?: CallsResult;
  latency?: LatencyResult;
  /** Notification modes; their p50/p95 are also under `latency.<mode>` in the saved JSON. */
  notifyLatency?: NotifyLatencyResult;
  memory?: MemoryResult[];
  limiter?: LimiterResult;
  /** Many browsers holding a long poll or status stream (bench/waiting-browsers.ts). */
  waitingBrowsers?: WaitingResult;
  /** Logins started at once across two instances on one Redis (bench/surge.ts). */
  surge?: SurgeResult;
  /** Redis operations per login and per waiting browser, by store (bench/redis-ops.ts). */
  redisOps?: RedisOpsResult;
}

export function machine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: { start: loadavg() },
  };
}

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [
    line(cells[0] ?? []),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function render(results: BenchResults): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(
    `passport-push bench · ${results.date} · ${m.cpus} × ${m.cpuModel} · Node ${m.node} · ${m.platform}`,
  );

  const t = results.throughput;
  if (t) {
    const s = t.settings;
    out.push(
      '',
      `Throughput: ${s.connections} connections, ${s.rounds} × ${s.roundSeconds} s per route taking turns, after ${s.warmupSeconds} s warm-up each (autocannon)`,
      table(
        ['route', 'req/s', 'rounds', 'CPU µs/req', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        [t.bare, t.barePassport, t.poll, t.pollFirst].map((r) => [
          `${r.name} (${r.route})`,
          int(r.requestsPerSecond),
          r.roundsRequestsPerSecond.join(' '),
          int(r.cpuMicrosecondsPerRequest),
          ms(r.latencyP50Ms),
          ms(r.latencyP99Ms),
          r.non2xx,
          r.errors,
        ]),
      ),
      `behind passport.session(): poll / bare ${t.ratio.toFixed(2)} (rounds ${t.ratioRange[0].toFixed(2)}–${t.ratioRange[1].toFixed(2)}) · poll / (bare + passport.session()) ${t.ratioToBarePassport.toFixed(2)} (aim ≥ 0.95)`,
      `before passport: poll / bare ${t.ratioFirst.toFixed(2)} (aim ≥ 0.85) · poll / (bare + passport.session()) ${t.ratioFirstToBarePassport.toFixed(2)} · provider calls during the poll runs: ${t.providerChecksDuringRun}`,
      `the same from the server's CPU per request (the rate on a core of its own; the median of the rounds' ratios): behind passport.session() poll / bare ${t.cpuRatio.toFixed(2)} · poll / (bare + passport.session()) ${t.cpuRatioToBarePassport.toFixed(2)} (aim ≥ 0.95) · before passport: poll / bare ${t.cpuRatioFirst.toFixed(2)} (aim ≥ 0.85) · poll / (bare + passport.session()) ${t.cpuRatioFirstToBarePassport.toFixed(2)}`,
      `session record per pending challenge: ${t.recordBytes} B JSON (whole session ${t.sessionBytes} B; aim < 512 B)`,
    );
  }

  const c = results.callsPerLogin;
  if (c) {
    const s = c.settings;
    out.push(
      '',
      `Provider calls per login: interval ${s.intervalMs} ms, ${s.tabs} tabs each polling every ${s.tabPollMs} ms`,
      table(
        ['phone approves after', 'provider calls', 'bound ceil(T/I)+1', 'within', 'browser polls'],
        c.logins.map((l) => [
          `${int(l.actualApproveAfterMs)} ms`,
          l.providerChecks,
          l.bound,
          l.withinBound ? 'yes' : 'NO',
          l.browserPolls,
        ]),
      ),
    );
  }

  const mem = results.memory;
  if (mem && mem.length > 0) {
    const n = mem[0]?.challenges ?? 0;
    out.push(
      '',
      `Heap over ${int(n)} pending challenges in ${int(n)} sessions (heapUsed after forced GC; parts measured by letting each go)`,
      table(
        [
          'pushLogin',
          'growth MB',
          'B/challenge',
          'B/challenge w/o session store',
          'display cache',
          'start limiter',
          'session store',
          'other',
          'starts/s',
        ],
        mem.map((r) => [
          MEMORY_VARIANTS[r.variant],
          mb(r.heapGrowthBytes),
          int(r.heapGrowthPerChallengeBytes),
          int(r.inProcessPerChallengeBytes),
          `${mb(r.displayCacheBytes)} MB`,
          `${mb(r.limiterBytes)} MB`,
          `${mb(r.sessionStoreBytes)} MB`,
          `${mb(r.otherBytes)} MB`,
          int(r.challenges / r.startSeconds),
        ]),
      ),
      `provider-call timeout timers: ${mem.map((r) => int(r.timerHeldPerCallBytes)).join(' / ')} B per call, held until the timer fires (providerTimeoutMs; ${mem[0]?.providerTimeoutMs ?? 0} ms here, default 20 000), not counted above`,
      `session store JSON: ${mb(mem[0]?.sessionStoreJsonBytes ?? 0)} MB (record ${int(mem[0]?.recordJsonBytesAvg ?? 0)} B, session ${int(mem[0]?.sessionJsonBytesAvg ?? 0)} B per challenge); display cache entries: ${mem.map((r) => r.displayCacheEntries).join(' / ')}; displays in the session store: ${mem.map((r) => int(r.sessionStoreDisplayEntries)).join(' / ')}`,
    );
  }

  const l = results.latency;
  if (l) {
    const s = l.settings;
    out.push(
      '',
      `Approval → logged in: interval ${s.intervalMs} ms, ${s.logins} logins per mode, phone approves ${s.approveWindowMs[0]}–${s.approveWindowMs[1]} ms after the start, longPollMs ${s.longPollMs}`,
      table(
        ['browser', 'p50 ms', 'p95 ms', 'max ms', 'browser requests/login', 'provider calls/login'],
        l.modes.map((mode) => [
          mode.mode === 'poller' ? 'wait-page poller (Retry-After)' : 'long poll',
          ms(mode.p50Ms),
          ms(mode.p95Ms),
          ms(mode.maxMs),
          mode.browserRequestsPerLogin.toFixed(1),
          mode.providerChecksPerLogin.toFixed(1),
        ]),
      ),
    );
  }
  const n = results.notifyLatency;
  if (n) {
    const s = n.settings;
    out.push(
      '',
      `Approval → logged in with CIBA ping (embedded oidc-provider): ${s.logins} logins per mode, the OP approves ${s.approveWindowMs[0]}–${s.approveWindowMs[1]} ms after the start, measured from the approval call to the browser's 200`,
      table(
        ['browser', 'p50 ms', 'p95 ms', 'max ms', 'starts/login', 'token requests/login'],
        n.modes.map((mode) => [
          mode.mode,
          ms(mode.p50Ms),
          ms(mode.p95Ms),
          ms(mode.maxMs),
          mode.startsPerLogin.toFixed(1),
          mode.checksPerLogin.toFixed(1),
        ]),
      ),
      ...n.skipped.map((reason) => `skipped: ${reason}`),
    );
  }
  const lim = results.limiter;
  if (lim) {
    const s = lim.settings;
    out.push(
      '',
      `Start-limit store (MemoryRateLimitStore): ${s.rounds} × ${int(s.hitsPerRound)} hits per size taking turns, each hit a new window while one ends`,
      table(
        ['live windows', 'hits/s', 'rounds'],
        lim.sizes.map((size) => [
          int(size.keys),
          int(size.hitsPerSecond),
          size.roundsHitsPerSecond.map(int).join(' '),
        ]),
      ),
      `ratio ${int(lim.sizes[lim.sizes.length - 1]?.keys ?? 0)} / ${int(lim.sizes[0]?.keys ?? 0)} keys: ${lim.ratio.toFixed(2)} (near 1 when a hit costs the same however full the store)`,
    );
  }
  out.push('', `total ${results.durationSeconds.toFixed(0)} s`);
  return out.join('\n');
}

/** Every latency mode, polled and notified, also as `latency.<mode>` = `{ p50Ms, p95Ms, maxMs }`. */
function withModeKeys(results: BenchResults): object {
  const modes = [...(results.latency?.modes ?? []), ...(results.notifyLatency?.modes ?? [])];
  if (modes.length === 0) return results;
  const keyed = Object.fromEntries(
    modes.map((m) => [m.mode, { p50Ms: m.p50Ms, p95Ms: m.p95Ms, maxMs: m.maxMs }]),
  );
  return { ...results, latency: { ...results.latency, ...keyed } };
}

/** Writes the JSON next to earlier runs; returns its path. */
export function save(results: BenchResults): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, `${JSON.stringify(withModeKeys(results), null, 2)}\n`);
  return file;
}

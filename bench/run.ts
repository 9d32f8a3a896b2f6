/**
 * `npm run bench`: every measurement in one run, printed as tables and saved as JSON in
 * bench/results/. Loopback only. BENCH_ONLY=throughput,calls,latency,notify,memory,limiter,waiting,surge,redis-ops
 * runs a subset (WAITING_BROWSERS=1000 a quick waiting-browsers run, SURGE_LOGINS=200 a quick surge);
 * BENCH_PROF=1 writes CPU profiles of the child processes (path printed at the end).
 */
import { loadavg } from 'node:os';
import { measureCallsPerLogin } from './calls-per-login';
import { PROFILE_DIR } from './fork';
import { measureLatency } from './latency';
import { measureNotifyLatency } from './latency-notify';
import { measureLimiter } from './limiter';
import { measureMemory } from './memory';
import { machine, render, save, type BenchResults } from './report';
import { measureThroughput } from './throughput';
import { measureWaitingBrowsers, renderWaiting, waitingSizes } from './waiting-browsers';
import { measureSurge, renderSurge, surgeSettings } from './surge';
import { measureRedisOps, renderRedisOps } from './redis-ops';

const PARTS = [
  'throughput',
  'calls',
  'latency',
  'notify',
  'memory',
  'limiter',
  'waiting',
  'surge',
  'redis-ops',
] as const;
type Part = (typeof PARTS)[number];

function selected(): Set<Part> {
  const only = process.env['BENCH_ONLY'];
  if (!only) return new Set(PARTS);
  const wanted = only.split(',').map((s) => s.trim());
  for (const name of wanted) {
    if (!(PARTS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown part ${name}`);
  }
  return new Set(PARTS.filter((part) => wanted.includes(part)));
}

async function main(): Promise<void> {
  const parts = selected();
  const began = performance.now();
  const results: BenchResults = { date: new Date().toISOString(), machine: machine(), durationSeconds: 0 };
  const step = (name: string) =>
    console.error(`bench: ${name}… (${((performance.now() - began) / 1000).toFixed(0)} s)`);

  if (parts.has('throughput')) {
    step('throughput');
    results.throughput = await measureThroughput({
      connections: 10,
      // Many short rounds: the shared VM's neighbours move one round by a third (bench/README.md).
      rounds: 9,
      roundSeconds: 1,
      warmupSeconds: 2,
    });
  }
  if (parts.has('calls')) {
    step('provider calls per login');
    results.callsPerLogin = await measureCallsPerLogin({
      intervalMs: 250,
      tabs: 4,
      tabPollMs: 20,
      approveAfterMs: [600, 1100, 1700, 2300],
    });
  }
  if (parts.has('latency')) {
    step('approval → login latency');
    results.latency = await measureLatency({
      intervalMs: 1000,
      logins: 40,
      longPollMs: 25_000,
      approveWindowMs: [300, 2300],
    });
  }
  if (parts.has('notify')) {
    step('approval → login latency with CIBA ping');
    results.notifyLatency = await measureNotifyLatency({
      logins: 40,
      longPollMs: 25_000,
      approveWindowMs: [1300, 3300],
    });
  }
  if (parts.has('memory')) {
    step('heap over pending challenges');
    results.memory = await measureMemory(Number(process.env['MEMORY_CHALLENGES'] ?? 10_000), [
      'default',
      'display-cache',
      'no-display-cache',
    ]);
  }
  if (parts.has('limiter')) {
    step('start-limit store hits');
    results.limiter = await measureLimiter({ sizes: [1_000, 100_000], hitsPerRound: 200_000, rounds: 3 });
  }

  if (parts.has('waiting')) {
    step('waiting browsers');
    results.waitingBrowsers = await measureWaitingBrowsers(waitingSizes());
  }

  if (parts.has('surge')) {
    step('login surge across two instances');
    results.surge = await measureSurge(surgeSettings());
  }

  if (parts.has('redis-ops')) {
    step('Redis operations per store');
    results.redisOps = await measureRedisOps({
      logins: Number(process.env['REDIS_OPS_LOGINS'] ?? 50),
      waitingBrowsers: 100,
      waitSeconds: 6,
      pollIntervalMs: 2000,
    });
  }

  results.durationSeconds = (performance.now() - began) / 1000;
  results.machine.loadAverage.end = loadavg();
  console.log(render(results));
  if (results.waitingBrowsers) console.log(`\n${renderWaiting(results.waitingBrowsers)}`);
  if (results.surge) console.log(`\n${renderSurge(results.surge)}`);
  if (results.redisOps) console.log(`\n${renderRedisOps(results.redisOps)}`);
  console.log(`\nsaved ${save(results)}`);
  if (process.env['BENCH_PROF']) console.log(`CPU profiles: ${PROFILE_DIR}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

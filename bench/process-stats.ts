/**
 * What one bench process did, to find which process a slow run waits on: its event-loop
 * utilisation and delay, the CPU it got, and the time spent where (HTTP requests it served, HTTP
 * requests it sent, and whatever the caller times with `time`, e.g. Redis commands and provider
 * calls). HTTP is seen through Node's diagnostics channels, so the app itself is not changed.
 */
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { percentile } from './browser';

/** How often a named step ran and how long it took. */
export interface StepTimes {
  count: number;
  /** Calls that threw or rejected (still timed). */
  failed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The sum over every call: where the process's waiting went. */
  totalMs: number;
}

/** One process's report, from `begin()` to `report()`. */
export interface ProcessStats {
  role: string;
  wallMs: number;
  /** Share of the wall time the event loop was busy (perf_hooks `eventLoopUtilization`), 0–1. */
  eventLoopUtilization: number;
  /** CPU time the process got (user + system, every thread) over the wall time. */
  cpuShare: number;
  /**
   * Share of the wall time the main thread was ready to run but waited for a CPU (Linux
   * `/proc/self/schedstat`; absent elsewhere): the machine, not the process, was the limit.
   */
  cpuWaitShare?: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Connections this process opened as a client (`fetch` and node:http). */
  connectionsOpened: number;
  /** Named steps: `served GET /path`, `sent POST /path`, and the caller's own. */
  steps: Record<string, StepTimes>;
}

/** Collects one process's stats; `begin()` (again) starts the measured window. */
export interface ProcessStatsRecorder {
  begin(): void;
  /** Times `work` under `name` (a failure is timed and counted, then rethrown). */
  time<T>(name: string, work: () => Promise<T>): Promise<T>;
  report(): ProcessStats;
}

/** The path of a URL without its query (the query names users and is not a route). */
function route(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

/** The main thread's time on a CPU and waiting in the run queue, in ms (Linux only). */
function schedstat(): { onCpuMs: number; waitingMs: number } | undefined {
  try {
    const [onCpu, waiting] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return { onCpuMs: (onCpu ?? 0) / 1e6, waitingMs: (waiting ?? 0) / 1e6 };
  } catch {
    return undefined;
  }
}

function summarise(values: readonly number[], failed: number): StepTimes {
  return {
    count: values.length,
    failed,
    p50Ms: percentile(values, 50),
    p95Ms: percentile(values, 95),
    maxMs: values.length ? Math.max(...values) : Number.NaN,
    totalMs: values.reduce((sum, value) => sum + value, 0),
  };
}

/** Starts recording this process (call once per process). */
export function recordProcess(role: string): ProcessStatsRecorder {
  const durations = new Map<string, number[]>();
  const failures = new Map<string, number>();
  const add = (name: string, ms: number, failed = false) => {
    const list = durations.get(name) ?? [];
    list.push(ms);
    durations.set(name, list);
    if (failed) failures.set(name, (failures.get(name) ?? 0) + 1);
  };
  let connections = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let began = performance.now();
  let eluAtBegin = performance.eventLoopUtilization();
  let cpuAtBegin = process.cpuUsage();
  let schedAtBegin = schedstat();

  // Requests this process serves: from the parsed request to the response's last byte; one whose
  // connection closed before that (the client gave up) counts as failed.
  subscribe('http.server.request.start', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const at = performance.now();
    // The route as it arrived (Express rewrites req.url inside a mounted router).
    const step = `served ${request.method} ${route(request.url)}`;
    response.once('close', () => add(step, performance.now() - at, !response.writableFinished));
  });
  // Requests this process sends with fetch: from creation (before the pool) to the response headers.
  type UndiciRequest = { origin: string; method: string; path: string };
  const sent = new WeakMap<UndiciRequest, number>();
  const name = (request: UndiciRequest) => `sent ${request.method} ${route(request.path)}`;
  subscribe('undici:request:create', (message) => {
    sent.set((message as { request: UndiciRequest }).request, performance.now());
  });
  subscribe('undici:request:headers', (message) => {
    const { request } = message as { request: UndiciRequest };
    const at = sent.get(request);
    if (at !== undefined) add(name(request), performance.now() - at);
  });
  subscribe('undici:request:error', (message) => {
    const { request } = message as { request: UndiciRequest };
    const at = sent.get(request);
    if (at !== undefined) add(name(request), performance.now() - at, true);
  });
  // Requests this process sends with node:http (the bench's browsers): from creation to the
  // response headers.
  const sentHttp = new WeakMap<ClientRequest, number>();
  subscribe('http.client.request.start', (message) => {
    sentHttp.set((message as { request: ClientRequest }).request, performance.now());
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: ClientRequest };
    const at = sentHttp.get(request);
    if (at !== undefined) add(`sent ${request.method} ${route(request.path)}`, performance.now() - at);
  });
  // Every TCP connection this process opens (fetch's and node:http's alike).
  subscribe('net.client.socket', () => (connections += 1));
  // Written to a socket: the time before it is the pool's and the connect's, the rest the server's.
  subscribe('undici:client:sendHeaders', (message) => {
    const { request } = message as { request: UndiciRequest };
    const at = sent.get(request);
    if (at !== undefined) add(`${name(request)}, until written`, performance.now() - at);
  });

  const recorder: ProcessStatsRecorder = {
    begin() {
      durations.clear();
      failures.clear();
      connections = 0;
      delay.disable();
      delay.reset();
      delay.enable();
      began = performance.now();
      eluAtBegin = performance.eventLoopUtilization();
      cpuAtBegin = process.cpuUsage();
      schedAtBegin = schedstat();
    },
    async time(step, work) {
      const at = performance.now();
      try {
        const result = await work();
        add(step, performance.now() - at);
        return result;
      } catch (error) {
        add(step, performance.now() - at, true);
        throw error;
      }
    },
    report() {
      const wallMs = performance.now() - began;
      const cpu = process.cpuUsage(cpuAtBegin);
      const sched = schedstat();
      const steps = Object.fromEntries(
        [...durations]
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([step, values]) => [step, summarise(values, failures.get(step) ?? 0)] as const),
      );
      return {
        role,
        wallMs,
        eventLoopUtilization: performance.eventLoopUtilization(eluAtBegin).utilization,
        cpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
        ...(sched && schedAtBegin
          ? { cpuWaitShare: (sched.waitingMs - schedAtBegin.waitingMs) / wallMs }
          : {}),
        eventLoopDelayMs: {
          p50: delay.percentile(50) / 1e6,
          p99: delay.percentile(99) / 1e6,
          max: delay.max / 1e6,
        },
        connectionsOpened: connections,
        steps,
      };
    },
  };
  delay.enable();
  return recorder;
}

/**
 * `target` with every method that returns a promise timed as `prefix.method` (`sendCommand` by
 * the command it sends). Methods run on the target itself, so private fields keep working.
 */
export function timedMethods<T extends object>(target: T, prefix: string, stats: ProcessStatsRecorder): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!(result instanceof Promise)) return result;
        const command = key === 'sendCommand' ? commandName(args) : key;
        return stats.time(`${prefix}.${command}`, () => result);
      };
    },
  });
}

/** `sendCommand(['EVALSHA', …])` → `EVALSHA` (node-redis; a cluster's has the key first). */
function commandName(args: readonly unknown[]): string {
  const list = args.find(Array.isArray) as readonly unknown[] | undefined;
  return String(list?.[0] ?? 'sendCommand').toUpperCase();
}

/**
 * Redis operations per login and per waiting browser, for each store (`BENCH_ONLY=redis-ops`): two
 * app instances on one redis-server (sessions in connect-redis, every store from `redisStores`, the
 * default start limits), a ScriptedProvider with notifications. `redis-cli MONITOR` sees every
 * command a client sends (the commands a Lua script runs inside Redis are left out: one EVALSHA is
 * one operation); each is given to a store by the key or channel it names.
 *
 * - Per login, one at a time: start on A, a long poll held on A, the wait page loaded on B (the
 *   display), the phone's notification to B, the held poll answers signed in.
 * - Per waiting browser: N browsers each with a pending login, each holding a long poll or a status
 *   stream on A for a few seconds while the provider says "pending" at each due check.
 *
 * Phases are bracketed by an `ECHO` marker seen in the monitor's output: an explicit signal.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { ScriptedProvider } from '../lib/testing';
import { startRedisServer } from '../test/helpers/redis-server';
import { twoInstances } from '../test/helpers/two-instances';
import { listen, type Listening } from './apps';
import { Browser, delay } from './browser';

/** The stores a Redis command is counted for, by the key (or channel) it names. */
export const REDIS_OPS_STORES = [
  'claims',
  'limits',
  'index',
  'bus',
  'displays',
  'sessions',
  'other',
] as const;
export type RedisOpsStore = (typeof REDIS_OPS_STORES)[number];

/** Key prefixes (redisStores' defaults, connect-redis's `sess:`), most specific first. */
const PREFIXES: [prefix: string, store: RedisOpsStore][] = [
  ['push:done:', 'claims'],
  ['push:limit:', 'limits'],
  ['push:notify-key:', 'index'],
  ['push:notify', 'bus'],
  ['push:display:', 'displays'],
  ['sess:', 'sessions'],
];

export interface RedisOpsSettings {
  logins: number;
  waitingBrowsers: number;
  waitSeconds: number;
  /** The strategy's interval between provider checks of one pending login. */
  pollIntervalMs: number;
}

/** Operations by store, and by store and command. */
export interface RedisOpsCount {
  byStore: Record<RedisOpsStore, number>;
  byCommand: Record<RedisOpsStore, Record<string, number>>;
  total: number;
}

export interface RedisOpsWaiting {
  mode: 'long poll' | 'status stream';
  browsers: number;
  seconds: number;
  /** Operations per waiting browser per minute, by store. */
  perBrowserPerMinute: Record<RedisOpsStore, number>;
  totalPerBrowserPerMinute: number;
  /** Provider checks per browser per minute over the same window (what the operations follow). */
  checksPerBrowserPerMinute: number;
}

export interface RedisOpsResult {
  settings: RedisOpsSettings;
  /** Operations per login, by store (the average over `logins`). */
  perLogin: RedisOpsCount;
  waiting: RedisOpsWaiting[];
}

/** Counts the commands `redis-cli MONITOR` prints; `mark()` resolves once everything before it was seen. */
class Monitor {
  private counts = emptyCount();
  private readonly markers = new Map<string, () => void>();
  private marks = 0;

  private constructor(
    private readonly child: ReturnType<typeof spawn>,
    private readonly echo: (text: string) => Promise<unknown>,
  ) {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => this.read(line));
  }

  static async start(port: number, echo: (text: string) => Promise<unknown>): Promise<Monitor> {
    const child = spawn('redis-cli', ['-p', String(port), 'monitor'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const monitor = new Monitor(child, echo);
    // Seen once MONITOR is on (its first line is "OK").
    await monitor.mark();
    return monitor;
  }

  /** Resolves once the monitor saw a marker sent now: every command sent before it is counted. */
  async mark(): Promise<void> {
    for (;;) {
      const text = `bench-mark-${++this.marks}`;
      const seen = new Promise<boolean>((resolve) => {
        this.markers.set(text, () => resolve(true));
        // Before MONITOR is on, a marker is not seen: send another.
        setTimeout(() => resolve(false), 500).unref();
      });
      await this.echo(text);
      if (await seen) return;
      this.markers.delete(text);
    }
  }

  /** What was counted since the last `take()`, after a `mark()`. */
  async take(): Promise<RedisOpsCount> {
    await this.mark();
    const counted = this.counts;
    this.counts = emptyCount();
    return counted;
  }

  stop(): void {
    this.child.kill();
  }

  private read(line: string): void {
    // 1733500000.123456 [0 127.0.0.1:54321] "SET" "sess:…" …; scripts' own commands are "[0 lua]".
    const from = /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
    if (!from || from[1] === 'lua') return;
    const args = [...(from[2] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
    const [command = '', ...rest] = args;
    if (command.toUpperCase() === 'ECHO' && rest[0]?.startsWith('bench-mark-')) {
      this.markers.get(rest[0])?.();
      this.markers.delete(rest[0]);
      return;
    }
    const store = storeOf(rest);
    const name = command.toUpperCase();
    this.counts.byStore[store] += 1;
    this.counts.byCommand[store][name] = (this.counts.byCommand[store][name] ?? 0) + 1;
    this.counts.total += 1;
  }
}

function storeOf(args: readonly string[]): RedisOpsStore {
  for (const arg of args) {
    for (const [prefix, store] of PREFIXES) if (arg.startsWith(prefix)) return store;
  }
  return 'other';
}

function emptyCount(): RedisOpsCount {
  const byStore = Object.fromEntries(REDIS_OPS_STORES.map((store) => [store, 0])) as Record<
    RedisOpsStore,
    number
  >;
  const byCommand = Object.fromEntries(REDIS_OPS_STORES.map((store) => [store, {}])) as Record<
    RedisOpsStore,
    Record<string, number>
  >;
  return { byStore, byCommand, total: 0 };
}

function scaled(count: Record<RedisOpsStore, number>, by: number): Record<RedisOpsStore, number> {
  return Object.fromEntries(REDIS_OPS_STORES.map((store) => [store, count[store] / by])) as Record<
    RedisOpsStore,
    number
  >;
}

export async function measureRedisOps(settings: RedisOpsSettings): Promise<RedisOpsResult> {
  const server = await startRedisServer();
  const marker = createClient({ url: server.url });
  await marker.connect();
  const provider = new ScriptedProvider({ notificationSecret: 'bench notification secret' });
  const two = await twoInstances(
    server.url,
    {
      provider,
      strategy: {
        pollIntervalMs: settings.pollIntervalMs,
        // The default rules, with room for every browser of the run on one IP.
        limiter: { perIp: { max: 10_000, windowMs: 15 * 60_000 } },
      },
      router: { longPollMs: 120_000 },
    },
    Date.now,
  );
  const servers: Listening[] = [];
  for (const app of two.apps) servers.push(await listen(app.app));
  const [a, b] = servers.map((s) => s.url) as [string, string];
  const monitor = await Monitor.start(server.port, (text) => marker.echo(text));
  try {
    await monitor.take(); // setup
    for (let i = 0; i < settings.logins; i++) await oneLogin(provider, two.listening, a, b, `user${i}`);
    const logins = await monitor.take();
    const perLogin: RedisOpsCount = {
      byStore: scaled(logins.byStore, settings.logins),
      byCommand: Object.fromEntries(
        REDIS_OPS_STORES.map((store) => [
          store,
          Object.fromEntries(
            Object.entries(logins.byCommand[store]).map(([name, n]) => [name, n / settings.logins]),
          ),
        ]),
      ) as RedisOpsCount['byCommand'],
      total: logins.total / settings.logins,
    };
    const waiting: RedisOpsWaiting[] = [];
    for (const mode of ['long poll', 'status stream'] as const) {
      waiting.push(await waitingBrowsers(mode, settings, provider, two.listening, a, monitor));
    }
    return { settings, perLogin, waiting };
  } finally {
    monitor.stop();
    await Promise.all(servers.map((s) => s.close()));
    await two.close();
    await marker.close();
    await server.stop();
  }
}

/** Start on A, hold a poll on A, load the wait page on B, the notification to B, signed in. */
async function oneLogin(
  provider: ScriptedProvider,
  listening: () => Promise<void>,
  a: string,
  b: string,
  userId: string,
): Promise<void> {
  const onA = new Browser(a);
  const started = await onA.post('/auth/push/start', { username: userId });
  if (started.status !== 202) throw new Error(`start answered ${started.status}`);
  const subscribed = listening();
  const held = onA.get('/auth/push/status');
  await subscribed;
  // The wait page (HTML) on the other instance: its display comes from the display store.
  const page = await fetch(`${b}/auth/push/wait`, { headers: { Cookie: onA.cookie ?? '' } });
  await page.text();
  provider.answer('approved');
  const { headers, body } = provider.notification();
  const notified = await fetch(`${b}/auth/push/notify`, { method: 'POST', headers, body });
  if (notified.status !== 204) throw new Error(`notify answered ${notified.status}`);
  const done = await held;
  if (done.body['state'] !== 'authenticated') throw new Error(`the login ended ${JSON.stringify(done.body)}`);
}

/** N pending logins, each holding a long poll or a status stream on A for `waitSeconds`. */
async function waitingBrowsers(
  mode: RedisOpsWaiting['mode'],
  settings: RedisOpsSettings,
  provider: ScriptedProvider,
  listening: () => Promise<void>,
  a: string,
  monitor: Monitor,
): Promise<RedisOpsWaiting> {
  const stop = new AbortController();
  const held: Promise<unknown>[] = [];
  for (let i = 0; i < settings.waitingBrowsers; i++) {
    const browser = new Browser(a);
    const started = await browser.post('/auth/push/start', {
      username: `${mode === 'long poll' ? 'poll' : 'stream'}${i}`,
    });
    if (started.status !== 202) throw new Error(`start answered ${started.status}`);
    const subscribed = listening();
    const path = mode === 'long poll' ? '/auth/push/status' : '/auth/push/events';
    const accept = mode === 'long poll' ? 'application/json' : 'text/event-stream';
    held.push(
      fetch(a + path, {
        headers: { Cookie: browser.cookie ?? '', Accept: accept },
        signal: stop.signal,
      })
        .then((answer) => answer.text())
        .catch(() => undefined),
    );
    await subscribed;
  }
  await monitor.take(); // the starts
  const checks = provider.calls.check;
  const began = performance.now();
  await delay(settings.waitSeconds * 1000);
  const counted = await monitor.take();
  const minutes = (performance.now() - began) / 60_000;
  const perBrowserMinute = settings.waitingBrowsers * minutes;
  stop.abort();
  await Promise.all(held);
  // The held requests let go here, outside the counted window.
  await monitor.take();
  return {
    mode,
    browsers: settings.waitingBrowsers,
    seconds: settings.waitSeconds,
    perBrowserPerMinute: scaled(counted.byStore, perBrowserMinute),
    totalPerBrowserPerMinute: counted.total / perBrowserMinute,
    checksPerBrowserPerMinute: (provider.calls.check - checks) / perBrowserMinute,
  };
}

const fixed = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The result as two tables: per login, and per waiting browser per minute. */
export function renderRedisOps(result: RedisOpsResult): string {
  const s = result.settings;
  const stores = REDIS_OPS_STORES;
  const header = ['', ...stores, 'total'];
  const rows: string[][] = [
    [
      'per login',
      ...stores.map((store) => fixed(result.perLogin.byStore[store])),
      fixed(result.perLogin.total),
    ],
    ...result.waiting.map((w) => [
      `per ${w.mode} per minute (${fixed(w.checksPerBrowserPerMinute)} checks)`,
      ...stores.map((store) => fixed(w.perBrowserPerMinute[store])),
      fixed(w.totalPerBrowserPerMinute),
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const commands = stores
    .filter((store) => result.perLogin.byStore[store] > 0)
    .map(
      (store) =>
        `  ${store}: ${Object.entries(result.perLogin.byCommand[store])
          .map(([name, n]) => `${name} ${fixed(n)}`)
          .join(', ')}`,
    );
  return [
    `Redis operations per store (${s.logins} logins one at a time across 2 instances; ${s.waitingBrowsers} browsers waiting ${s.waitSeconds} s, checks every ${s.pollIntervalMs} ms)`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    'per login, by command:',
    ...commands,
  ].join('\n');
}

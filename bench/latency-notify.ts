/**
 * Approval → logged in with provider notifications: CIBA in ping mode against the embedded
 * oidc-provider, the browser waiting on a held long poll or on the status stream (`GET events`,
 * then `GET status` to complete, as the wait page does), and the same long poll across two app
 * instances on one Redis (the OP pings instance B, the browser waits on A). Measured from the OP's
 * approval call to the browser's 200. Also counts the provider calls per login.
 */
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { createClient } from 'redis';
import { CibaProvider, PushStrategy, pushLogin, type PushStores } from '../lib';
import { redisStores } from '../lib/redis';
import { startCibaOp, type CibaOp } from '../lib/testing/ciba-op';
import { hasRedisServer, startRedisServer } from '../test/helpers/redis-server';
import { listen, SESSION_SECRET, type Listening } from './apps';
import { Browser, delay, percentile } from './browser';
import { timedMethods, type ProcessStatsRecorder } from './process-stats';

export type NotifyMode = 'ciba ping + long poll' | 'ciba ping + SSE' | 'ciba ping + long poll, 2 instances';

export interface NotifySettings {
  logins: number;
  longPollMs: number;
  /** The phone approves uniformly between these, after the start (past the 1 s floor). */
  approveWindowMs: readonly [number, number];
}

export interface NotifyLatency {
  mode: NotifyMode;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Backchannel requests and token requests per login (target: 1 start + 1 check). */
  startsPerLogin: number;
  checksPerLogin: number;
}

export interface NotifyLatencyResult {
  settings: NotifySettings;
  modes: NotifyLatency[];
  /** Why a mode was left out (no redis-server). */
  skipped: string[];
}

/** The app secret every instance shares (shared stores key their entries with it). */
const BENCH_SECRET = 'the bench app secret, the same on every instance';

/** How one bench instance is set up (see `instance`). */
export interface InstanceOptions {
  longPollMs: number;
  /**
   * The strategy's `pollIntervalMs`: with provider notifications only the fallback check for a
   * lost notification (docs/notifications.md). Default 0: the provider's interval (CIBA: 5 s).
   */
  pollIntervalMs?: number;
  /** With a Redis URL, everything a login shares lives there. */
  redis?: string | undefined;
  /** Hears each login's subject. */
  verified?: (subject: string) => void;
  /** Times the provider's calls and the Redis commands (stores', sessions'). */
  stats?: ProcessStatsRecorder;
}

/** One app instance, the way an app with CIBA ping would run it. */
export async function instance(
  op: Pick<CibaOp, 'providerOptions'>,
  { longPollMs, pollIntervalMs = 0, redis, verified, stats }: InstanceOptions,
): Promise<{ app: Express; close(): Promise<void> }> {
  const timed = <T extends object>(target: T, prefix: string) =>
    stats ? timedMethods(target, prefix, stats) : target;
  const closers: (() => Promise<unknown>)[] = [];
  let stores: Partial<PushStores> = {};
  let store: session.Store = new session.MemoryStore();
  if (redis) {
    const client = createClient({ url: redis });
    await client.connect();
    const shared = await redisStores(timed(client, 'redis (stores)'));
    closers.push(
      () => shared.close(),
      () => client.close(),
    );
    stores = shared;
    store = new RedisStore({ client: timed(client, 'redis (sessions)'), prefix: 'sess:' });
  }
  const strategy = new PushStrategy(
    {
      provider: timed(new CibaProvider(op.providerOptions('ping')), 'provider'),
      pollIntervalMs,
      limiter: false,
      stores,
      ...(redis ? { secret: BENCH_SECRET } : {}),
    },
    async (subject: string) => {
      verified?.(subject);
      return { id: subject };
    },
  );
  const passport = new Passport();
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false, store }));
  app.use(passport.initialize());
  app.use(passport.session());
  app.use('/auth/push', pushLogin({ strategy, successRedirect: '/me', longPollMs }));
  return { app, close: async () => void (await Promise.all(closers.map((close) => close()))) };
}

export async function measureNotifyLatency(settings: NotifySettings): Promise<NotifyLatencyResult> {
  const result: NotifyLatencyResult = { settings, modes: [], skipped: [] };
  result.modes.push(await measureMode('ciba ping + long poll', settings));
  result.modes.push(await measureMode('ciba ping + SSE', settings));
  if (hasRedisServer()) result.modes.push(await measureMode('ciba ping + long poll, 2 instances', settings));
  else result.skipped.push('two instances: redis-server is not on PATH');
  return result;
}

async function measureMode(mode: NotifyMode, settings: NotifySettings): Promise<NotifyLatency> {
  const users = Object.fromEntries(Array.from({ length: settings.logins }, (_, i) => [`ping${i}`, {}]));
  const op = await startCibaOp({ users });
  const redis = mode.includes('2 instances') ? await startRedisServer() : undefined;
  const a = await instance(op, { longPollMs: settings.longPollMs, redis: redis?.url });
  const b = redis ? await instance(op, { longPollMs: settings.longPollMs, redis: redis.url }) : a;
  const servers: Listening[] = [await listen(a.app)];
  if (b !== a) servers.push(await listen(b.app));
  const waitOn = servers[0] as Listening;
  op.deliverPingsTo(`${(servers[1] ?? waitOn).url}/auth/push/notify`);
  try {
    const latencies = await Promise.all(
      Object.keys(users).map((user) => oneLogin(op, waitOn.url, user, mode, settings)),
    );
    return {
      mode,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      startsPerLogin: (op.calls['backchannel'] ?? 0) / latencies.length,
      checksPerLogin: (op.calls['token'] ?? 0) / latencies.length,
    };
  } finally {
    await Promise.all(servers.map((server) => server.close()));
    await a.close();
    if (b !== a) await b.close();
    await op.close();
    await redis?.stop();
  }
}

async function oneLogin(
  op: CibaOp,
  url: string,
  userId: string,
  mode: NotifyMode,
  settings: NotifySettings,
): Promise<number> {
  const browser = new Browser(url);
  const started = await browser.post('/auth/push/start', { username: userId });
  if (started.status !== 202) throw new Error(`start for ${userId}: ${started.status}`);
  const startedAt = performance.now();
  const binding = (started.body['display'] as { bindingMessage?: string } | undefined)?.bindingMessage;
  const phoneRequest = op.phone.pending(userId).find((r) => r.bindingMessage === binding);
  if (!phoneRequest) throw new Error(`the phone did not get ${userId}'s request`);
  const [from, to] = settings.approveWindowMs;
  const approveAfter = from + Math.random() * (to - from);
  let approvedAt = 0;
  const approval = (async () => {
    await delay(Math.max(0, approveAfter - (performance.now() - startedAt)));
    approvedAt = performance.now();
    await op.phone.approveNow(phoneRequest.id);
  })();
  const doneAt = mode === 'ciba ping + SSE' ? await viaStream(browser) : await viaLongPoll(browser);
  await approval;
  return doneAt - approvedAt;
}

/** Held long polls, asked again at once until the login completes. */
async function viaLongPoll(browser: Browser): Promise<number> {
  for (;;) {
    const answer = await browser.get('/auth/push/status');
    if (answer.status === 200) return performance.now();
    if (answer.status !== 202) throw new Error(`unexpected poll answer ${answer.status}`);
  }
}

/** The wait page's way: the status stream until a final state, then one status request. */
async function viaStream(browser: Browser): Promise<number> {
  const response = await fetch(`${browser.base}/auth/push/events`, {
    headers: { Accept: 'text/event-stream', Cookie: browser.cookie ?? '' },
  });
  if (response.status !== 200 || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended without a final state');
    buffer += value;
    const states = buffer.split('\n\n');
    buffer = states.pop() ?? '';
    const final = states.some(
      (block) => block.includes('event: state') && !/"state":"(pending|fetched)"/.test(block),
    );
    if (final) break;
  }
  await reader.cancel();
  const answer = await browser.get('/auth/push/status');
  if (answer.status !== 200) throw new Error(`status after the stream: ${answer.status}`);
  return performance.now();
}

/**
 * Heap growth over N pending challenges, each in its own session, and where it goes. The app runs
 * in a child process started with --expose-gc (so the heap holds the app and nothing else); the
 * SecSign simulator it talks to runs in the parent. After the starts, the parts are let go one by
 * one (display cache, start-limit counters, session store), with a forced GC before each reading.
 */
import { createStartLimiter, type RateLimitStore } from '../lib';
import { MemoryRateLimitStore } from '../lib/core/limits';
import { MemoryDisplayStore } from '../lib/core/display-store';
import { SecSignIdSimulator } from '../lib/testing';
import { Agent, request } from 'node:http';
import { buildPushApp, listen, storedSessions, type PushApp } from './apps';
import { forkRole } from './fork';

const WARMUP = 200;
const PROVIDER_TIMEOUT_MS = 2000;

/**
 * `default`: pushLogin's default display store (beside the sessions, in the session store);
 * `display-cache`: a `MemoryDisplayStore` given as `stores.displays` (the default before issue 26);
 * `no-display-cache`: no display kept anywhere (the baseline).
 */
export type MemoryVariant = 'default' | 'display-cache' | 'no-display-cache';

export interface MemoryResult {
  variant: MemoryVariant;
  challenges: number;
  /** heapUsed + arrayBuffers after the starts minus before, after forced GC. */
  heapGrowthBytes: number;
  heapGrowthPerChallengeBytes: number;
  /** The same without express-session's MemoryStore (a production app keeps its sessions in a shared store). */
  inProcessPerChallengeBytes: number;
  /** How the growth splits, measured by letting each part go. */
  displayCacheBytes: number;
  displayCacheEntries: number;
  limiterBytes: number;
  sessionStoreBytes: number;
  otherBytes: number;
  /** JSON bytes the MemoryStore holds (session ids + serialised sessions). */
  sessionStoreJsonBytes: number;
  /** Displays kept in the session store beside the sessions (the default display store). */
  sessionStoreDisplayEntries: number;
  recordJsonBytesAvg: number;
  sessionJsonBytesAvg: number;
  pendingRecords: number;
  startSeconds: number;
  /** Heap freed once the provider calls' timeout timers fired (not part of the growth above). */
  timerHeldBytes: number;
  /** The same per provider call made in the last `providerTimeoutMs` (an estimate from the start rate). */
  timerHeldPerCallBytes: number;
  providerTimeoutMs: number;
}

/** The default in-memory counters, behind a handle that can drop them all. */
class ResettableRateLimitStore implements RateLimitStore {
  private inner = new MemoryRateLimitStore();

  hit(key: string, windowMs: number, now: number) {
    return this.inner.hit(key, windowMs, now);
  }

  peek(key: string, now: number) {
    return this.inner.peek(key, now);
  }

  remove(key: string) {
    return this.inner.remove(key);
  }

  reset(): void {
    this.inner = new MemoryRateLimitStore();
  }
}

/**
 * heapUsed + arrayBuffers after forced GCs (the process must run with --expose-gc). The last
 * collection and the reading are in one tick: a reading a loop turn later also counted what that
 * turn allocated (at 10,000 status streams, thousands of rounds' garbage).
 */
export async function settledHeap(between?: () => boolean): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: run the heap reading with --expose-gc');
  for (let i = 0; i < 2; i++) {
    gc();
    // Lets weak callbacks and finalizers run between collections.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // `between`: read only in a turn where it holds (no work under way), for up to 1,000 turns.
  for (let turn = 0; between && !between() && turn < 1000; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  gc();
  // Buffers (the display cache keeps images as bytes) live outside the JS heap: count them too.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Lean client for the many starts: node:http with keep-alive (fetch costs more than the app).
 * Resolves with each start's session cookie (`name=value`), in order.
 */
export async function startMany(
  url: string,
  prefix: string,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = (i: number) => JSON.stringify({ username: `${prefix}${i}` });
  const cookies = new Array<string>(count);
  const startOne = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const payload = body(i);
      const req = request(
        `${url}/auth/push/start`,
        {
          method: 'POST',
          agent,
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 202) return reject(new Error(`start ${prefix}${i}: ${res.statusCode}`));
            cookies[i] = res.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  let next = 0;
  const worker = async () => {
    while (next < count) await startOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return cookies;
}

type ParentCommand = { type: 'baseline' } | { type: 'measure'; seconds: number };
type ChildReport = { type: 'ready'; url: string } | { type: 'baseline' } | MemoryResult;

function nextCommand(): Promise<ParentCommand> {
  return new Promise((resolve) => process.once('message', (message) => resolve(message as ParentCommand)));
}

/** Parses the store once, in its own frame, so nothing of it is alive at the next heap reading. */
async function storeStats(push: PushApp, count: number, total: number) {
  const sessions = await storedSessions(push.store);
  let storeJson = 0;
  let recordJson = 0;
  let pendingRecords = 0;
  let displayEntries = 0;
  let displayJson = 0;
  for (const [sid, data] of Object.entries(sessions)) {
    storeJson += sid.length + Buffer.byteLength(JSON.stringify(data));
    // The default display store's entries are not sessions.
    if (sid.startsWith('push-display:')) {
      displayEntries += 1;
      displayJson += sid.length + Buffer.byteLength(JSON.stringify(data));
      continue;
    }
    const record = (data as unknown as Record<string, unknown>)[push.strategy.sessionKey];
    if (record !== undefined) {
      pendingRecords += 1;
      recordJson += Buffer.byteLength(JSON.stringify(record));
    }
  }
  const sessionCount = Object.keys(sessions).length - displayEntries;
  return {
    sessionStoreDisplayEntries: (displayEntries * count) / total,
    sessionStoreJsonBytes: (storeJson * count) / total,
    recordJsonBytesAvg: pendingRecords ? recordJson / pendingRecords : 0,
    sessionJsonBytesAvg: sessionCount ? (storeJson - displayJson - sessionCount * 32) / sessionCount : 0,
    pendingRecords,
  };
}

/**
 * Child side (the app only): args are the simulator URL, the number of challenges and the variant.
 * The parent drives the starts; the child reads its heap when told.
 */
export async function measureMemoryInChild(args: readonly string[]): Promise<void> {
  const [simulatorUrl, countText, variantText] = args;
  if (!simulatorUrl || !countText) throw new Error('bench/memory: missing arguments');
  const count = Number(countText);
  const variant = variantText as MemoryVariant;
  // The in-process store (bounded, 10,000 entries), pushLogin's default before issue 26.
  const displays = variant === 'display-cache' ? new MemoryDisplayStore() : undefined;
  const counters = new ResettableRateLimitStore();
  const push = buildPushApp({
    simulatorUrl,
    providerPollIntervalMs: 60_000,
    challengeTimeoutMs: 600_000,
    // Short, so that the timeout signals of the last calls are gone before the reading (see below).
    providerTimeoutMs: PROVIDER_TIMEOUT_MS,
    ...(variant === 'default' ? {} : { displayStore: displays ?? false }),
    // The default limits, except per IP: every start here comes from 127.0.0.1.
    limiter: createStartLimiter({ perIp: false, store: counters }),
  });
  const server = await listen(push.app);
  const send = (report: ChildReport) => process.send?.(report);
  send({ type: 'ready', url: server.url });

  await nextCommand(); // the parent warmed the app up
  await new Promise((resolve) => setTimeout(resolve, PROVIDER_TIMEOUT_MS + 500));
  const before = await settledHeap();
  send({ type: 'baseline' });
  const { seconds } = (await nextCommand()) as { seconds: number };
  // Every provider call leaves AbortSignal.timeout() timers that hold memory until they fire,
  // whether or not the call is done: read the heap with them, and again once they have fired.
  const withLiveTimers = await settledHeap();
  await new Promise((resolve) => setTimeout(resolve, PROVIDER_TIMEOUT_MS + 500));
  const after = await settledHeap();
  const callsInWindow = Math.min(count, (count / seconds) * (PROVIDER_TIMEOUT_MS / 1000));

  const displayCacheEntries = displays?.size ?? 0;
  displays?.clear();
  const withoutDisplays = await settledHeap();
  counters.reset();
  const withoutCounters = await settledHeap();
  const total = count + WARMUP;
  const stats = await storeStats(push, count, total);
  await new Promise<void>((resolve) => push.store.clear(() => resolve()));
  const withoutSessions = await settledHeap();
  await server.close();

  // The warm-up sessions and counters were freed too: scale those parts to the measured starts.
  const result: MemoryResult = {
    variant,
    challenges: count,
    heapGrowthBytes: after - before,
    heapGrowthPerChallengeBytes: (after - before) / count,
    inProcessPerChallengeBytes: 0,
    displayCacheBytes: after - withoutDisplays,
    displayCacheEntries,
    limiterBytes: ((withoutDisplays - withoutCounters) * count) / total,
    sessionStoreBytes: ((withoutCounters - withoutSessions) * count) / total,
    otherBytes: 0,
    ...stats,
    startSeconds: seconds,
    timerHeldBytes: withLiveTimers - after,
    timerHeldPerCallBytes: (withLiveTimers - after) / callsInWindow,
    providerTimeoutMs: PROVIDER_TIMEOUT_MS,
  };
  result.otherBytes =
    result.heapGrowthBytes - result.displayCacheBytes - result.limiterBytes - result.sessionStoreBytes;
  result.inProcessPerChallengeBytes = (result.heapGrowthBytes - result.sessionStoreBytes) / count;
  send(result);
  process.disconnect?.();
}

/** Parent side: a fresh simulator per variant; the app in a child with --expose-gc; the starts from here. */
export async function measureMemory(
  count: number,
  variants: readonly MemoryVariant[],
): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const variant of variants) {
    const users = [
      ...Array.from({ length: WARMUP }, (_, i) => `warm${i}`),
      ...Array.from({ length: count }, (_, i) => `user${i}`),
    ];
    const sim = await SecSignIdSimulator.start({ users });
    const child = forkRole('memory', [sim.url, String(count), variant], ['--expose-gc']);
    try {
      const { url } = await child.next<{ type: 'ready'; url: string }>();
      await startMany(url, 'warm', WARMUP, 8);
      child.send({ type: 'baseline' });
      await child.next<{ type: 'baseline' }>();
      const startedAt = performance.now();
      await startMany(url, 'user', count, 16);
      child.send({ type: 'measure', seconds: (performance.now() - startedAt) / 1000 });
      results.push(await child.next<MemoryResult>(150_000));
      await child.exit();
    } finally {
      await child.exit(1000);
      await sim.close();
    }
  }
  return results;
}

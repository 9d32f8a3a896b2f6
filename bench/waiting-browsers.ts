/**
 * Many browsers waiting on one instance: N browsers, each with its own pending login on a polled
 * provider, each holding one long poll (or one status stream), against N bare held requests
 * (Express + express-session + passport, a route that simply does not answer yet) in the same run.
 * The app runs in a child with --expose-gc, so the heap readings are the server's alone; the
 * browsers' sockets live in the parent. Measured: heap per waiting browser and its ratio to the
 * bare held request, session-store reads per second and per provider check, event-loop delay p99
 * while they wait, and the time for all of them to complete when approved at once.
 *
 * Alone: `tsx bench/waiting-browsers.ts` (WAITING_BROWSERS=1000,10000 sets the sizes).
 */
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { PushStrategy, pushLogin } from '../lib';
import type { ChallengeHandle, ChallengeStatus, PushProvider, StartedChallenge } from '../lib';
import { listen, SESSION_SECRET } from './apps';
import { forkRole } from './fork';
import { settledHeap, startMany } from './memory';

/** What a browser holds: a bare held request, a long poll, or a status stream. */
export type WaitingVariant = 'bare-held' | 'long-poll' | 'status-stream';

const VARIANTS: readonly WaitingVariant[] = ['bare-held', 'long-poll', 'status-stream'];
/** The provider's interval (as in issue 26's measurement). */
const INTERVAL_MS = 2000;
/**
 * How long a long poll is held and a login lives: longer than a loaded machine takes to open
 * 10,000 connections (300–700 s seen), so no hold ends before the heap is read and all approved.
 */
const HOLD_MS = 1_800_000;
const CHALLENGE_MS = 3_600_000;
/** Heap readings with every request held, over one interval (see `quietHeap`). */
const QUIET_READINGS = 5;
/** How long the waiting is watched: store reads, provider checks, event-loop delay. */
const WATCH_MS = 3 * INTERVAL_MS;

export interface WaitingRun {
  variant: WaitingVariant;
  browsers: number;
  /** Requests the server had received when its heap was read (fewer than `browsers` if it dropped some). */
  held: number;
  /** Heap (heapUsed + arrayBuffers, after GC) the held requests add to the waiting sessions, per browser. */
  heldBytesPerBrowser: number;
  /**
   * Every heap reading of `heldBytesPerBrowser` (it is the least), less the heap before the
   * requests, with what was in flight at each: to tell what is held from work under way.
   */
  heldReadings: HeapReading[];
  /** Session-store reads per second while waiting. */
  storeReadsPerSecond: number;
  /** Provider checks per second while waiting (0 for the bare request). */
  providerChecksPerSecond: number;
  /** Store reads per provider check (undefined without checks). */
  readsPerCheck: number | undefined;
  eventLoopDelayP99Ms: number;
  /** From "approve all" to the last browser's complete answer (parent clock). */
  completeAllMs: number;
  /** Answers that were not the expected success. */
  failures: number;
  /** The failed answers by what they were (see `holdAll`). */
  failedAnswers: Record<string, number>;
}

export interface WaitingResult {
  intervalMs: number;
  runs: WaitingRun[];
  /** Per size: held long poll / bare held and status stream / bare held (heap per browser). */
  ratios: { browsers: number; longPoll: number; statusStream: number }[];
}

/** A polled provider in memory: every challenge pending until `approveAll`; checks counted. */
class WaitingProvider implements PushProvider {
  readonly name = 'waiting-bench';
  readonly displayName = 'Bench';
  readonly userId = 'required' as const;
  readonly subjectRule = 'must-match' as const;
  checks = 0;
  private approved = false;
  private next = 0;
  private readonly users = new Map<string, string>();

  async start(request: { userId?: string }): Promise<StartedChallenge> {
    const id = `w${(this.next += 1)}`;
    this.users.set(id, request.userId ?? '');
    return { handle: { id }, display: {}, pollIntervalMs: INTERVAL_MS };
  }

  async check(handle: ChallengeHandle): Promise<ChallengeStatus> {
    this.checks += 1;
    const subject = this.users.get(String(handle['id']));
    if (subject === undefined) return { state: 'expired' };
    return this.approved ? { state: 'approved', subject } : { state: 'pending' };
  }

  async cancel(): Promise<void> {}

  approveAll(): void {
    this.approved = true;
  }
}

/** express-session's MemoryStore, counting its reads and those not yet answered. */
class CountingStore extends session.MemoryStore {
  reads = 0;
  inFlight = 0;
  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.reads += 1;
    this.inFlight += 1;
    super.get(sid, (err, data) => {
      this.inFlight -= 1;
      callback(err, data);
    });
  }
}

/** One heap reading and what was in flight at it (see `quietHeap`). */
export interface HeapReading {
  /**
   * heapUsed + arrayBuffers right after a forced GC, in the same tick, in a turn with no session
   * read waiting (between rounds; `storeReadsInFlight` says if none came in 1,000 turns).
   */
  bytes: number;
  /** Session-store reads begun and not yet answered at that reading. */
  storeReadsInFlight: number;
  arrayBuffers: number;
  /** The same, read just before, whenever it came (with rounds in flight). */
  anyTimeBytes: number;
  /** The store reads waiting at that reading. */
  storeReadsInFlightAnyTime: number;
  /** That reading one event-loop turn later, without a collection (how the heap was read before 26f). */
  oneTurnLaterBytes: number;
  /** Bytes the server has written to its held sockets that the kernel has not taken yet. */
  unsentSocketBytes: number;
}

type Command =
  | { type: 'baseline' }
  | { type: 'held'; sent: number }
  | { type: 'watch' }
  | { type: 'approve' }
  | { type: 'exit' };

function nextCommand(): Promise<Command> {
  return new Promise((resolve) => process.once('message', (message) => resolve(message as Command)));
}

/** Child side: the app, the heap readings and the counters. Args: variant, browsers. */
export async function serveWaitingInChild(args: readonly string[]): Promise<void> {
  const variant = args[0] as WaitingVariant;
  const store = new CountingStore();
  const provider = new WaitingProvider();
  const passport = new Passport();
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false, store }));
  app.use(passport.initialize());
  app.use(passport.session());
  let arrived = 0;
  const held: express.Response[] = [];
  // Every held request's socket (8 bytes each, in every variant alike): what it has not sent yet.
  const sockets: Socket[] = [];
  const unsent = () => sockets.reduce((sum, socket) => sum + socket.writableLength, 0);
  const reading = async (): Promise<HeapReading> => {
    // First whenever it comes, rounds in flight or not (the store reads waiting are counted)…
    const anyTime = await settledHeap();
    const readsInFlightAnyTime = store.inFlight;
    // …and one loop turn later without a collection, as the heap was read before.
    await new Promise((resolve) => setImmediate(resolve));
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    // What is held: a turn with no session read waiting, so no stream's round is under way
    // (a round is its session read, then the provider's check and the write, in the same turn).
    const bytes = await settledHeap(() => store.inFlight === 0);
    return {
      bytes,
      storeReadsInFlight: store.inFlight,
      unsentSocketBytes: unsent(),
      arrayBuffers: process.memoryUsage().arrayBuffers,
      anyTimeBytes: anyTime,
      storeReadsInFlightAnyTime: readsInFlightAnyTime,
      oneTurnLaterBytes: heapUsed + arrayBuffers,
    };
  };
  if (variant === 'bare-held') {
    app.post('/auth/push/start', (req, res) => {
      (req.session as unknown as Record<string, unknown>)['visitor'] = { id: 'alice', since: Date.now() };
      res.status(202).json({ ok: true });
    });
    // The bare held request: it simply does not answer until told.
    app.get('/held', (req, res) => {
      arrived += 1;
      sockets.push(req.socket);
      held.push(res);
    });
  } else {
    const strategy = new PushStrategy(
      { provider, pollIntervalMs: 0, challengeTimeoutMs: CHALLENGE_MS, limiter: false },
      async (subject: string) => ({ id: subject }),
    );
    passport.use(strategy);
    app.use((req, _res, next) => {
      if (req.path === '/auth/push/status' || req.path === '/auth/push/events') {
        arrived += 1;
        sockets.push(req.socket);
      }
      next();
    });
    app.use('/auth/push', pushLogin({ strategy, longPollMs: HOLD_MS, eventsRecheckMs: INTERVAL_MS }));
  }
  const server = await listen(app);
  process.send?.({ type: 'ready', url: server.url });

  await nextCommand(); // the sessions (and logins) exist
  const empty = await settledHeap();
  // WAITING_SNAPSHOT_DIR: heap snapshots before and with every request held, to compare constructors.
  const snapshotDir = process.env['WAITING_SNAPSHOT_DIR'];
  const snapshot = (when: string) =>
    snapshotDir && writeHeapSnapshot(join(snapshotDir, `${variant}-${args[1] ?? ''}-${when}.heapsnapshot`));
  snapshot('before');
  process.send?.({ type: 'baseline' });
  const { sent } = (await nextCommand()) as { sent: number }; // the parent sent every held request
  // An overloaded server drops requests whose headers it did not read in time: wait until every
  // request arrived, or none did for 5 s (of the clock: a saturated loop runs 20 ms timers late).
  for (let seen = arrived, since = performance.now(); arrived < sent && performance.now() - since < 5000;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (arrived !== seen) since = performance.now();
    seen = arrived;
  }
  // Let the last arrivals reach their wait (a session read, a local poll).
  await new Promise((resolve) => setTimeout(resolve, 300));
  const readings = await quietHeap(reading);
  const withHeld = Math.min(...readings.map((r) => r.bytes));
  snapshot('held');
  process.send?.({ type: 'held' });

  await nextCommand();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const reads0 = store.reads;
  const checks0 = provider.checks;
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  delay.disable();
  const reads = store.reads - reads0;
  const checks = provider.checks - checks0;
  process.send?.({
    type: 'watched',
    heldBytes: withHeld - empty,
    readings: readings.map((r) => ({
      ...r,
      bytes: r.bytes - empty,
      anyTimeBytes: r.anyTimeBytes - empty,
      oneTurnLaterBytes: r.oneTurnLaterBytes - empty,
    })),
    held: arrived,
    reads,
    checks,
    p99: delay.percentile(99) / 1e6,
  });

  await nextCommand();
  provider.approveAll();
  for (const res of held.splice(0)) res.json({ state: 'authenticated' });
  // The parent closes its sockets when it has every answer, then tells this child to exit.
  await nextCommand();
  await server.close();
  process.disconnect?.();
}

/**
 * The heap with every request held, between rounds: readings spread over one provider interval
 * (the least is used). Every held poll and stream checks once per interval, and 10,000 streams
 * start a round every few turns: a reading whenever it comes holds hundreds of rounds in flight
 * (a session read waiting, its promises, the parsed session), gone a turn later. What a held
 * request keeps is what is left between them: each reading waits for a turn with no session read
 * waiting (`read`).
 */
async function quietHeap(read: () => Promise<HeapReading>): Promise<HeapReading[]> {
  const readings: HeapReading[] = [];
  for (let n = 0; n < QUIET_READINGS; n++) {
    readings.push(await read());
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS / QUIET_READINGS));
  }
  return readings;
}

/**
 * Sends one held request per browser, each on its own connection, opening at most 200 at a time
 * (the listen backlog is 511). Resolves once every request is sent, with how many were and with
 * their answers (true: the expected success).
 */
async function holdAll(url: string, variant: WaitingVariant, cookies: readonly string[]) {
  const path =
    variant === 'bare-held' ? '/held' : variant === 'long-poll' ? '/auth/push/status' : '/auth/push/events';
  const accept = variant === 'status-stream' ? 'text/event-stream' : 'application/json';
  /** Per browser: `ok`, or what it got instead (`<status>`, `<status> <first state seen>`, or the socket error's code). */
  const answers: Promise<string>[] = [];
  let sent = 0;
  const holdOne = (cookie: string) =>
    new Promise<void>((connected) => {
      const answer = new Promise<string>((resolve) => {
        const req = request(`${url}${path}`, { agent: false, headers: { Accept: accept, Cookie: cookie } });
        req.on('socket', (socket) =>
          socket.once('connect', () => {
            sent += 1;
            connected();
          }),
        );
        req.on('response', (res: IncomingMessage) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            const success =
              variant === 'status-stream' ? body.includes('"approved"') : body.includes('authenticated');
            if (res.statusCode === 200 && success) return resolve('ok');
            resolve(`${res.statusCode} ${/"state":"([a-z_]+)"/.exec(body)?.[1] ?? ''}`.trim());
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          connected();
          resolve(error.code ?? 'error');
        });
        req.end();
      });
      answers.push(answer);
    });
  let next = 0;
  const worker = async () => {
    while (next < cookies.length) await holdOne(cookies[next++] ?? '');
  };
  await Promise.all(Array.from({ length: 200 }, worker));
  return { sent, answers: Promise.all(answers) };
}

async function measureOne(variant: WaitingVariant, browsers: number): Promise<WaitingRun> {
  const child = forkRole('waiting', [variant, String(browsers)], ['--expose-gc']);
  const began = performance.now();
  const step = (name: string) =>
    console.error(
      `  ${variant} × ${browsers}: ${name} (${((performance.now() - began) / 1000).toFixed(0)} s)`,
    );
  try {
    const { url } = await child.next<{ type: 'ready'; url: string }>();
    step('starting');
    const cookies = await startMany(url, 'user', browsers, 16);
    step('baseline');
    child.send({ type: 'baseline' });
    await child.next();
    step('holding');
    const { sent, answers } = await holdAll(url, variant, cookies);
    step(`${sent} held`);
    child.send({ type: 'held', sent });
    await child.next(900_000);
    step('watching');
    child.send({ type: 'watch' });
    const watched = await child.next<{
      heldBytes: number;
      readings: HeapReading[];
      held: number;
      reads: number;
      checks: number;
      p99: number;
    }>();
    const kib = (bytes: number) => (bytes / watched.held / 1024).toFixed(1);
    for (const r of watched.readings) {
      step(
        `reading ${kib(r.bytes)} KiB/held (${r.storeReadsInFlight} reads in flight); any time ` +
          `${kib(r.anyTimeBytes)} (${r.storeReadsInFlightAnyTime} in flight), a turn later ${kib(r.oneTurnLaterBytes)}; ` +
          `arrayBuffers ${(r.arrayBuffers / 1048576).toFixed(1)} MiB, ${r.unsentSocketBytes} B unsent`,
      );
    }
    step('approving');
    const approvedAt = performance.now();
    child.send({ type: 'approve' });
    const ok = await answers;
    const completeAllMs = performance.now() - approvedAt;
    child.send({ type: 'exit' });
    await child.exit();
    const seconds = WATCH_MS / 1000;
    return {
      variant,
      browsers,
      held: watched.held,
      heldBytesPerBrowser: watched.heldBytes / watched.held,
      heldReadings: watched.readings,
      storeReadsPerSecond: watched.reads / seconds,
      providerChecksPerSecond: watched.checks / seconds,
      readsPerCheck: watched.checks > 0 ? watched.reads / watched.checks : undefined,
      eventLoopDelayP99Ms: watched.p99,
      completeAllMs,
      failures: ok.filter((answer) => answer !== 'ok').length,
      failedAnswers: tallyFailures(ok),
    };
  } finally {
    await child.exit(1000);
  }
}

function tallyFailures(answers: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) if (answer !== 'ok') counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}

/** Every variant at every size, each in a fresh child. */
export async function measureWaitingBrowsers(sizes: readonly number[]): Promise<WaitingResult> {
  const runs: WaitingRun[] = [];
  for (const browsers of sizes) {
    for (const variant of waitingVariants()) runs.push(await measureOne(variant, browsers));
  }
  const ratios = sizes.map((browsers) => {
    const held = (variant: WaitingVariant) =>
      runs.find((run) => run.browsers === browsers && run.variant === variant)?.heldBytesPerBrowser ?? NaN;
    const bare = held('bare-held');
    return { browsers, longPoll: held('long-poll') / bare, statusStream: held('status-stream') / bare };
  });
  return { intervalMs: INTERVAL_MS, runs, ratios };
}

/** The sizes from WAITING_BROWSERS (comma-separated), else 1,000 and 10,000. */
export function waitingSizes(): number[] {
  const given = process.env['WAITING_BROWSERS'];
  if (!given) return [1_000, 10_000];
  const sizes = given.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`WAITING_BROWSERS: ${given}`);
  return sizes;
}

/** The variants from WAITING_VARIANTS (comma-separated, for a quick look at one), else all three. */
function waitingVariants(): readonly WaitingVariant[] {
  const given = process.env['WAITING_VARIANTS'];
  if (!given) return VARIANTS;
  const variants = given.split(',').map((s) => s.trim()) as WaitingVariant[];
  if (variants.some((v) => !VARIANTS.includes(v))) throw new Error(`WAITING_VARIANTS: ${given}`);
  return variants;
}

/** The table `npm run bench` prints. */
export function renderWaiting(result: WaitingResult): string {
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const lines = [
    `Waiting browsers: each with its own pending login (provider interval ${result.intervalMs} ms), one held request each`,
    'variant        browsers     held  KiB/held  store reads/s  checks/s  reads/check  ELD p99 ms  all done ms  failures',
  ];
  for (const r of result.runs) {
    lines.push(
      [
        r.variant.padEnd(13),
        String(r.browsers).padStart(9),
        String(r.held).padStart(8),
        kib(r.heldBytesPerBrowser).padStart(9),
        r.storeReadsPerSecond.toFixed(0).padStart(14),
        r.providerChecksPerSecond.toFixed(0).padStart(9),
        (r.readsPerCheck === undefined ? '–' : r.readsPerCheck.toFixed(2)).padStart(12),
        r.eventLoopDelayP99Ms.toFixed(1).padStart(11),
        r.completeAllMs.toFixed(0).padStart(12),
        String(r.failures).padStart(9),
      ].join(' '),
    );
  }
  for (const r of result.runs) {
    if (r.failures === 0) continue;
    const what = Object.entries(r.failedAnswers ?? {}).map(([answer, count]) => `${answer} × ${count}`);
    lines.push(`${r.variant} × ${r.browsers} failed answers: ${what.join(', ')}`);
  }
  for (const ratio of result.ratios) {
    lines.push(
      `${ratio.browsers} browsers: long poll ${ratio.longPoll.toFixed(2)}× a bare held request, status stream ${ratio.statusStream.toFixed(2)}× (aim ≤ 1.2)`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  measureWaitingBrowsers(waitingSizes())
    .then((result) => console.log(renderWaiting(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

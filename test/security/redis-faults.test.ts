/**
 * Redis going away mid-login, for real: a redis-server started here is stopped (and started again,
 * empty) or paused (SIGSTOP, then SIGCONT) during a start, during a held long poll, during a
 * provider notification and at completion. Every shared store (claims, counters, notification
 * index and bus, displays) lives on it. Each case shows: no login while it is away, at most one
 * completion, a 503 with `Retry-After` (to the browser, or to the provider's notification), a
 * `store_error` audit event, and recovery once it is back. Then each store alone on a paused
 * Redis through a whole login: what a login needs refuses, what only speeds it up is lost and heard.
 *
 * The same login completes once Redis is back, whichever client: a claim that timed out and that
 * Redis ran later (a paused server, or a client that sent it from its offline queue) is released
 * right behind it by its own attempt (compare-and-delete on the attempt's token), so it never
 * stands for a completion nobody made; a claim that won in time is never released. Explicit
 * signals only: the process is seen stopped or running, the held poll is seen subscribed, the
 * clients are seen ready (a PING on the same connection answers after the release). A missing
 * redis-server fails this suite.
 */
import { createClient } from 'redis';
import request from 'supertest';
import type { PushEvent, PushStores } from '../../lib';
import { RedisCompletionStore } from '../../lib/stores/redis';
import { commandsOf } from '../../lib/stores/redis-client';
import { redisStores, type RedisStores } from '../../lib/stores/redis-stores';
import { ScriptedProvider } from '../../lib/testing';
import { buildTestApp, type TestApp } from '../helpers/app';
import { CLIENT_KINDS, type ConnectedRedis } from '../helpers/redis-clients';
import { startRedisServer, type ControllableRedisServer } from '../helpers/redis-server';
import { storeOutage, type StoreOutage } from '../helpers/store-outage';

const connectTo = (options: Parameters<typeof createClient>[0]) => createClient(options);
type Client = ReturnType<typeof connectTo>;

const json = { Accept: 'application/json' };
/**
 * The strategy's store deadline: generous, so no healthy call races it on a busy machine (a
 * worker's GC pause, stretched by a loaded CPU, once outlasted a 500 ms deadline and turned a
 * healthy poll into a 503). While Redis is away its calls can only be given up on: they end at
 * `outageMs` (test/helpers/store-outage.ts), so every case is still quick.
 */
const storeTimeoutMs = 10_000;
const outageMs = 500;

type Fault = 'stop' | 'pause';
type Moment = 'start' | 'held poll' | 'notification' | 'completion';
type ClientKind = 'fails fast (disableOfflineQueue)' | 'queues while reconnecting (default)';

let server: ControllableRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.stop());

/** One app on fresh stores (its own key prefix), its clients, and what it heard. */
interface Setup {
  app: TestApp;
  provider: ScriptedProvider;
  events: PushEvent[];
  clients: Client[];
  stores: RedisStores;
  /** Bounds the app's store calls while Redis is away. */
  outage: StoreOutage;
  /** Resolves with the challenge id the next time a waiting request subscribes to the bus. */
  nextHold(): Promise<string>;
}

let prefixes = 0;

/** `only`: that store alone on Redis (the others in memory); default every store. */
async function setUp(kind: ClientKind, only?: keyof PushStores): Promise<Setup> {
  const options = {
    url: server.url,
    disableOfflineQueue: kind === 'fails fast (disableOfflineQueue)',
    // Back quickly once the server is: the test waits for `ready`, not for a time.
    socket: { reconnectStrategy: () => 50 },
  };
  const client = connectTo(options);
  const subscriber = connectTo(options);
  for (const c of [client, subscriber]) c.on('error', () => undefined); // a client without a listener would crash
  await Promise.all([client.connect(), subscriber.connect()]);
  const stores = await redisStores(client, { subscriber, prefix: `faults${++prefixes}:` });
  let held: ((challengeId: string) => void) | undefined;
  const subscribe = stores.notificationBus.subscribe.bind(stores.notificationBus);
  stores.notificationBus.subscribe = (challengeId, listener) => {
    held?.(challengeId);
    return subscribe(challengeId, listener);
  };
  const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
  const events: PushEvent[] = [];
  const outage = storeOutage(only ? { [only]: stores[only] } : stores);
  const app = buildTestApp({
    provider,
    strategy: {
      storeTimeoutMs,
      stores: outage.stores,
      secret: 'a secret the shared stores key their entries with',
      // The windows stay on (per IP, per ID); no cooldowns, which a queued count of a refused start would hold.
      limiter: { sessionCooldownMs: 0, userCooldownMs: 0 },
      onEvent: (event) => events.push(event),
    },
    router: { longPollMs: 60_000 },
  });
  return {
    app,
    provider,
    events,
    clients: [client, subscriber],
    stores,
    outage,
    nextHold: () => new Promise((resolve) => (held = resolve)),
  };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.stores.close().catch(() => undefined);
  await Promise.all(setup.clients.map((c) => c.close().catch(() => undefined)));
}

/** The next `event` of a client (`events.once` would reject on the errors a lost connection emits). */
function heard(client: Client, event: 'ready' | 'reconnecting'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

/** Takes Redis away; a stop waits until every client has seen its connection go. */
async function takeAway(fault: Fault, setup: Setup): Promise<void> {
  setup.outage.begin(outageMs);
  if (fault === 'pause') return server.pause();
  const gone = setup.clients.map((c) => heard(c, 'reconnecting'));
  await server.stop();
  await Promise.all(gone);
}

/** Brings Redis back and waits until every client of the app can talk to it again. */
async function bringBack(fault: Fault, setup: Setup): Promise<void> {
  if (fault === 'pause') {
    await server.resume();
  } else {
    const ready = setup.clients.map((c) => (c.isReady ? Promise.resolve() : heard(c, 'ready')));
    await server.restart();
    await Promise.all(ready);
  }
  await setup.clients[0]?.ping();
  setup.outage.end();
}

/** A refusal while Redis is away: 503, `Retry-After`, a retryable store fault, a message. */
function expectUnavailable(answer: request.Response): void {
  expect(answer.status).toBe(503);
  expect(answer.headers['retry-after']).toBe('2');
  expect(answer.body).toMatchObject({
    error: 'store_unavailable',
    retryable: true,
    message: expect.any(String),
  });
}

const storeErrors = (events: PushEvent[]) =>
  events.filter(
    (event): event is Extract<PushEvent, { type: 'store_error' }> => event.type === 'store_error',
  );

/** Signs in from scratch: a new start, the phone approves, the poll completes. */
async function signsIn(setup: Setup, agent: ReturnType<typeof request.agent>): Promise<void> {
  await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  setup.provider.answer('approved');
  await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
}

const KINDS: ClientKind[] = ['fails fast (disableOfflineQueue)', 'queues while reconnecting (default)'];
const FAULTS: Fault[] = ['stop', 'pause'];
const MOMENTS: Moment[] = ['start', 'held poll', 'notification', 'completion'];
const CASES = KINDS.flatMap((kind) =>
  FAULTS.flatMap((fault) => MOMENTS.map((moment) => [kind, fault, moment] as const)),
);

describe.each(CASES)('a client that %s; Redis %s during the %s', (kind, fault, moment) => {
  let setup: Setup;
  /** Set while Redis is away, so a failed case still leaves it running for the next. */
  let isAway = false;
  beforeEach(async () => {
    setup = await setUp(kind);
  });
  afterEach(async () => {
    if (isAway) await (fault === 'pause' ? server.resume() : server.restart());
    isAway = false;
    await tearDown(setup);
  });

  test('no login while it is away, 503 with Retry-After, heard; back, a login completes once', async () => {
    const { app, provider, events } = setup;
    const agent = request.agent(app.app);
    const away = async () => {
      isAway = true;
      await takeAway(fault, setup);
    };
    const back = async () => {
      await bringBack(fault, setup);
      isAway = false;
    };

    if (moment === 'start') {
      await away();
      expectUnavailable(await agent.post('/auth/push/start').set(json).send({ username: 'alice' }));
      expect(provider.challenges).toHaveLength(0); // no push reached a phone
      expect(storeErrors(events)).toContainEqual(
        expect.objectContaining({ store: 'rate_limit', operation: 'hit' }),
      );
      await back();
      await signsIn(setup, agent);
    } else if (moment === 'notification') {
      await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
      await away();
      provider.answer('approved');
      const { headers, body } = provider.notification();
      const notified = await request(app.app).post('/auth/push/notify').set(headers).send(body);
      expect(notified.status).toBe(503);
      expect(notified.headers['retry-after']).toBe('2');
      expect(storeErrors(events)).toContainEqual(
        expect.objectContaining({ store: 'notification_index', operation: 'find' }),
      );
      await back();
      // The lost notification is made up by the next provider check: the same login completes.
      await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    } else {
      await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
      let answer: request.Response;
      if (moment === 'held poll') {
        const hold = setup.nextHold();
        const poll = agent
          .get('/auth/push/status')
          .set(json)
          .then((r) => r);
        await hold;
        await away();
        // The held poll's next provider check (every round: no interval here) finds the approval.
        provider.answer('approved');
        answer = await poll;
      } else {
        provider.answer('approved');
        await away();
        answer = await agent.get('/auth/push/status').set(json);
      }
      expectUnavailable(answer);
      expect(storeErrors(events)).toContainEqual(
        expect.objectContaining({ store: 'completion', operation: 'decide' }),
      );
      await agent.get('/me').expect(401);
      await back();
      // Whether the timed-out claim never reached Redis or ran late, the same login completes.
      await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    }
    await agent.get('/me').expect(200);
    expect(app.verified).toHaveLength(1);
    // Nothing secret in what the app heard.
    expect(JSON.stringify(storeErrors(events))).not.toMatch(/alice|s3cret/);
  });
});

/**
 * Each store alone on a paused Redis, through a whole login: the stores a login cannot do without
 * (the start's counters, the completion claim) refuse with 503; the hints (notification index and
 * bus, displays) are lost with a `store_error` event and the login goes on by polling. Nobody is
 * logged in before the phone approves, never twice, and once Redis is back a login completes.
 */
const ALONE: [part: keyof PushStores, store: string, operation: string][] = [
  ['rateLimits', 'rate_limit', 'hit'],
  ['completions', 'completion', 'decide'],
  ['notificationIndex', 'notification_index', 'find'],
  ['notificationBus', 'notification_bus', 'publish'],
  ['displays', 'display', 'set'],
];

describe.each(ALONE)('%s alone on a paused Redis', (part, store, operation) => {
  let setup: Setup;
  let isAway = false;
  beforeEach(async () => {
    setup = await setUp('fails fast (disableOfflineQueue)', part);
  });
  afterEach(async () => {
    if (isAway) await server.resume();
    isAway = false;
    await tearDown(setup);
  });

  test('what it is needed for answers 503; what it only speeds up is lost, heard; a login completes once', async () => {
    const { app, provider, events } = setup;
    const agent = request.agent(app.app);
    setup.outage.begin(outageMs);
    await server.pause();
    isAway = true;

    const started = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    if (part === 'rateLimits') {
      expectUnavailable(started);
      expect(provider.challenges).toHaveLength(0);
    } else {
      expect(started.status).toBe(202);
      await agent.get('/me').expect(401); // pending: nobody is logged in before the phone approves
      provider.answer('approved');
      const { headers, body } = provider.notification();
      const notified = await request(app.app).post('/auth/push/notify').set(headers).send(body);
      const needed = part === 'notificationIndex' || part === 'notificationBus';
      expect(notified.status).toBe(needed ? 503 : 204);
      const polled = await agent.get('/auth/push/status').set(json);
      if (part === 'completions') expectUnavailable(polled);
      else expect(polled.status).toBe(200); // the hints were lost, the provider's answer was not
    }
    expect(storeErrors(events)).toContainEqual(expect.objectContaining({ store, operation }));

    await server.resume();
    isAway = false;
    await setup.clients[0]?.ping();
    setup.outage.end();
    // A refused start needs a new one; the paused claim ran late and was released: the same login completes.
    if (part === 'rateLimits') await signsIn(setup, agent);
    else if (part === 'completions') {
      await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    }
    await agent.get('/me').expect(200);
    expect(app.verified).toHaveLength(1);
  });
});

/**
 * The completion store itself: an attempt its caller gave up on (the store deadline aborts its
 * signal; the login counted it as not claimed) that Redis runs when it resumes is released right
 * behind it, on the same connection, only if the claim is still its own (the attempt's token): the
 * next attempt wins, once. An attempt that won before its caller gave up is never released.
 */
describe.each(CLIENT_KINDS)('a completion attempt given up on while Redis is paused ($name)', (kind) => {
  let connected: ConnectedRedis;
  let isAway = false;
  beforeEach(async () => {
    connected = await kind.connect({ url: server.url });
  });
  afterEach(async () => {
    if (isAway) await server.resume();
    isAway = false;
    await connected.close().catch(() => undefined);
  });
  const store = () => new RedisCompletionStore(connected.client, `late${++prefixes}:`);
  /** A PING on the stores' connection: answered after every command sent before it. */
  const ping = () => commandsOf(connected.client).run(undefined, ['PING']);
  const expiresAt = () => Date.now() + 60_000;

  /** Sends `attempt` to a paused Redis, gives up on it, resumes; resolves with what it answered. */
  async function givenUpOn<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await server.pause();
    isAway = true;
    const caller = new AbortController();
    const answer = attempt(caller.signal);
    caller.abort(); // the store deadline: the login counts it as not claimed
    await server.resume();
    isAway = false;
    await ping(); // answered after the late claim and its release, on the same connection
    return answer;
  }

  test('a claim that ran late is released: the next claim wins, once', async () => {
    const completions = store();
    const until = expiresAt();
    expect(await givenUpOn((signal) => completions.claim('c1', until, signal))).toBe(false);
    expect(await completions.claim('c1', until)).toBe(true);
    expect(await completions.claim('c1', until)).toBe(false);
  });

  test('an ending decided late is released: the next decision records its own, once', async () => {
    const completions = store();
    const until = expiresAt();
    const late = await givenUpOn((signal) => completions.decide('c2', until, 'cancelled', signal));
    expect(late.decided).toBe(false);
    expect(await completions.decide('c2', until, 'approved')).toEqual({ decided: true, ending: 'approved' });
    expect(await completions.decide('c2', until, 'cancelled')).toEqual({
      decided: false,
      ending: 'approved',
    });
  });

  test('a late attempt that lost releases nothing: the claim that won stands', async () => {
    const completions = store();
    const until = expiresAt();
    expect(await completions.decide('c3', until, 'approved')).toEqual({ decided: true, ending: 'approved' });
    await givenUpOn((signal) => completions.claim('c3', until, signal));
    await givenUpOn((signal) => completions.decide('c3', until, 'cancelled', signal));
    expect(await completions.claim('c3', until)).toBe(false);
    expect(await completions.decide('c3', until, 'expired')).toEqual({ decided: false, ending: 'approved' });
  });

  test('a claim that won before its caller gave up is never released', async () => {
    const completions = store();
    const until = expiresAt();
    const caller = new AbortController();
    expect(await completions.claim('c4', until, caller.signal)).toBe(true);
    caller.abort();
    await ping();
    expect(await completions.claim('c4', until)).toBe(false);
  });
});

/**
 * Two app instances (two Express apps, each with its own passport, PushStrategy and pushLogin) behind
 * one imaginary load balancer: sessions, start-limit counters and completion claims live in one
 * Redis, the SecSign ID simulator is the provider of both. Runs on one redis-server and on a
 * three-primary Redis Cluster, each with the stores on node-redis and on ioredis; starts them itself
 * (once each for the file). A missing redis-server fails it.
 */
import { RedisStore } from 'connect-redis';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import request from 'supertest';
import { PushStrategy, pushLogin } from '../../lib';
import { SecSignIdSimulator } from '../../lib/testing';
import { sessionCookie } from '../helpers/app';
import { RedisCompletionStore, RedisRateLimitStore } from '../../lib/stores/redis';
import { sessionClient, type ConnectedRedis, type RedisTarget } from '../helpers/redis-clients';
import { fileRedis, TOPOLOGY_CASES } from '../helpers/redis-topology';
import { providerFor } from './secsign-id/setup';

type RedisClient = Awaited<ReturnType<typeof sessionClient>>;

const json = { Accept: 'application/json' };
const POLL_MS = 3000; // the SecSign provider's default interval; the test moves the clock instead
const COOLDOWN_MS = 60_000; // far longer than the test runs: the refusals below cannot time out

const redis = fileRedis();
afterAll(() => redis.stop());

interface Instance {
  app: Express;
  /** Every subject this instance's verify callback logged in. */
  verified: string[];
}

describe.each(TOPOLOGY_CASES)('two app instances sharing one Redis (%s, %s)', (topology, name, kind) => {
  let target: RedisTarget;
  /** Both client libraries share the file's Redis: each keeps to its own claims and counters. */
  const prefix = `push-${name}:`;
  const clients: RedisClient[] = [];
  /** The stores' own connections, of the client library under test. */
  const storeClients: ConnectedRedis[] = [];
  let sim: SecSignIdSimulator;
  let now = Date.now();
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    target = await redis.target(topology);
    sim = await SecSignIdSimulator.start({ users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] });
    a = await instance('A');
    b = await instance('B');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(storeClients.map((connected) => connected.close()));
    await sim?.close();
  });

  /** One app instance with its own Redis connection, as a separate process would have. */
  async function instance(name: string): Promise<Instance> {
    const sessions = await sessionClient(target);
    clients.push(sessions);
    const stores = await kind.connect(target);
    storeClients.push(stores);
    const verified: string[] = [];
    const passport = new Passport();
    const strategy = new PushStrategy(
      {
        provider: providerFor(sim.url),
        pollIntervalMs: 0,
        now: () => now,
        stores: {
          completions: new RedisCompletionStore(stores.client, `${prefix}done:`),
          rateLimits: new RedisRateLimitStore(stores.client, `${prefix}limit:`),
        },
        secret: 'one limit secret shared by both instances',
        // Rules only: the default limiter counts in `stores.rateLimits`.
        limiter: { sessionCooldownMs: COOLDOWN_MS, userCooldownMs: COOLDOWN_MS, perIp: false },
      },
      async (subject) => {
        verified.push(subject);
        return { id: subject, loggedInBy: name };
      },
    );
    passport.use(strategy);
    passport.serializeUser((user, done) => done(null, user));
    passport.deserializeUser((user: Express.User, done) => done(null, user));
    const app = express();
    app.use(
      session({
        secret: 'shared secret',
        resave: false,
        saveUninitialized: false,
        store: new RedisStore({ client: sessions, prefix: 'sess:' }),
      }),
    );
    app.use(passport.initialize());
    app.use(passport.session());
    app.use('/auth/push', pushLogin({ strategy, successRedirect: '/me', failureRedirect: '/login' }));
    app.get('/me', (req, res) => {
      res.status(req.user ? 200 : 401).json({ user: req.user ?? null, servedBy: name });
    });
    return { app, verified };
  }

  function start(on: Instance, username: string, cookie?: string) {
    const call = request(on.app).post('/auth/push/start').set(json);
    if (cookie) call.set('Cookie', cookie);
    return call.send({ username });
  }

  function poll(on: Instance, cookie: string) {
    return request(on.app).get('/auth/push/status').set(json).set('Cookie', cookie);
  }

  /** The phone picks the access pass the page showed. */
  function approve(userId: string, accessPass: string): void {
    const [pending] = sim.phone.pending(userId);
    if (!pending) throw new Error(`nothing pending on the phone for ${userId}`);
    expect(sim.phone.approve(pending.id, (pending.choices ?? []).indexOf(accessPass))).toBe(true);
  }

  function checks(): number {
    return sim.calls['ReqGetAuthSessionState'] ?? 0;
  }

  test('a login started on A is polled and completed on B, and the session works on A', async () => {
    const started = await start(a, 'alice');
    expect(started.status).toBe(202);
    const cookie = sessionCookie(started.headers['set-cookie']);
    if (!cookie) throw new Error('no session cookie');

    // B reads the challenge A wrote; inside the interval it answers without asking the provider.
    const before = checks();
    await poll(b, cookie).expect(202, /"state":"pending"/);
    expect(checks()).toBe(before);

    approve('alice', started.body.display.accessPass);
    now += POLL_MS;
    const done = await poll(b, cookie).expect(200);
    expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
    expect(checks()).toBe(before + 1);
    expect(b.verified).toEqual(['alice']);
    expect(a.verified).toEqual([]);

    // The regenerated, logged-in session is in Redis: A serves it.
    const loggedIn = sessionCookie(done.headers['set-cookie']);
    if (!loggedIn) throw new Error('no new session cookie');
    expect(loggedIn).not.toBe(cookie);
    const me = await request(a.app).get('/me').set('Cookie', loggedIn).expect(200);
    expect(me.body).toEqual({ user: { id: 'alice', loggedInBy: 'B' }, servedBy: 'A' });
    // The pre-login session is gone everywhere.
    await poll(a, cookie).expect(404);
  });

  test('start limits are shared: a second push to one user on B is refused 429; a session replacing its login on A frees its cooldown', async () => {
    const starts = () => sim.calls['ReqRequestAuthSession'] ?? 0;
    const before = starts();
    await start(a, 'bob').expect(202);
    const again = await start(b, 'bob').expect(429);
    expect(again.body).toMatchObject({ error: 'rate_limited', retryable: false });
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(starts()).toBe(before + 1); // the refused start never reached the provider

    // B is not refusing everything: another user starts there…
    const carol = await start(b, 'carol').expect(202);
    const cookie = sessionCookie(carol.headers['set-cookie']);
    if (!cookie) throw new Error('no session cookie');
    // …and that session replacing its pending login on A frees its cooldown in the shared store…
    await start(a, 'dave', cookie).expect(202);
    expect(starts()).toBe(before + 3);
    // …while the cooldown of the new push holds on B.
    await start(b, 'dave').expect(429, /rate_limited/);
    expect(starts()).toBe(before + 3);
  });

  test('a challenge completed on A cannot complete again on B (shared completion claims)', async () => {
    const sessions = clients[0];
    if (!sessions) throw new Error('no Redis client');
    const started = await start(a, 'erin').expect(202);
    const cookie = sessionCookie(started.headers['set-cookie']);
    if (!cookie) throw new Error('no session cookie');
    approve('erin', started.body.display.accessPass);
    now += POLL_MS;

    // A request on B that loaded the pre-login session before A completed still holds this copy.
    const key = `sess:${sessionIdOf(cookie)}`;
    const stale = await sessions.get(key);
    expect(stale).toContain('push:secsign-id');
    await poll(a, cookie).expect(200, /authenticated/);
    expect(await sessions.get(key)).toBeNull();

    // Replay that copy: B sees an approved challenge, but A already claimed it.
    await sessions.set(key, stale ?? '');
    const replay = await poll(b, cookie);
    expect(replay.status).toBe(202);
    expect(sessionCookie(replay.headers['set-cookie'])).toBeUndefined();
    expect(a.verified.filter((s) => s === 'erin')).toHaveLength(1);
    expect(b.verified.filter((s) => s === 'erin')).toHaveLength(0);
    await request(b.app).get('/me').set('Cookie', cookie).expect(401);
  });

  test("without JavaScript, the access pass started on A shows on B's wait page and after a reload (kept beside the sessions, not in one)", async () => {
    const started = await request(a.app)
      .post('/auth/push/start')
      .type('form')
      .send('username=frank')
      .expect(303);
    const cookie = sessionCookie(started.headers['set-cookie']);
    if (!cookie) throw new Error('no session cookie');
    // The default display store: no display store was configured on either instance.
    const onB = await request(b.app).get('/auth/push/wait').set('Cookie', cookie).expect(200);
    const pass = /src="(data:image\/png;base64,[^"]+)"/.exec(onB.text)?.[1];
    if (!pass) throw new Error('no access pass on the wait page');
    const reloadOnA = await request(a.app).get('/auth/push/wait').set('Cookie', cookie).expect(200);
    expect(reloadOnA.text).toContain(`src="${pass}"`);
    // It is the pass of this login: the phone accepts it.
    approve('frank', pass);

    // The user's session holds the handle, never the picture.
    const sid = decodeURIComponent(cookie.split('=')[1] ?? '')
      .slice(2)
      .split('.')[0];
    const stored = await clients[0]?.get(`sess:${sid}`);
    expect(stored).toContain('frank');
    expect(stored).not.toContain('base64');
  });

  test('claims are atomic across connections: one of two instances wins', async () => {
    const [first, second] = storeClients.map((connected) => connected.client);
    if (!first || !second) throw new Error('no Redis clients');
    const expiresAt = Date.now() + 120_000;
    const results = await Promise.all([
      new RedisCompletionStore(first, `${prefix}done:`).claim('race-1', expiresAt),
      new RedisCompletionStore(second, `${prefix}done:`).claim('race-1', expiresAt),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });
});

/** The session id inside an express-session cookie (`connect.sid=s%3A<id>.<signature>`). */
function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  if (!value.startsWith('s:')) throw new Error(`not a signed session cookie: ${cookie}`);
  return value.slice(2, value.lastIndexOf('.'));
}

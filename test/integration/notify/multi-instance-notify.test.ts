/**
 * Two app instances on one Redis (sessions, and every store from `redisStores`): the browser
 * waits on instance A (a held long poll, or the status stream) while the provider's notification
 * reaches instance B; A wakes and answers at once. The provider is one ScriptedProvider object both
 * instances call, as two processes would call one remote API. Runs on one redis-server and on a
 * three-primary Redis Cluster (sharded pub/sub), each with the stores on node-redis and on ioredis;
 * starts them itself (once each for the file). A missing redis-server fails it.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import request from 'supertest';
import { PushStrategy, pushLogin } from '../../../lib';
import { redisStores, type RedisStores } from '../../../lib/redis';
import { CibaProvider } from '../../../lib/providers/ciba';
import { webhookKey } from '../../../lib/providers/authentiq8/webhook';
import { startPair, type Pair } from '../authentiq8/setup';
import { ScriptedProvider } from '../../../lib/testing';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import type { PushProvider } from '../../../lib';
import { sessionCookie } from '../../helpers/app';
import { openStateStream } from '../../helpers/event-stream-client';
import { sessionClient, type ConnectedRedis, type RedisTarget } from '../../helpers/redis-clients';
import { dumpKeys, fileRedis, TOPOLOGY_CASES } from '../../helpers/redis-topology';
import { busListening } from '../../helpers/two-instances';

type SessionClient = Awaited<ReturnType<typeof sessionClient>>;
const json = { Accept: 'application/json' };
const FLOOR_MS = 1000;
/** The one app secret every instance is configured with (it keys the notification index). */
const APP_SECRET = 'one app secret shared by every instance';

const redis = fileRedis();
afterAll(() => redis.stop());

describe.each(TOPOLOGY_CASES)(
  'a notification on instance B wakes the browser waiting on instance A (%s, stores on %s)',
  (topology, name, kind) => {
    let target: RedisTarget;
    /** Both client libraries share the file's Redis: each keeps to its own keys and channel. */
    const prefix = `push-${name}:`;
    const clients: SessionClient[] = [];
    /** The stores' own connections, of the client library under test. */
    const storeClients: ConnectedRedis[] = [];
    const bundles: RedisStores[] = [];
    const servers: Server[] = [];
    let now = Date.now();
    const provider = new ScriptedProvider({
      notificationSecret: 'shared-secret',
      minCheckIntervalMs: FLOOR_MS,
    });
    let a: string;
    let b: string;
    // The phone answers after the page waits: each notification below follows a held request's listening.
    const busWaits = busListening();

    beforeAll(async () => {
      target = await redis.target(topology);
      a = await instance();
      b = await instance();
    }, 60_000);

    afterAll(async () => {
      await Promise.all(bundles.map((stores) => stores.close()));
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await Promise.all(clients.map((client) => client.close()));
      await Promise.all(storeClients.map((connected) => connected.close()));
    });

    /** One instance: its own Redis connections, strategy, stores and router; returns its base URL. */
    async function instance(ownProvider: PushProvider = provider): Promise<string> {
      const sessions = await sessionClient(target);
      clients.push(sessions);
      const connected = await kind.connect(target);
      storeClients.push(connected);
      const stores = await redisStores(connected.client, { now: () => now, prefix });
      bundles.push(stores);
      busWaits.watch(stores);
      const passport = new Passport();
      const strategy = new PushStrategy(
        {
          provider: ownProvider,
          pollIntervalMs: 60_000,
          limiter: false,
          now: () => now,
          stores,
          secret: APP_SECRET,
        },
        async (subject) => ({ id: subject }),
      );
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
      app.use('/auth/push', pushLogin({ strategy, longPollMs: 60_000 }));
      app.get('/me', (req, res) => void res.status(req.user ? 200 : 401).json({ user: req.user ?? null }));
      const listening: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(listening);
      return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    }

    async function startOnA(username: string): Promise<string> {
      const started = await request(a).post('/auth/push/start').set(json).send({ username }).expect(202);
      const cookie = sessionCookie(started.headers['set-cookie']);
      if (!cookie) throw new Error('no session cookie');
      now += FLOOR_MS;
      return cookie;
    }

    function notifyB() {
      const { headers, body } = provider.notification();
      return request(b).post('/auth/push/notify').set(headers).send(body).expect(204);
    }

    test('a long poll held on A answers the login when the notification reaches B', async () => {
      const cookie = await startOnA('alice');
      const checks = provider.calls.check;
      const waiting = busWaits.next();
      const held = request(a)
        .get('/auth/push/status')
        .set(json)
        .set('Cookie', cookie)
        .then((r) => r);
      await waiting;
      provider.answer('approved');
      await notifyB();
      const done = await held;
      expect(done.status).toBe(200);
      expect(done.body.state).toBe('authenticated');
      expect(provider.calls.check - checks).toBe(1);
      const loggedIn = sessionCookie(done.headers['set-cookie']) ?? '';
      await request(b)
        .get('/me')
        .set('Cookie', loggedIn)
        .expect(200, { user: { id: 'alice' } });
    });

    test('the status stream on A hears the approval the notification on B led to', async () => {
      const cookie = await startOnA('bob');
      const checks = provider.calls.check;
      const stream = await openStateStream(`${a}/auth/push/events`, cookie);
      expect(await stream.nextState()).toMatchObject({ state: 'pending' });
      provider.answer('approved');
      await notifyB();
      expect(await stream.nextState()).toEqual({ state: 'approved' });
      const done = await request(a).get('/auth/push/status').set(json).set('Cookie', cookie).expect(200);
      expect(done.body.state).toBe('authenticated');
      expect(provider.calls.check - checks).toBe(1);
    });

    describe('a notification that reaches B while no request of the login listens', () => {
      // Under load a browser's poll can reach A only after the phone's answer reached B (an accept
      // queue, the moment between two long polls): the bus message then reached no one. A must
      // still check at once, not at its next regular check (a minute here).

      /** A login started on A whose approval B heard while none of its requests listened. */
      async function approvedWhileAway(user: string) {
        const cookie = await startOnA(user);
        const checks = provider.calls.check;
        provider.answer('approved');
        await notifyB();
        return { cookie, checks };
      }

      test('the long poll that arrives on A later checks at once and logs in', async () => {
        const { cookie, checks } = await approvedWhileAway('carol');
        const done = await request(a).get('/auth/push/status').set(json).set('Cookie', cookie);
        expect(done.status).toBe(200);
        expect(done.body.state).toBe('authenticated');
        expect(provider.calls.check - checks).toBe(1);
      });

      test('the status stream opened on A later reports the approval', async () => {
        const { cookie, checks } = await approvedWhileAway('dave');
        const stream = await openStateStream(`${a}/auth/push/events`, cookie);
        expect(await stream.nextState()).toEqual({ state: 'approved' });
        const done = await request(a).get('/auth/push/status').set(json).set('Cookie', cookie).expect(200);
        expect(done.body.state).toBe('authenticated');
        expect(provider.calls.check - checks).toBe(1);
      });

      test('a notification a check has answered makes no later poll check again', async () => {
        const cookie = await startOnA('erin');
        const checks = provider.calls.check;
        provider.answer('pending');
        await notifyB();
        const page = { Accept: 'text/html' };
        await request(a).get('/auth/push/status').set(page).set('Cookie', cookie).expect(200);
        expect(provider.calls.check - checks).toBe(1);
        now += FLOOR_MS;
        await request(a).get('/auth/push/status').set(page).set('Cookie', cookie).expect(200);
        expect(provider.calls.check - checks).toBe(1);
        // The next notification is news again, and the login ends (its entry and note go with it: the
        // Authentiq8 test below finds only its own entry in the index).
        provider.answer('approved');
        await notifyB();
        const done = await request(a).get('/auth/push/status').set(json).set('Cookie', cookie);
        expect(done.body.state).toBe('authenticated');
        expect(provider.calls.check - checks).toBe(2);
      });
    });

    describe('Authentiq8 webhooks: the index holds keyed pseudonyms only', () => {
      let pair: Pair;
      let onA: string;
      let onB: string;

      beforeAll(async () => {
        pair = await startPair({ simulator: { users: ['alice'] }, provider: { acceptWebhooks: true } });
        pair.clock.advance(now - pair.clock.now()); // one time for the provider and the strategies
        onA = await instance(pair.provider);
        onB = await instance(pair.provider);
      });
      afterAll(() => pair.simulator.close());

      test("a dump of the index during a pending login holds no unkeyed digest of the user id; B finds A's entry", async () => {
        const started = await request(onA).post('/auth/push/start').set(json).send({ username: 'alice' });
        expect(started.status).toBe(202);
        const cookie = sessionCookie(started.headers['set-cookie']) ?? '';
        const entries = await dumpKeys(target, `${prefix}notify-key:*`);
        expect(entries).toHaveLength(1);
        // What a dictionary attack on a dump would try: the id itself, and plain digests of it.
        const guesses = ['alice', webhookKey('alice')].flatMap((plain) => [
          plain,
          createHash('sha256').update(plain).digest('base64url'),
          createHash('sha256').update(plain).digest('hex'),
          createHash('sha256').update(plain).digest('base64'),
        ]);
        const dumped = entries.flat().join('\n');
        for (const guess of guesses) expect(dumped).not.toContain(guess);

        const [phoneRequest] = pair.simulator.phone.pending('alice');
        if (!phoneRequest) throw new Error('the phone did not get the request');
        // The guide's limit (1.5 s) runs from the authenticate call: on both clocks.
        pair.clock.advance(1500);
        now += 1500;
        const waiting = busWaits.next();
        const held = request(onA)
          .get('/auth/push/status')
          .set(json)
          .set('Cookie', cookie)
          .then((r) => r);
        await waiting;
        pair.simulator.phone.approve(phoneRequest.id);
        // B keys the webhook's user under the same secret, so it finds A's entry.
        await request(onB)
          .post('/auth/push/notify')
          .set('Content-Type', 'application/json')
          .send({ user_id: 'alice' })
          .expect(204);
        expect((await held).body).toMatchObject({ state: 'authenticated' });
      });
    });

    describe('CIBA ping through oidc-provider', () => {
      let op: CibaOp;
      let pingA: string;
      let pingB: string;

      beforeAll(async () => {
        op = await startCibaOp();
        // Two processes would each build their own provider from the same configuration.
        pingA = await instance(new CibaProvider(op.providerOptions('ping')));
        pingB = await instance(new CibaProvider(op.providerOptions('ping')));
        op.deliverPingsTo(`${pingB}/auth/push/notify`);
      });
      afterAll(() => op.close());

      test('the OP pings B; the long poll held on A logs in with one token request', async () => {
        const started = await request(pingA)
          .post('/auth/push/start')
          .set(json)
          .send({ username: 'alice' })
          .expect(202);
        const cookie = sessionCookie(started.headers['set-cookie']) ?? '';
        const phoneRequest = op.phone
          .pending('alice')
          .find((r) => r.bindingMessage === started.body.display.bindingMessage);
        if (!phoneRequest) throw new Error('the phone did not get the request');
        now += FLOOR_MS; // the strategies' clock: past the floor after the start
        const tokens = op.calls['token'] ?? 0;
        const waiting = busWaits.next();
        const held = request(pingA)
          .get('/auth/push/status')
          .set(json)
          .set('Cookie', cookie)
          .then((r) => r);
        await waiting;
        await op.phone.approveNow(phoneRequest.id); // resolves once B answered the ping
        const done = await held;
        expect(done.status).toBe(200);
        expect(done.body.state).toBe('authenticated');
        expect((op.calls['token'] ?? 0) - tokens).toBe(1);
        expect(op.calls['ping']).toBe(1);
      });
    });
  },
);

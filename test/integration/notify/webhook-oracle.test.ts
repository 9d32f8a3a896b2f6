/**
 * The notify route reveals nothing and lets no one clear another login's entry. With the documented
 * default (Authentiq8 webhooks on, no `verifyNotification`), a webhook naming a user with a login
 * open is answered exactly as one naming a user without one, or a forged CIBA token; a second
 * session that starts and cancels a login for the same ID leaves the first login's entry alone; and
 * the per-IP notify budget counts the address Express trusts (`trust proxy`), not a header anyone
 * can send.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { SIMULATOR_WEBHOOK_SIGNATURE_HEADER } from '../../../lib/testing/authentiq8-webhook';
import { buildTestApp, sessionCookie, startedLogin } from '../../helpers/app';
import { startPair, type Pair } from '../authentiq8/setup';

const json = { Accept: 'application/json' };

describe('Authentiq8 webhook without verifyNotification', () => {
  let pair: Pair;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    pair = await startPair({ simulator: { users: ['alice', 'bob'] }, provider: { acceptWebhooks: true } });
    const app = buildTestApp({
      provider: pair.provider,
      // Regular checks a minute apart: only a webhook can make one due within the test.
      strategy: { now: pair.clock.now, pollIntervalMs: 60_000 },
      router: { longPollMs: 30_000 },
    });
    server = await new Promise((resolve) => {
      const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await pair.simulator.close();
  });

  const start = async (username: string) => {
    const started = await request(base).post('/auth/push/start').set(json).send({ username }).expect(202);
    return sessionCookie(started.headers['set-cookie']) ?? '';
  };
  const webhook = (userId: string) =>
    request(base).post('/auth/push/notify').set('Content-Type', 'application/json').send({ user_id: userId });

  test('a webhook for a user with a login open is answered as one for a user without', async () => {
    await start('alice');
    const known = await webhook('alice');
    const unknown = await webhook('bob');
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: known.status,
      body: known.body,
    });
  });

  test('the per-address budget counts a webhook for a user with a login open as one for a user without', async () => {
    // A guessable key (a user ID) proves nothing about its sender: every such webhook counts, so
    // how soon an address is refused tells no one which users have a login open.
    const budget = 2;
    const app = buildTestApp({
      provider: pair.provider,
      strategy: { now: pair.clock.now, pollIntervalMs: 60_000 },
      router: { notifyPerIpPerMinute: budget },
    });
    const started = await request(app.app).post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(started.status).toBe(202);
    const send = (userId: string) =>
      request(app.app)
        .post('/auth/push/notify')
        .set('Content-Type', 'application/json')
        .send({ user_id: userId });
    for (let i = 0; i < budget; i++) await send('alice').expect(204);
    await send('bob').expect(429);
  });

  test('another session starting and cancelling a login for the same ID leaves the first one woken by its webhook', async () => {
    const victim = await start('alice');
    const [phoneRequest] = pair.simulator.phone.pending('alice');
    const attacker = await start('alice');
    await request(base).post('/auth/push/cancel').set(json).set('Cookie', attacker).expect(200);
    pair.clock.advance(1500); // the guide's limit runs from the authenticate call
    const held = request(base)
      .get('/auth/push/status')
      .set(json)
      .set('Cookie', victim)
      .then((r) => r);
    if (!phoneRequest) throw new Error('the login did not start');
    pair.simulator.phone.approve(phoneRequest.id);
    await webhook('alice').expect(204);
    expect((await held).body).toEqual({ state: 'authenticated', redirect: '/me' });
  });
});

describe('CIBA-style bearer notifications', () => {
  test('a forged token is answered as an authentic one', async () => {
    const secret = 'provider-notification-secret';
    const { agent, provider } = await startedLogin({
      provider: new ScriptedProvider({ notificationSecret: secret }),
    });
    const { body, headers } = provider.notification();
    const authentic = await agent.post('/auth/push/notify').set(headers).send(body);
    const forged = await agent
      .post('/auth/push/notify')
      .set(headers)
      .send({ ...(JSON.parse(body) as object), key: 'not-issued-here' });
    expect({ status: forged.status, body: forged.body }).toEqual({
      status: authentic.status,
      body: authentic.body,
    });
  });
});

describe('the per-IP notify budget', () => {
  const limited = (trustProxy: boolean | number) => {
    const app = buildTestApp({
      provider: new ScriptedProvider({ notificationSecret: 'secret' }),
      router: { notifyPerIpPerMinute: 1 },
    });
    app.app.set('trust proxy', trustProxy);
    const send = (forwardedFor: string) =>
      request(app.app).post('/auth/push/notify').set('X-Forwarded-For', forwardedFor).send({});
    return send;
  };

  test('without trust proxy, X-Forwarded-For is ignored: a new header value is no new budget', async () => {
    const send = limited(false);
    expect((await send('198.51.100.1')).status).not.toBe(429);
    expect((await send('198.51.100.2')).status).toBe(429);
  });

  test('behind one trusted proxy, the address that proxy saw is counted', async () => {
    const send = limited(1);
    expect((await send('198.51.100.1')).status).not.toBe(429);
    expect((await send('198.51.100.2')).status).not.toBe(429);
    expect((await send('203.0.113.9, 198.51.100.2')).status).toBe(429);
  });
});

describe('Authentiq8 webhook with verifyNotification', () => {
  let pair: Pair;
  afterEach(async () => {
    await pair.simulator.close();
  });

  test("the provider's verified webhooks never use up its address's budget; unverified ones do", async () => {
    // Verified means only the provider could have sent it: a surge of its webhooks, for users
    // with a login open or not, is never refused, and it tells an attacker nothing.
    pair = await startPair({
      simulator: { users: ['alice', 'bob'] },
      provider: {
        acceptWebhooks: true,
        verifyNotification: (req) => req.headers[SIMULATOR_WEBHOOK_SIGNATURE_HEADER] === 'good-signature',
      },
    });
    const app = buildTestApp({
      provider: pair.provider,
      strategy: { now: pair.clock.now, pollIntervalMs: 60_000 },
      router: { notifyPerIpPerMinute: 2 },
    });
    await request(app.app).post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const send = (userId: string, signature: string) =>
      request(app.app)
        .post('/auth/push/notify')
        .set('Content-Type', 'application/json')
        .set(SIMULATOR_WEBHOOK_SIGNATURE_HEADER, signature)
        .send({ user_id: userId });
    for (let i = 0; i < 3; i++) {
      await send('alice', 'good-signature').expect(204);
      await send('bob', 'good-signature').expect(204);
    }
    await send('alice', 'forged').expect(401);
    await send('bob', 'forged').expect(401);
    await send('alice', 'good-signature').expect(429);
  });
});

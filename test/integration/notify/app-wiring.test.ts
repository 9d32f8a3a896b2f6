/**
 * Notifications in the app wirings people write: body parsers run app-wide before pushLogin (JSON,
 * form, text, raw, in either order), a prefix mount, helmet, compression. A CIBA ping and an Authentiq8 webhook
 * must each still complete the login a held long poll waits on; where exact bytes are needed (a
 * signed webhook), `keepRawBody` keeps them, and without it the notification is refused loudly (an
 * audit event), never dropped in silence. (`compression` is not installed here; it only touches
 * responses, which notify answers have none of.)
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import compression from 'compression';
import helmet from 'helmet';
import request from 'supertest';
import { keepRawBody, type PushEvent } from '../../../lib';
import { CibaProvider } from '../../../lib/providers/ciba';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { buildTestApp, sessionCookie, type TestAppOptions } from '../../helpers/app';
import { fakeDateOnly } from '../../helpers/clock';
import { startPair, type Pair } from '../authentiq8/setup';

const json = { Accept: 'application/json' };

interface Wiring {
  name: string;
  appWide: RequestHandler[];
  mountPath?: string;
}

const wirings: Wiring[] = [
  { name: 'no app-wide parser', appWide: [] },
  { name: 'express.json() app-wide', appWide: [express.json()] },
  { name: 'express.urlencoded() app-wide', appWide: [express.urlencoded({ extended: false })] },
  {
    name: 'json then urlencoded',
    appWide: [express.json(), express.urlencoded({ extended: true })],
  },
  {
    name: 'urlencoded then json',
    appWide: [express.urlencoded({ extended: true }), express.json()],
  },
  {
    name: 'text, raw, json and urlencoded',
    appWide: [express.text(), express.raw(), express.json(), express.urlencoded({ extended: false })],
  },
  // Parsers that take any type, on the notify path only (the start route needs its JSON or form).
  {
    name: 'express.text() for every type on notify',
    appWide: [onNotify(express.text({ type: () => true }))],
  },
  { name: 'express.raw() for every type on notify', appWide: [onNotify(express.raw({ type: () => true }))] },
  {
    name: 'express.json() and a prefix mount',
    appWide: [express.json()],
    mountPath: '/api/v1/auth/push',
  },
  { name: 'helmet and express.json()', appWide: [helmet(), express.json()] },
  { name: 'compression and express.json()', appWide: [compression(), express.json()] },
];

function onNotify(parser: RequestHandler): RequestHandler {
  return (req, res, next) => (req.path.endsWith('/notify') ? parser(req, res, next) : next());
}

async function listen(options: TestAppOptions) {
  const built = buildTestApp(options);
  const server: Server = await new Promise((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise((resolve) => server.close(resolve));
  return { ...built, base, close };
}

describe('CIBA ping', () => {
  let op: CibaOp;
  beforeAll(async () => {
    op = await startCibaOp();
  });
  afterAll(() => op.close());
  beforeEach(() => jest.useFakeTimers(fakeDateOnly()));
  afterEach(() => jest.useRealTimers());

  test.each(wirings)('$name: the ping wakes the held long poll, which logs in', async (wiring) => {
    const mount = wiring.mountPath ?? '/auth/push';
    const app = await listen({
      provider: new CibaProvider(op.providerOptions('ping')),
      router: { longPollMs: 30_000 },
      appWide: wiring.appWide,
      mountPath: mount,
    });
    try {
      op.deliverPingsTo(`${app.base}${mount}/notify`);
      const start = await request(app.base)
        .post(`${mount}/start`)
        .set(json)
        .send({ username: 'alice' })
        .expect(202);
      const cookie = sessionCookie(start.headers['set-cookie']) ?? '';
      const phoneRequest = op.phone
        .pending('alice')
        .find((r) => r.bindingMessage === start.body.display.bindingMessage);
      if (!phoneRequest) throw new Error('the login did not start');
      jest.setSystemTime(Date.now() + 1001); // past the floor after the start call
      const pings = op.calls['ping'] ?? 0;
      const held = request(app.base)
        .get(`${mount}/status`)
        .set(json)
        .set('Cookie', cookie)
        .then((r) => r);
      await op.phone.approveNow(phoneRequest.id);
      expect(op.calls['ping']).toBe(pings + 1);
      const done = await held;
      expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
    } finally {
      await app.close();
    }
  });
});

describe('Authentiq8 webhook', () => {
  let pair: Pair;
  afterEach(() => pair.simulator.close());

  async function startLogin(app: Awaited<ReturnType<typeof listen>>, mount: string) {
    const start = await request(app.base)
      .post(`${mount}/start`)
      .set(json)
      .send({ username: 'alice' })
      .expect(202);
    const cookie = sessionCookie(start.headers['set-cookie']) ?? '';
    const [phoneRequest] = pair.simulator.phone.pending('alice');
    if (!phoneRequest) throw new Error('the login did not start');
    pair.clock.advance(1500); // the guide's limit runs from the authenticate call
    const hold = () =>
      request(app.base)
        .get(`${mount}/status`)
        .set(json)
        .set('Cookie', cookie)
        .then((r) => r);
    return { phoneRequest, hold };
  }

  test.each(wirings)('$name: the webhook wakes the held long poll, which logs in', async (wiring) => {
    const mount = wiring.mountPath ?? '/auth/push';
    pair = await startPair({ simulator: { users: ['alice'] }, provider: { acceptWebhooks: true } });
    const app = await listen({
      provider: pair.provider,
      strategy: { now: pair.clock.now },
      router: { longPollMs: 30_000 },
      appWide: wiring.appWide,
      mountPath: mount,
    });
    try {
      const sender = pair.simulator.sendWebhooksTo(`${app.base}${mount}/notify`, 'sig');
      const { phoneRequest, hold } = await startLogin(app, mount);
      const held = hold();
      pair.simulator.phone.approve(phoneRequest.id);
      expect((await held).body).toEqual({ state: 'authenticated', redirect: '/me' });
      await sender?.settled();
      expect(sender?.deliveries).toEqual([204]);
    } finally {
      await app.close();
    }
  });

  test('middleware that reads the body and keeps nothing: the webhook is refused loudly, not dropped', async () => {
    pair = await startPair({ simulator: { users: ['alice'] }, provider: { acceptWebhooks: true } });
    const events: PushEvent[] = [];
    const drain: RequestHandler = (req, _res, next) => {
      req.resume();
      req.once('end', () => next());
    };
    const app = await listen({
      provider: pair.provider,
      strategy: { now: pair.clock.now, onEvent: (event) => events.push(event) },
      appWide: [onNotify(drain)],
    });
    try {
      const refused = await request(app.base)
        .post('/auth/push/notify')
        .set('Content-Type', 'application/json')
        .send({ user_id: 'alice' });
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 400,
        body: { error: 'body_unavailable' },
      });
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'error', message: expect.stringMatching(/without its body/) }),
      );
    } finally {
      await app.close();
    }
  });

  describe('a webhook signed over its exact bytes', () => {
    const secret = 'webhook secret';
    const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');
    // Spaced as a sender might: re-serialising the parsed JSON would not give these bytes.
    const body = '{ "user_id" : "alice" }';

    async function signedApp(appWide: RequestHandler[], events: PushEvent[]) {
      pair = await startPair({
        simulator: { users: ['alice'] },
        provider: {
          acceptWebhooks: true,
          verifyNotification: (req) => req.headers['x-signature'] === sign(req.body.toString('utf8')),
        },
      });
      return listen({
        provider: pair.provider,
        strategy: { now: pair.clock.now, onEvent: (event) => events.push(event) },
        router: { longPollMs: 30_000 },
        appWide,
      });
    }

    test('with express.json({ verify: keepRawBody }) app-wide, the signature checks and the login completes', async () => {
      const events: PushEvent[] = [];
      const app = await signedApp([express.json({ verify: keepRawBody })], events);
      try {
        const { phoneRequest, hold } = await startLogin(app, '/auth/push');
        const held = hold();
        pair.simulator.phone.approve(phoneRequest.id);
        await request(app.base)
          .post('/auth/push/notify')
          .set('Content-Type', 'application/json')
          .set('X-Signature', sign(body))
          .send(body)
          .expect(204);
        expect((await held).body).toEqual({ state: 'authenticated', redirect: '/me' });
      } finally {
        await app.close();
      }
    });

    test('with a plain express.json() app-wide, the webhook is refused with a clear code and an audit event', async () => {
      const events: PushEvent[] = [];
      const app = await signedApp([express.json()], events);
      try {
        await startLogin(app, '/auth/push');
        const refused = await request(app.base)
          .post('/auth/push/notify')
          .set('Content-Type', 'application/json')
          .set('X-Signature', sign(body))
          .send(body);
        expect(refused.status).toBe(400);
        expect(refused.body).toEqual({ error: 'raw_body_required' });
        expect(events).toContainEqual(
          expect.objectContaining({ type: 'error', message: expect.stringMatching(/keepRawBody/) }),
        );
      } finally {
        await app.close();
      }
    });
  });
});

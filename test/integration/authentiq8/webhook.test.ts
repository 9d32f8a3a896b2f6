/**
 * The Authentiq8 webhook (inferred format) through pushLogin's `POST notify`: a webhook is a hint
 * that makes the user's open challenge be checked through the signed get-user-status call, within
 * the guide's once a second per user. The simulator sends it when the phone answers, with its
 * faults: duplicates, reordering, late delivery, forged webhooks. The simulator, provider and
 * strategy share a fake clock; regular checks never fall due here, so only a webhook explains one.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SIMULATOR_WEBHOOK_SIGNATURE_HEADER } from '../../../lib/testing/authentiq8-webhook';
import type { Authentiq8ProviderOptions } from '../../../lib/providers/authentiq8/provider';
import { buildTestApp, sessionCookie } from '../../helpers/app';
import { startPair, type Pair } from './setup';

const json = { Accept: 'application/json' };
let pair: Pair;
let server: Server;
let base: string;
let app: ReturnType<typeof buildTestApp>;

async function setup(provider: Partial<Authentiq8ProviderOptions> = { acceptWebhooks: true }) {
  pair = await startPair({ simulator: { users: ['alice', 'bob'] }, provider });
  app = buildTestApp({
    provider: pair.provider,
    strategy: { now: pair.clock.now },
    router: { longPollMs: 30_000 },
  });
  server = await new Promise((resolve) => {
    const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sender = pair.simulator.sendWebhooksTo(`${base}/auth/push/notify`, 'good-signature');
  if (!sender) throw new Error('no webhook sender');
  return sender;
}

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pair.simulator.close();
});

const statusCalls = () => pair.simulator.calls['get-user-status'] ?? 0;

async function startLogin(username: string) {
  const start = await request(base).post('/auth/push/start').set(json).send({ username }).expect(202);
  const cookie = sessionCookie(start.headers['set-cookie']);
  const [phoneRequest] = pair.simulator.phone.pending(username);
  if (!cookie || !phoneRequest) throw new Error('the login did not start');
  const hold = () =>
    request(base)
      .get('/auth/push/status')
      .set(json)
      .set('Cookie', cookie)
      .then((r) => r);
  return { cookie, phoneRequest, hold };
}

test('approve on the phone: the webhook wakes the held long poll, one get-user-status, logged in', async () => {
  const sender = await setup();
  const { phoneRequest, hold } = await startLogin('alice');
  pair.clock.advance(1500); // the guide's limit runs from the authenticate call
  const held = hold();
  pair.simulator.phone.approve(phoneRequest.id);
  const done = await held;
  expect(done.status).toBe(200);
  expect(done.body.state).toBe('authenticated');
  expect(statusCalls()).toBe(1);
  await sender.settled();
  expect(sender.deliveries).toEqual([204]);
});

test('duplicated webhooks cost one call: the second finds the challenge ended (204 all the same)', async () => {
  const sender = await setup();
  sender.faults.duplicate = true;
  const { phoneRequest, hold } = await startLogin('alice');
  pair.clock.advance(1500);
  const held = hold();
  pair.simulator.phone.approve(phoneRequest.id);
  expect((await held).status).toBe(200);
  await sender.settled();
  expect(statusCalls()).toBe(1);
  expect(sender.deliveries).toEqual([204, 204]);
  expect(app.verified.map((v) => v.subject)).toEqual(['alice']);
});

test('reordered webhooks of two users each wake their own login', async () => {
  const sender = await setup();
  sender.faults.reorder = true;
  const alice = await startLogin('alice');
  const bob = await startLogin('bob');
  pair.clock.advance(1500);
  const heldAlice = alice.hold();
  const heldBob = bob.hold();
  pair.simulator.phone.approve(alice.phoneRequest.id); // held back by the sender…
  pair.simulator.phone.approve(bob.phoneRequest.id); // …and sent after bob's
  expect((await heldBob).status).toBe(200);
  expect((await heldAlice).status).toBe(200);
  expect(app.verified.map((v) => v.subject).sort()).toEqual(['alice', 'bob']);
  expect(statusCalls()).toBe(2);
});

test('a late webhook, after the login completed by polling, finds nothing and costs no call', async () => {
  const sender = await setup();
  sender.faults.lateMs = 200;
  const { cookie, phoneRequest } = await startLogin('alice');
  pair.simulator.phone.approve(phoneRequest.id);
  pair.clock.advance(1500);
  await request(base).get('/auth/push/status').set(json).set('Cookie', cookie).expect(200);
  await sender.settled();
  expect(sender.deliveries).toEqual([204]); // answered as any other: the route reveals nothing
  expect(statusCalls()).toBe(1);
});

test('a forged webhook "approving" a pending login logs no one in: the signed check says pending', async () => {
  const sender = await setup();
  const { cookie, hold } = await startLogin('alice');
  pair.clock.advance(1500);
  const held = hold();
  expect(await sender.forge('alice')).toBe(204); // without a verify hook it is accepted as a hint
  // The hint led to one check, which found the request still pending; the poll is still held.
  for (let i = 0; i < 500 && statusCalls() < 1; i++) await new Promise((r) => setImmediate(r));
  expect(statusCalls()).toBe(1);
  await request(base).get('/me').set('Cookie', cookie).expect(401);
  // End the hold: the phone denies.
  pair.clock.advance(1500);
  const [phoneRequest] = pair.simulator.phone.pending('alice');
  pair.simulator.phone.deny(phoneRequest?.id ?? '');
  expect((await held).status).toBe(401);
  expect(app.verified).toEqual([]);
});

test('with a verify hook, a forged webhook is refused 401 without any call', async () => {
  const sender = await setup({
    acceptWebhooks: true,
    verifyNotification: (req) => req.headers[SIMULATOR_WEBHOOK_SIGNATURE_HEADER] === 'good-signature',
  });
  await startLogin('alice');
  pair.clock.advance(1500);
  expect(await sender.forge('alice')).toBe(401);
  expect(statusCalls()).toBe(0);
});

test('without acceptWebhooks there is no notify route', async () => {
  await setup({});
  await request(base).post('/auth/push/notify').send({ user_id: 'alice' }).expect(404);
});

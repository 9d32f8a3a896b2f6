/**
 * CIBA ping mode (§10.2) against a real oidc-provider: the OP pings the app's `POST notify` with
 * the request's `client_notification_token` when the user decides, and a held long poll answers at
 * once with one token request. A forged token or an unknown request is answered 204 like an
 * authentic ping (the route reveals nothing) and costs no token request; a missing bearer is 401.
 * Only `Date` is faked (the OP, sockets and timers run for real), so the 1 s floor after the start
 * passes without waiting.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CibaProvider } from '../../../lib/providers/ciba';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { buildTestApp, sessionCookie } from '../../helpers/app';
import { fakeDateOnly } from '../../helpers/clock';

const json = { Accept: 'application/json' };

let op: CibaOp;
let server: Server;
let base: string;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  op = await startCibaOp();
  app = buildTestApp({
    provider: new CibaProvider(op.providerOptions('ping')),
    router: { longPollMs: 30_000 },
  });
  server = await new Promise((resolve) => {
    const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  op.deliverPingsTo(`${base}/auth/push/notify`);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await op.close();
});
beforeEach(() => jest.useFakeTimers(fakeDateOnly()));
afterEach(() => jest.useRealTimers());

const later = (ms: number) => jest.setSystemTime(Date.now() + ms);
const tokenCalls = () => op.calls['token'] ?? 0;

async function startLogin(username: string) {
  const start = await request(base).post('/auth/push/start').set(json).send({ username }).expect(202);
  const cookie = sessionCookie(start.headers['set-cookie']);
  const phoneRequest = op.phone
    .pending(username)
    .find((r) => r.bindingMessage === start.body.display.bindingMessage);
  if (!cookie || !phoneRequest) throw new Error('the login did not start');
  later(1001); // past the floor after the start call
  const hold = () =>
    request(base)
      .get('/auth/push/status')
      .set(json)
      .set('Cookie', cookie)
      .then((r) => r);
  return { cookie, phoneRequest, hold };
}

test('approve: the ping wakes the held long poll, which logs in with one token request', async () => {
  const { phoneRequest, hold } = await startLogin('alice');
  const before = tokenCalls();
  const pings = op.calls['ping'] ?? 0;
  const held = hold();
  await op.phone.approveNow(phoneRequest.id); // resolves once the app answered the ping 204
  expect(op.calls['ping']).toBe(pings + 1);
  const done = await held;
  expect(done.status).toBe(200);
  expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
  expect(tokenCalls() - before).toBe(1);
  expect(app.verified.at(-1)?.subject).toBe('alice');
});

test('deny: the ping ends the held long poll with the denial', async () => {
  const { phoneRequest, hold } = await startLogin('bob');
  const before = tokenCalls();
  const held = hold();
  await op.phone.denyNow(phoneRequest.id);
  const done = await held;
  expect(done.status).toBe(401);
  expect(done.body.state).toBe('denied');
  expect(tokenCalls() - before).toBe(1);
});

test('expiry: without a ping the regular poll still ends it, and a late ping finds nothing', async () => {
  const { cookie, phoneRequest } = await startLogin('carol');
  await op.phone.expireNow(phoneRequest.id);
  later(5001);
  await request(base)
    .get('/auth/push/status')
    .set(json)
    .set('Cookie', cookie)
    .expect(401, /expired/);
});

describe('forged and unknown pings', () => {
  test('a wrong bearer token is answered as an authentic one, a missing one 401; no token request', async () => {
    const { phoneRequest } = await startLogin('alice');
    await op.phone.approveNow(phoneRequest.id).catch(() => undefined);
    const before = tokenCalls();
    const body = { auth_req_id: phoneRequest.id };
    await request(base)
      .post('/auth/push/notify')
      .set('Authorization', 'Bearer forged-token')
      .send(body)
      .expect(204);
    await request(base).post('/auth/push/notify').send(body).expect(401, { error: 'invalid_token' });
    await request(base)
      .post('/auth/push/notify')
      .set('Authorization', 'Basic YWxpY2U6c2VjcmV0')
      .send(body)
      .expect(401, { error: 'invalid_token' });
    expect(tokenCalls()).toBe(before);
  });

  test('a ping for an unknown auth_req_id is answered 204 as any other; a malformed body 400; neither asks the OP', async () => {
    const before = tokenCalls();
    await request(base)
      .post('/auth/push/notify')
      .set('Authorization', 'Bearer some-token')
      .send({ auth_req_id: 'not-issued-here' })
      .expect(204);
    await request(base)
      .post('/auth/push/notify')
      .set('Authorization', 'Bearer some-token')
      .send({ auth_req: 'x' })
      .expect(400, { error: 'invalid_request' });
    expect(tokenCalls()).toBe(before);
  });
});

test('ping mode needs the registered notification endpoint (https)', () => {
  const options = op.providerOptions('ping');
  expect(() => new CibaProvider({ ...options, notificationEndpoint: undefined })).toThrow(
    /notificationEndpoint/,
  );
  expect(
    () =>
      new CibaProvider({
        ...options,
        allowInsecureHttp: false,
        issuer: 'https://op.example',
        notificationEndpoint: 'http://app.example/n',
      }),
  ).toThrow(/https/);
  expect(
    () => new CibaProvider({ ...op.providerOptions(), notificationEndpoint: 'https://app.example/n' }),
  ).toThrow(/deliveryMode: 'ping'/);
});

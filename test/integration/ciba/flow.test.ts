/**
 * The whole login through Express + passport + PushStrategy + pushLogin, with CibaProvider talking
 * to a real oidc-provider. Only `Date` is faked (timers, sockets and the OP run for real), so the
 * 5 s CIBA interval passes without waiting; OP, strategy and openid-client share that clock.
 */
import request from 'supertest';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { buildTestApp } from '../../helpers/app';
import { provider } from './support';
import { fakeDateOnly } from '../../helpers/clock';

const json = { Accept: 'application/json' };

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp();
});
afterAll(() => op.close());
beforeEach(() => jest.useFakeTimers(fakeDateOnly()));
afterEach(() => jest.useRealTimers());

const later = (ms: number) => jest.setSystemTime(Date.now() + ms);

function setup() {
  const test = buildTestApp({ provider: provider(op) });
  return { ...test, agent: request.agent(test.app) };
}

async function startLogin(agent: ReturnType<typeof setup>['agent'], username = 'alice') {
  const start = await agent.post('/auth/push/start').set(json).send({ username }).expect(202);
  const phoneRequest = op.phone
    .pending(username)
    .find((r) => r.bindingMessage === start.body.display.bindingMessage);
  if (!phoneRequest) throw new Error('the phone did not get the request');
  return { start, phoneRequest };
}

test('approve: 200 authenticated, and the ID token claims reach the verify callback', async () => {
  const { agent, verified } = setup();
  const { start, phoneRequest } = await startLogin(agent);
  expect(start.body.display.bindingMessage).toMatch(/^[A-Z0-9]{5}$/);

  // Inside the 5 s interval the strategy answers without asking the OP.
  const tokenCalls = op.calls.token ?? 0;
  await agent
    .get('/auth/push/status')
    .set(json)
    .expect(202, /"state":"pending"/);
  expect(op.calls.token ?? 0).toBe(tokenCalls);

  later(5001);
  await agent
    .get('/auth/push/status')
    .set(json)
    .expect(202, /"state":"pending"/);
  expect(op.calls.token ?? 0).toBe(tokenCalls + 1);

  await op.phone.approveNow(phoneRequest.id);
  later(5001);
  await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });

  expect(verified).toHaveLength(1);
  expect(verified[0]?.subject).toBe('alice');
  expect(verified[0]?.info.claims).toMatchObject({
    sub: 'alice',
    iss: op.issuer,
    name: 'Alice Example',
    email: 'alice@example.com',
  });
  await agent.get('/me').expect(200, /"id":"alice"/);
});

test('deny: 401 denied, and nobody is logged in', async () => {
  const { agent, verified } = setup();
  const { phoneRequest } = await startLogin(agent, 'bob');
  await op.phone.denyNow(phoneRequest.id);
  later(5001);
  await agent
    .get('/auth/push/status')
    .set(json)
    .expect(401, /"state":"denied"/);
  expect(verified).toHaveLength(0);
  await agent.get('/me').expect(401);
});

test('slow_down from the OP widens the interval the strategy keeps', async () => {
  const { agent } = setup();
  await startLogin(agent);
  op.injectSlowDown(1);
  later(5001);
  const slowed = await agent.get('/auth/push/status').set(json).expect(202);
  expect(slowed.body.retryAfterMs).toBeGreaterThanOrEqual(9000);

  // 5 s later is too early now: answered locally.
  const tokenCalls = op.calls.token ?? 0;
  later(5001);
  await agent.get('/auth/push/status').set(json).expect(202);
  expect(op.calls.token ?? 0).toBe(tokenCalls);
});

test('unknown user: 400 with the unknown_user code', async () => {
  const { agent } = setup();
  const answer = await agent.post('/auth/push/start').set(json).send({ username: 'mallory' }).expect(400);
  expect(answer.body).toMatchObject({
    error: 'unknown_user',
    message: 'That ID is not known to the login service. Check it and try again.',
    detail: expect.stringMatching(/does not know/),
  });
});

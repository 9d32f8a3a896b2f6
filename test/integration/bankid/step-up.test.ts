/**
 * Step-up with BankID: the signed-in person identifies again (a fresh `/auth` bound to their
 * personal number, nothing to sign) on the same approve / status / useApproval path as an action,
 * and the app's handler runs once; an old step-up is refused (another person: approve.test.ts).
 */
import request from 'supertest';
import type { ActionIntent } from '../../../lib/providers/action';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { ALICE, providerFor } from './setup';

const json = { Accept: 'application/json' };
let sim: BankIdSimulator;
let clock: ManualClock;
beforeEach(async () => {
  sim = await BankIdSimulator.start();
  clock = manualClock(Date.now());
});
afterEach(() => sim.close());

/** The bank's routes with two step-ups: any age, and at most a minute old when used. */
async function bank() {
  const steps = new Map<string, ActionIntent>([
    ['up', { type: 'step-up' }],
    ['fresh', { type: 'step-up', maxAgeSeconds: 60 }],
  ]);
  const built = approvalApp(
    { provider: providerFor(sim, { now: clock.now }), strategy: { now: clock.now } },
    steps,
    { userId: ALICE },
  );
  const agent = request.agent(built.app);
  await agent.post('/test-login').expect(204);
  return { agent, executed: built.executed };
}

function phoneIdentifies(): void {
  expect(sim.phone.approve(sim.phone.pending(ALICE)[0]?.id ?? '')).toBe(true);
  clock.advance(2000); // BankID's collect interval
}

test('a fresh /auth for the signed-in person, no text to sign; the handler runs once', async () => {
  const { agent, executed } = await bank();
  const started = await agent.post('/pay/up/approve').set(json).expect(202);
  expect(started.body).toMatchObject({ state: 'pending', display: { action: 'Confirm that it is you' } });
  expect(sim.lastRequest?.path).toBe('/rp/v6.0/auth');
  const [order] = sim.orderList();
  expect(order?.personalNumber).toBe(ALICE);
  expect(order?.request['userNonVisibleData']).toBeUndefined();
  phoneIdentifies();
  const status = await agent.get('/auth/push/status').set(json).expect(200);
  expect(status.body).toMatchObject({ state: 'action_approved', intentHash: expect.any(String) });
  await agent.post('/pay/up/execute').expect(200, { executed: 'up' });
  await agent.post('/pay/up/execute').expect(403, { error: 'not_approved' }); // a replay
  expect(executed).toEqual(['up']);
});

test('maxAgeSeconds: a step-up older than that is not used; a step-up is not an action approval', async () => {
  const { agent, executed } = await bank();
  await agent.post('/pay/fresh/approve').set(json).expect(202);
  phoneIdentifies();
  await agent.get('/auth/push/status').set(json).expect(200);
  // The step-up without a maximum age is another intent: this approval does not serve it.
  await agent.post('/pay/up/execute').expect(403, { error: 'not_approved' });
  clock.advance(61_000);
  await agent.post('/pay/fresh/execute').expect(403, { error: 'not_approved' });
  expect(executed).toEqual([]);
});

test('an acr BankID cannot confirm is refused before anything reaches the phone', async () => {
  const built = approvalApp(
    { provider: providerFor(sim, { now: clock.now }), strategy: { now: clock.now } },
    new Map<string, ActionIntent>([['high', { type: 'step-up', acr: 'urn:example:high' }]]),
    { userId: ALICE },
  );
  const agent = request.agent(built.app);
  await agent.post('/test-login').expect(204);
  // A configuration error (the app asked for what its provider cannot do), never a silent downgrade.
  const errors: unknown[] = [];
  built.app.use((error: unknown, _req: unknown, res: { sendStatus(code: number): void }, _next: unknown) => {
    errors.push(error);
    res.sendStatus(500);
  });
  await agent.post('/pay/high/approve').set(json).expect(500);
  expect(errors).toEqual([expect.objectContaining({ kind: 'config', code: 'invalid_option' })]);
  expect(sim.orderList()).toEqual([]);
});

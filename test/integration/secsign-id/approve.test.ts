/**
 * Approving an action with SecSign ID through the router (JSON): the phone shows the action line
 * beside the access pass, state 3 ends in `action_approved`, and the app's execute route uses the
 * approval once. Another user's approval, an answer about another session, another intent and a
 * replay all fail closed.
 */
import request from 'supertest';
import type { Express } from 'express';
import type { ActionApproval } from '../../../lib/core/approval';
import type { ActionIntent } from '../../../lib/providers/action';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { PAYMENT } from '../../helpers/intents';
import { providerFor } from './setup';

const json = { Accept: 'application/json' };

let sim: SecSignIdSimulator;
let clock: ManualClock;
beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['alice', 'bob'] });
  clock = manualClock(Date.now());
});
afterEach(() => sim.close());

function bank() {
  const records: ActionApproval[] = [];
  const payments = new Map<string, ActionIntent>([
    ['p1', PAYMENT],
    ['p2', { ...PAYMENT, payee: { name: 'Mallory' } }],
  ]);
  const { app, executed } = approvalApp(
    {
      provider: providerFor(sim.url, { pollIntervalMs: 100 }),
      strategy: {
        now: clock.now,
        approval: {
          require: { shows: 'text', proves: 'provider-yes' },
          onApproved: (record) => void records.push(record),
        },
      },
    },
    payments,
    // SecSign's canonical ID is its own subject: the app names both.
    { userId: 'alice', subject: 'alice' },
  );
  return { app, records, executed, payments };
}

async function signedIn(app: Express) {
  const agent = request.agent(app);
  await agent.post('/test-login').expect(204);
  return agent;
}

/** Alice's phone picks the access pass the wait page shows and approves. */
function phoneApproves(accessPass: string): void {
  const [pending] = sim.phone.pending('alice');
  expect(sim.phone.approve(pending?.id ?? '', pending?.choices?.indexOf(accessPass))).toBe(true);
  clock.advance(1000);
}

async function startedApproval(agent: request.Agent, id = 'p1'): Promise<string> {
  const started = await agent.post(`/pay/${id}/approve`).set(json).expect(202);
  return started.body.display.accessPass as string;
}

describe('approving a payment with SecSign ID through the router (JSON)', () => {
  it('approve → the phone shows the payment → state 3 → action_approved → execute runs exactly once', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    const started = await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(started.body.display).toMatchObject({
      action: expect.stringContaining('To: Anna Berg'),
      accessPass: expect.stringMatching(/^data:image\/png/),
    });
    expect(sim.phone.pending('alice')[0]?.serviceName).toBe(
      'Approve payment: 500.00 SEK to Anna Berg, account 5491-0000003, reference Rent May',
    );
    phoneApproves(started.body.display.accessPass as string);

    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toMatchObject({ state: 'action_approved', intentHash: expect.any(String) });
    expect(records).toEqual([
      expect.objectContaining({ provider: 'secsign-id', subject: 'alice', proves: 'provider-yes' }),
    ]);
    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' }); // a replay
    expect(executed).toEqual(['p1']);
  });
});

describe('tampering fails closed, and the action never runs', () => {
  it('another user approving: refused (subject_mismatch)', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    phoneApproves(await startedApproval(agent));
    sim.variance.approvedBy = 'bob';
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
    expect(records).toEqual([]);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('an answer about another auth session: refused (transaction_mismatch)', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    phoneApproves(await startedApproval(agent));
    sim.variance.foreignSessionId = true;
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'transaction_mismatch' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('details changed after the start: the approval serves the old details only', async () => {
    const { app, executed, payments } = bank();
    const agent = await signedIn(app);
    const pass = await startedApproval(agent);
    payments.set('p1', { ...PAYMENT, amount: '5000.00' });
    phoneApproves(pass);
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('an approval for another intent does not serve this one', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    phoneApproves(await startedApproval(agent));
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p2/execute').expect(403, { error: 'not_approved' });
    await agent.post('/pay/p1/execute').expect(200);
    expect(executed).toEqual(['p1']);
  });
});

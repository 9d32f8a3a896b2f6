/**
 * Approving an action with SecSign ID through the router (JSON): the phone shows the action line
 * beside the access pass, state 3 ends in `action_approved`, and the app's execute route uses the
 * approval once. Another user's approval, an answer about another session, another intent and a
 * replay all fail closed.
 */
import request from 'supertest';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { paymentBank, sharedApprovalCases, signedIn } from '../../helpers/approval-cases';
import { manualClock, type ManualClock } from '../../helpers/clock';
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
  return paymentBank({
    provider: providerFor(sim.url, { pollIntervalMs: 100 }),
    now: clock.now,
    require: { shows: 'text', proves: 'provider-yes' },
    // SecSign's canonical ID is its own subject: the app names both.
    approvers: [{ userId: 'alice', subject: 'alice' }],
  });
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

describe("SecSign's own words during an action", () => {
  it('a denied request speaks of the request, never of a login, in the page language', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await startedApproval(agent);
    sim.phone.deny(sim.phone.pending('alice')[0]?.id ?? '');
    clock.advance(1000);
    const denied = await agent.get('/auth/push/status').set(json).set('Accept-Language', 'sv');
    expect(denied.body).toMatchObject({
      state: 'denied',
      providerMessage: { key: 'secsign.action.denied', text: 'Begäran nekades i telefonen.' },
    });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
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
});

describe('what every provider must pass', () => {
  let pass = '';
  sharedApprovalCases({
    bank,
    start: async (agent, id) => void (pass = await startedApproval(agent, id)),
    phoneApproves: () => phoneApproves(pass),
  });
});

/**
 * Approving an action with Duo through the router (JSON), as an app wires it: the push shows the
 * payment, Duo's allow for its txid ends in `action_approved`, and the app's execute route uses the
 * approval once. Duo's answer names no user and no details, so what the library can refuse is an
 * answer that is not this push's: another transaction's txid (an approval already used, another
 * user's), another intent, a replay.
 */
import request from 'supertest';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { paymentBank, sharedApprovalCases, signedIn } from '../../helpers/approval-cases';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { duoProviderFor } from './setup';

const json = { Accept: 'application/json' };

let sim: DuoSimulator;
let clock: ManualClock;
beforeEach(async () => {
  sim = await DuoSimulator.start({ users: ['alice', 'bob'], holdCapMs: 0 });
  clock = manualClock(Date.now());
});
afterEach(() => sim.close());

function bank() {
  return paymentBank({
    provider: duoProviderFor(sim),
    now: clock.now,
    require: { shows: 'text', proves: 'provider-yes' },
    approvers: [{ userId: 'alice' }, { userId: 'bob' }],
    router: { approvedRedirect: '/pay/done' },
  });
}

/** The user's phone approves their newest push, as Duo Mobile shows it. */
function phoneApproves(user = 'alice'): void {
  expect(sim.phone.approve(sim.phone.pending(user)[0]?.id ?? '')).toBe(true);
  clock.advance(1000); // the fewest ms between two checks
}

/** Approves payment `id` on the phone and reads the status: the approval is then held, unused. */
async function approved(agent: request.Agent, id: string, user = 'alice') {
  await agent.post(`/pay/${id}/approve`).set(json).expect(202);
  phoneApproves(user);
  return agent.get('/auth/push/status').set(json).expect(200);
}

describe('approving a payment with Duo through the router (JSON)', () => {
  it('approve → the push shows the payment → allow → action_approved → execute runs exactly once', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    const started = await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(started.body).toMatchObject({
      state: 'pending',
      display: { action: expect.stringContaining('To: Anna Berg') },
    });
    const [push] = sim.phone.pending('alice');
    expect(push?.action).toContain('Approve payment\n\n');
    expect(push?.action).toContain('Amount: 500.00 SEK\nTo: Anna Berg');
    phoneApproves();

    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toEqual({
      state: 'action_approved',
      intentHash: expect.any(String),
      redirect: '/pay/done',
    });
    expect(records).toEqual([
      expect.objectContaining({
        provider: 'duo',
        subject: 'alice',
        proves: 'provider-yes',
        proof: { txid: push?.id, result: 'allow', status: 'allow' },
      }),
    ]);

    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' }); // a replay
    expect(executed).toEqual(['p1']);
  });

  it("Duo's own words speak of approving, never of a login, while pending and when refused", async () => {
    const { app } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    const pending = await agent.get('/auth/push/status').set(json).set('Accept-Language', 'de');
    expect(pending.body.providerMessage).toEqual({
      key: 'duo.action.pushed',
      text: 'Wir haben die Anfrage zur Bestätigung an Ihr Telefon gesendet.',
    });
    sim.phone.reportFraud(sim.phone.pending('alice')[0]?.id ?? '');
    clock.advance(1000);
    const denied = await agent.get('/auth/push/status').set(json);
    expect(denied.body).toMatchObject({
      state: 'denied',
      providerMessage: {
        key: 'duo.action.fraud',
        text: 'The request was reported as fraudulent and blocked.',
      },
    });
  });

  it('a denied push leaves nothing to use', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    sim.phone.deny(sim.phone.pending('alice')[0]?.id ?? '');
    clock.advance(1000);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'denied' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });
});

describe('tampering fails closed, and the action never runs', () => {
  it("Duo answers with the txid of an approval already given (another transaction's allow): refused", async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    await approved(agent, 'p2');
    await agent.post('/pay/p2/execute').expect(200);

    sim.tamperNextAuth({ kind: 'reused-txid' });
    await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(sim.phone.pending('alice')).toEqual([]); // no push was sent for p1
    clock.advance(1000);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'intent_mismatch' });
    expect(records).toHaveLength(1);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual(['p2']);
  });

  it("another user approving: Duo answers with bob's txid, whose allow served bob's own approval: refused", async () => {
    const { app, executed } = bank();
    const bob = await signedIn(app, 'bob');
    expect((await approved(bob, 'p2', 'bob')).body).toMatchObject({ state: 'action_approved' });

    const alice = await signedIn(app);
    sim.tamperNextAuth({ kind: 'txid-of-user', user: 'bob' });
    await alice.post('/pay/p1/approve').set(json).expect(202);
    clock.advance(1000);
    const status = await alice.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'intent_mismatch' });
    await alice.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    await bob.post('/pay/p2/execute').expect(200);
    expect(executed).toEqual(['p2']);
  });

  it("bob's phone never sees alice's push, and alice's approval serves neither bob nor bob's session", async () => {
    const { app, executed } = bank();
    const alice = await signedIn(app);
    await alice.post('/pay/p1/approve').set(json).expect(202);
    expect(sim.phone.pending('bob')).toEqual([]);
    phoneApproves('alice');
    await alice.get('/auth/push/status').set(json).expect(200);
    const bob = await signedIn(app, 'bob');
    await bob.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });
});

describe('what every provider must pass', () => {
  sharedApprovalCases({
    bank,
    start: async (agent, id) => void (await agent.post(`/pay/${id}/approve`).set(json).expect(202)),
    phoneApproves: () => phoneApproves(),
  });
});

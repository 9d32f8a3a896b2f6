/**
 * Approving an action with BankID through the router, as an app wires it: the signed-in user asks
 * to approve a payment on the app's own route, the same status / wait routes follow it, and the
 * app's execute route uses the approval once. Every tampering fails closed and the action never runs.
 */
import type { ActionApproval } from '../../../lib/core/approval';
import type { ActionIntent } from '../../../lib/providers/action';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { approvalApp } from '../../helpers/approval-app';
import { sharedApprovalCases, signedIn } from '../../helpers/approval-cases';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { ALICE, BOB, completedByAnother, providerFor } from './setup';
import { PAYMENT } from '../../helpers/intents';

const json = { Accept: 'application/json' };

let sim: BankIdSimulator;
let clock: ManualClock;
beforeEach(async () => {
  sim = await BankIdSimulator.start();
  clock = manualClock(Date.now());
});
afterEach(() => sim.close());

function bank() {
  const records: ActionApproval[] = [];
  const payments = new Map<string, ActionIntent>([
    ['p1', PAYMENT],
    ['p2', { ...PAYMENT, payee: { name: 'Mallory' } }],
    ['up', { type: 'step-up' }],
  ]);
  const { app, executed } = approvalApp(
    {
      provider: providerFor(sim, { now: clock.now }),
      strategy: {
        now: clock.now,
        approval: {
          require: { shows: 'amount-and-payee', proves: 'user-signature' },
          onApproved: (record) => void records.push(record),
        },
      },
      router: { approvedRedirect: '/pay/done' },
    },
    payments,
    { userId: ALICE },
  );
  return { app, records, executed, payments };
}

/** The signed-in person's phone approves the newest request as BankID shows it. */
function phoneApproves(): void {
  expect(sim.phone.approve(sim.phone.pending(ALICE)[0]?.id ?? '')).toBe(true);
  clock.advance(2000); // BankID's collect interval
}

describe('approving a payment with BankID through the router (JSON)', () => {
  it('approve → sign on the phone → status says action_approved → execute runs exactly once', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    const started = await agent.post('/pay/p1/approve').set('Accept', 'application/json').expect(202);
    expect(started.body).toMatchObject({
      state: 'pending',
      display: { action: expect.stringContaining('To: Anna Berg') },
      pollUrl: '/auth/push/status',
      waitUrl: '/auth/push/wait',
      cancelUrl: '/auth/push/cancel',
    });
    expect(sim.lastRequest?.path).toBe('/rp/v6.0/sign');
    phoneApproves();

    const status = await agent.get('/auth/push/status').set('Accept', 'application/json').expect(200);
    expect(status.body).toEqual({
      state: 'action_approved',
      intentHash: expect.any(String),
      redirect: '/pay/done',
    });
    expect(JSON.stringify(status.body)).not.toContain('signature');
    expect(records).toEqual([
      expect.objectContaining({ provider: 'bankid', subject: ALICE, proves: 'user-signature' }),
    ]);

    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' }); // a replay
    expect(executed).toEqual(['p1']);
  });
});

describe('tampering fails closed, and the action never runs', () => {
  it('another text signed: the status refuses it (intent_mismatch), nothing is recorded or usable', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    const [order] = sim.orderList();
    sim.phone.fetch(sim.phone.pending(ALICE)[0]?.id ?? '');
    sim.approve(
      order?.orderRef ?? '',
      {},
      { visibleText: 'Approve payment\n\nAmount: 5.00 SEK\nTo: Anna Berg' },
    );
    clock.advance(2000);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'intent_mismatch' });
    expect(records).toEqual([]);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  // `up` is a step-up (a fresh /auth, nothing signed): its approver must be the signed-in person too.
  it.each(['p1', 'up'])('another user approving %s: refused (subject_mismatch)', async (id) => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post(`/pay/${id}/approve`).set(json).expect(202);
    phoneApproves();
    completedByAnother(sim, BOB);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
    await agent.post(`/pay/${id}/execute`).expect(403);
    expect(executed).toEqual([]);
  });

  it('another browser (another session) of the same user cannot use the approval', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    const other = await signedIn(app);
    await other.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('a cancelled approval leaves nothing to use', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    await agent.post('/auth/push/cancel').set(json).expect(200, { state: 'cancelled' });
    await agent.post('/pay/p1/execute').expect(403);
    expect(executed).toEqual([]);
  });
});

describe('what every provider must pass', () => {
  sharedApprovalCases({
    bank,
    start: async (agent, id) => void (await agent.post(`/pay/${id}/approve`).set(json).expect(202)),
    phoneApproves,
  });
});

describe('without JavaScript (HTML)', () => {
  it('approve → wait page → approved → approvedRedirect; the user stays signed in as before', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').expect(303).expect('Location', '/auth/push/wait');
    const page = await agent.get('/auth/push/wait').expect(200);
    // The same details as the phone, and wording that cannot pass for a login.
    expect(page.text).toContain('Approve this action on your phone – this is not a login');
    expect(page.text).toContain('Amount: 500.00 SEK\nTo: Anna Berg');
    expect(page.text).toContain(
      'data-state="pending">Scan the QR code with the app on your phone to approve this action.</p>',
    );
    expect(page.text).not.toContain('<p class="push-user">Signing in as');
    // How it may end, as the page's script will say it: of the action, never of a login.
    expect(page.text).toContain('"state.denied":"The action was denied on the phone: it was not approved."');
    expect(page.text).toContain('"title.denied":"Not approved"');
    expect(page.text).toContain('"state.expired":"The request expired before the action was approved');
    const german = await agent.get('/auth/push/wait').set('Accept-Language', 'de').expect(200);
    expect(german.text).toContain('das ist keine Anmeldung');
    const swedish = await agent.get('/auth/push/wait').set('Accept-Language', 'sv').expect(200);
    expect(swedish.text).toContain('det här är ingen inloggning');
    phoneApproves();
    await agent.get('/auth/push/status').expect(303).expect('Location', '/pay/done');
    await agent.get('/me').expect(200, { user: { id: ALICE } });
    await agent.post('/pay/p1/execute').expect(200);
    expect(executed).toEqual(['p1']);
  });
});

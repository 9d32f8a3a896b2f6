/**
 * Approving an action with Authentiq8 Me through the router, as an app wires it: the push carries
 * the action as its message (with the inferred `action: payment`), the phone shows that text, the
 * server's `approved` for the push's auth_id ends in `action_approved`, and the app's execute route
 * uses the approval once. The answer names no details, so what the library can refuse is an answer
 * that is not this push's: another user's, another auth_id's, another intent, a replay.
 */
import { paymentBank, sharedApprovalCases, signedIn } from '../../helpers/approval-cases';
import { buildTestApp } from '../../helpers/app';
import { startPair, type Pair } from './setup';

const json = { Accept: 'application/json' };
const LINE = 'Approve payment: 500.00 SEK to Anna Berg, account 5491-0000003, reference Rent May';

let pair: Pair;
beforeEach(async () => {
  pair = await startPair({ simulator: { users: ['alice', 'bob'] }, provider: { pollIntervalMs: 1000 } });
});
afterEach(() => pair.simulator.close());

function bank() {
  return paymentBank({
    provider: pair.provider,
    now: pair.clock.now,
    require: { shows: 'text', proves: 'provider-yes' },
    approvers: [{ userId: 'alice' }, { userId: 'bob' }],
    router: { approvedRedirect: '/pay/done' },
  });
}

/** The user's phone approves their newest push, and the clock passes the poll interval. */
function phoneApproves(user = 'alice'): void {
  expect(pair.simulator.phone.approve(pair.simulator.phone.pending(user)[0]?.id ?? '')).toBe(true);
  pair.clock.advance(1000);
}

/** The JSON body authenticate was signed and sent with. */
function lastAuthenticate(): Record<string, unknown> {
  return JSON.parse(pair.simulator.lastRequest?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
}

describe('approving a payment with Authentiq8 Me through the router (JSON)', () => {
  it('approve → the phone shows the payment → approved → action_approved → execute runs exactly once', async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    const started = await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(started.body).toMatchObject({
      state: 'pending',
      display: { action: expect.stringContaining('To: Anna Berg') },
    });
    expect(lastAuthenticate()).toEqual({
      txn_type: 'authenticate',
      user_id: 'alice',
      action: 'payment',
      message: LINE,
    });
    const [push] = pair.simulator.phone.pending('alice');
    expect(push).toMatchObject({ bindingMessage: LINE, action: LINE });
    phoneApproves();

    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toEqual({
      state: 'action_approved',
      intentHash: expect.any(String),
      redirect: '/pay/done',
    });
    expect(records).toEqual([
      expect.objectContaining({
        provider: 'authentiq8',
        subject: 'alice',
        proves: 'provider-yes',
        proof: { auth_id: push?.id, user_id: 'alice', status: 'approved' },
      }),
    ]);
    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' }); // a replay
    expect(executed).toEqual(['p1']);
  });

  it('a server that echoes neither user_id nor auth_id still approves (the echoes are inferred)', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    pair.simulator.variance.noEchoes = true;
    phoneApproves();
    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toMatchObject({ state: 'action_approved' });
    await agent.post('/pay/p1/execute').expect(200);
    expect(executed).toEqual(['p1']);
  });

  it('a generic action goes out as the closest inferred action (payment), its title and lines as the message', async () => {
    const { app, payments } = bank();
    payments.set('export', {
      type: 'generic',
      title: 'Export customer data',
      lines: ['All customers', 'CSV'],
    });
    const agent = await signedIn(app);
    await agent.post('/pay/export/approve').set(json).expect(202);
    expect(lastAuthenticate()).toMatchObject({
      action: 'payment',
      message: 'Export customer data: All customers; CSV',
    });
  });

  it('an action too long for one message is refused before the server is called, never cut', async () => {
    const { app, payments, executed } = bank();
    payments.set('long', {
      type: 'generic',
      title: 'Export customer data',
      lines: ['x', 'y', 'z', 'w', 'v'].map((c) => c.repeat(120)),
    });
    const agent = await signedIn(app);
    const refused = await agent.post('/pay/long/approve').set(json);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'invalid_intent',
      detail: expect.stringContaining('takes 630 characters on one line, and a message takes at most 500'),
    });
    expect(pair.simulator.calls['authenticate']).toBeUndefined();
    await agent.post('/pay/long/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('a denied request speaks of the request, never of a login, in the page language', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    pair.simulator.phone.deny(pair.simulator.phone.pending('alice')[0]?.id ?? '');
    pair.clock.advance(1000);
    const denied = await agent.get('/auth/push/status').set(json).set('Accept-Language', 'de');
    expect(denied.body).toMatchObject({
      state: 'denied',
      providerMessage: {
        key: 'authentiq8.action.declined',
        text: 'Die Anfrage wurde in der Authentiq8-Me-App abgelehnt.',
      },
    });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('a step-up is a fresh login push to the same user, and its approval serves once', async () => {
    const { app, payments, executed } = bank();
    payments.set('up', { type: 'step-up' });
    const agent = await signedIn(app);
    await agent.post('/pay/up/approve').set(json).expect(202);
    expect(lastAuthenticate()).toMatchObject({ user_id: 'alice', action: 'login' });
    expect(pair.simulator.phone.pending('alice')[0]?.action).toBeUndefined();
    phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/up/execute').expect(200, { executed: 'up' });
    await agent.post('/pay/up/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual(['up']);
  });
});

describe('tampering fails closed, and the action never runs', () => {
  it.each([
    ['another user approving (the answer names bob)', 'subject_mismatch', { echoUserId: 'bob' }],
    ['an answer about another auth_id', 'transaction_mismatch', { echoAuthId: 'auth-of-another-push' }],
  ] as const)('%s: refused (%s)', async (_case, code, variance) => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    phoneApproves();
    Object.assign(pair.simulator.variance, variance);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code });
    expect(records).toEqual([]);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it("authenticate answers with the auth_id of an approval already used (another transaction's): refused", async () => {
    const { app, records, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p2/approve').set(json).expect(202);
    phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p2/execute').expect(200);

    pair.simulator.variance.reuseAuthId = true;
    await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(pair.simulator.phone.pending('alice')).toEqual([]); // nothing was pushed for p1
    pair.clock.advance(1000);
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.body).toMatchObject({ state: 'invalid', code: 'intent_mismatch' });
    expect(records).toHaveLength(1);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual(['p2']);
  });

  it("bob's approval serves neither alice nor her session", async () => {
    const { app, executed } = bank();
    const bob = await signedIn(app, 'bob');
    await bob.post('/pay/p1/approve').set(json).expect(202);
    const alice = await signedIn(app);
    phoneApproves('bob');
    await bob.get('/auth/push/status').set(json).expect(200);
    await alice.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    await bob.post('/pay/p1/execute').expect(200);
    expect(executed).toEqual(['p1']);
  });
});

describe('without JavaScript (HTML)', () => {
  it('approve → wait page with the payment → approved → approvedRedirect; execute runs once', async () => {
    const { app, executed } = bank();
    const agent = await signedIn(app);
    await agent.post('/pay/p1/approve').expect(303).expect('Location', '/auth/push/wait');
    const page = await agent.get('/auth/push/wait').expect(200);
    expect(page.text).toContain('Approve this action on your phone – this is not a login');
    expect(page.text).toContain('Amount: 500.00 SEK\nTo: Anna Berg');
    expect(page.text).toContain('Confirm the request in the Authentiq8 Me app on your phone.');
    expect(page.text).not.toContain('<p class="push-user">Signing in as');
    phoneApproves();
    await agent.get('/auth/push/status').expect(303).expect('Location', '/pay/done');
    await agent.post('/pay/p1/execute').expect(200);
    await agent.post('/pay/p1/execute').expect(403);
    expect(executed).toEqual(['p1']);
  });
});

describe('what every provider must pass', () => {
  sharedApprovalCases({
    bank,
    start: async (agent, id) => void (await agent.post(`/pay/${id}/approve`).set(json).expect(202)),
    phoneApproves: () => phoneApproves(),
  });
});

describe('the levels an app may require of Authentiq8 Me', () => {
  it('declares text shown and the provider saying yes', () => {
    expect(pair.provider.actions).toEqual({ shows: 'text', proves: 'provider-yes' });
  });

  it.each([
    [{ shows: 'amount-and-payee', proves: 'provider-yes' }],
    [{ shows: 'text', proves: 'user-signature' }],
    [{ shows: 'text', proves: 'provider-assertion' }],
  ] as const)('requiring %o fails at construction with a configuration error', (require) => {
    expect(() => buildTestApp({ provider: pair.provider, strategy: { approval: { require } } })).toThrow(
      expect.objectContaining({
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringContaining('authentiq8 shows text and proves provider-yes'),
      }),
    );
  });

  it('requiring text shown and provider-yes (or less) starts', () => {
    expect(() =>
      buildTestApp({
        provider: pair.provider,
        strategy: { approval: { require: { shows: 'text', proves: 'provider-yes' } } },
      }),
    ).not.toThrow();
  });
});

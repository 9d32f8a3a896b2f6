/**
 * Action approval in the core: an intent made on the server, approved once by the signed-in user on
 * the phone, used once by the action handler. Every way to misuse an approval fails closed.
 */
import { actionRequest } from '../../../lib/core/intent';
import type { ActionIntent } from '../../../lib/providers/action';
import { PushError } from '../../../lib/errors';
import { setupLogin } from '../../helpers/login-core';
import { PAYMENT } from '../../helpers/intents';

const ALICE = { userId: 'alice' };

function setup(strategy = {}) {
  const setup = setupLogin({}, strategy);
  Object.assign(setup.provider, { actions: { shows: 'text', proves: 'provider-yes' } });
  return setup;
}

/** What the phone's provider answers when `subject` approves the intent with `hash`. */
function approvedFor(hash: string, subject = 'alice') {
  return { state: 'approved', subject, action: { intentHash: hash, proof: { txid: 't-1' } } };
}

async function approvedAction(s: ReturnType<typeof setup>, intent: ActionIntent = PAYMENT) {
  const started = await s.login.approve(s.req(), intent, ALICE);
  expect(started.kind).toBe('pending');
  s.provider.answerRaw(approvedFor(actionRequest(intent).hash));
  return s.login.poll(s.req());
}

describe('approve(intent): one challenge for the signed-in user', () => {
  it('sends the intent, its hash and its text to the provider, never regenerates the signed-in session', async () => {
    const s = setup();
    await s.login.approve(s.req({ username: 'mallory' }), PAYMENT, ALICE);
    const sent = s.provider.latest.request;
    expect(sent.userId).toBe('alice'); // the app's approver, not the body's ID
    expect(sent.action?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.action?.text).toBe(
      'Approve payment\n\nAmount: 500.00 SEK\nTo: Anna Berg\nAccount: 5491-0000003\nReference: Rent May',
    );
    expect(s.session.regenerations).toBe(0);
    expect(s.events.map((e) => e.type)).toEqual(['start']);
  });

  it('an approval of this intent by this user is held, reported once, and usable once', async () => {
    const approvals: unknown[] = [];
    const s = setup({ approval: { onApproved: (record: unknown) => void approvals.push(record) } });
    const result = await approvedAction(s);
    const hash = actionRequest(PAYMENT).hash;
    expect(result).toMatchObject({
      kind: 'action_approved',
      approval: { provider: 'scripted', subject: 'alice', intentHash: hash, proof: { txid: 't-1' } },
    });
    expect(approvals).toHaveLength(1);
    expect(s.verified).toEqual([]); // no login
    expect(s.events.filter((e) => e.type === 'approved')).toEqual([
      expect.objectContaining({ subject: 'alice', intentHash: hash }),
    ]);

    // The handler rebuilds the same intent from its own data (another object, same content).
    const used = await s.login.useApproval(s.session, { ...PAYMENT, payee: { ...PAYMENT.payee } }, ALICE);
    expect(used).toMatchObject({ intentHash: hash });
    // A replay finds nothing.
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  it('a replay with a copy of the session (another request or instance) is refused by the shared claim', async () => {
    const s = setup();
    await approvedAction(s);
    const copy = structuredClone(s.session.data['push:scripted:approved']);
    await s.login.useApproval(s.session, PAYMENT, ALICE);
    s.session.data['push:scripted:approved'] = copy; // a racing request's stale session copy
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  it('a changed action (another amount) or another user finds no approval', async () => {
    const s = setup();
    await approvedAction(s);
    await expect(s.login.useApproval(s.session, { ...PAYMENT, amount: '5000.00' }, ALICE)).rejects.toThrow(
      PushError,
    );
    await expect(s.login.useApproval(s.session, PAYMENT, { userId: 'bob' })).rejects.toMatchObject({
      code: 'not_approved',
    });
    // Still usable by the right request.
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).resolves.toBeDefined();
  });

  it('an approval expires after approval.ttlMs', async () => {
    const s = setup({ approval: { ttlMs: 60_000 } });
    await approvedAction(s);
    s.time.advance(60_000);
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  it('an approval for another intent is refused and nothing is held', async () => {
    const s = setup();
    await s.login.approve(s.req(), PAYMENT, ALICE);
    s.provider.answerRaw(approvedFor(actionRequest({ ...PAYMENT, amount: '5.00' }).hash));
    expect(await s.login.poll(s.req())).toMatchObject({
      kind: 'failed',
      state: 'invalid',
      code: 'intent_mismatch',
    });
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
    expect(s.events.map((e) => e.type)).toEqual(['start', 'invalid']);
  });

  it('an approval without evidence (a login answer) is refused', async () => {
    const s = setup();
    await s.login.approve(s.req(), PAYMENT, ALICE);
    s.provider.answer('approved');
    expect(await s.login.poll(s.req())).toMatchObject({ kind: 'failed', code: 'intent_mismatch' });
  });

  it('another user approving is refused', async () => {
    const s = setup();
    await s.login.approve(s.req(), PAYMENT, ALICE);
    s.provider.answerRaw(approvedFor(actionRequest(PAYMENT).hash, 'mallory'));
    expect(await s.login.poll(s.req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  it('an audit hook that fails leaves no usable approval', async () => {
    const s = setup({
      approval: {
        onApproved: () => {
          throw new Error('audit log down');
        },
      },
    });
    expect(await approvedAction(s)).toMatchObject({ kind: 'error' });
    await expect(s.login.useApproval(s.session, PAYMENT, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  it('a malformed intent is refused before anything is sent', async () => {
    const s = setup();
    for (const bad of [
      { ...PAYMENT, amount: '500,00' },
      { ...PAYMENT, amount: '0.00' },
      { ...PAYMENT, currency: 'eur' },
      { ...PAYMENT, payee: { name: 'Anna\nAmount: 5 EUR' } },
      { ...PAYMENT, extra: 'not hashed' },
      { type: 'generic', title: 'Export', lines: [] },
    ]) {
      expect(await s.login.approve(s.req(), bad as ActionIntent, ALICE)).toMatchObject({
        kind: 'failed',
        state: 'bad_request',
        code: 'invalid_intent',
      });
    }
    expect(s.provider.calls.start).toBe(0);
  });
});

describe('the level an app requires', () => {
  it('a provider that cannot meet it is a configuration error at construction', () => {
    expect(() =>
      setup({ approval: { require: { shows: 'amount-and-payee', proves: 'user-signature' } } }),
    ).toThrow(/scripted approves no actions/);
  });

  it('approve() with a provider that declares no actions is a configuration error', async () => {
    const s = setupLogin();
    expect(await s.login.approve(s.req(), PAYMENT, ALICE)).toMatchObject({
      kind: 'error',
      error: expect.objectContaining({ kind: 'config' }),
    });
  });
});

describe('the intent hash', () => {
  it('is the same for the same content in any key order, and differs for any change', () => {
    const reordered = {
      reference: 'Rent May',
      payee: { account: '5491-0000003', name: 'Anna Berg' },
      currency: 'SEK',
      amount: '500.00',
      type: 'payment',
    } as ActionIntent;
    expect(actionRequest(reordered).hash).toBe(actionRequest(PAYMENT).hash);
    expect(actionRequest({ ...PAYMENT, reference: 'Rent June' }).hash).not.toBe(actionRequest(PAYMENT).hash);
    expect(actionRequest({ ...PAYMENT, payee: { name: 'Anna Berg' } }).hash).not.toBe(
      actionRequest(PAYMENT).hash,
    );
  });
});

describe("a provider's proof approves one action", () => {
  it('the same proof answering a second challenge (a replayed txid) is refused, recorded nowhere, held nowhere', async () => {
    const approvals: unknown[] = [];
    const s = setup({ approval: { onApproved: (record: unknown) => void approvals.push(record) } });
    await approvedAction(s);
    await s.login.useApproval(s.session, PAYMENT, ALICE);

    const other: ActionIntent = { ...PAYMENT, amount: '5.00' };
    const second = await approvedAction(s, other); // the provider answers with the same `{ txid: 't-1' }`
    expect(second).toMatchObject({
      kind: 'failed',
      state: 'invalid',
      code: 'intent_mismatch',
      message: 'The provider answered with a proof that approved another action.',
    });
    expect(approvals).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'invalid')).toEqual([
      expect.objectContaining({ reason: 'intent_mismatch' }),
    ]);
    await expect(s.login.useApproval(s.session, other, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });
});

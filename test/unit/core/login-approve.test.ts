/**
 * The rules of an action's approval in the login core that a mutation run found unchecked: who
 * may be named as approver, which subject counts as that approver for each subject rule, what
 * counts as evidence, and what the approval record and its audit event say.
 */
import { actionRequest } from '../../../lib/core/intent';
import type { ActionApproval } from '../../../lib/core/approval';
import type { Approver } from '../../../lib/core/login';
import type { ScriptedProviderOptions } from '../../../lib/testing/scripted-provider';
import { decidedElsewhere, setupLogin } from '../../helpers/login-core';
import { PAYMENT } from '../../helpers/intents';
import { localObserved } from '../../../lib/web/json-messages';
import { catalogueFor } from '../../../lib/web/messages';

const HASH = actionRequest(PAYMENT).hash;

/** A login core whose provider approves actions, recording the approvals the app is told of. */
function setup(
  provider: ScriptedProviderOptions = {},
  actions: object = { shows: 'text', proves: 'provider-yes' },
) {
  const approvals: ActionApproval[] = [];
  const s = setupLogin(provider, { approval: { onApproved: (record) => void approvals.push(record) } });
  Object.assign(s.provider, { actions });
  return { ...s, approvals };
}

/** The provider's answer when `subject` approves the intent `hash`, with `proof`. */
function approvedBy(subject: string, proof: unknown = { txid: 't-1' }, hash = HASH) {
  return { state: 'approved', subject, action: { intentHash: hash, proof } };
}

/** Starts an approval for `approver`, lets the provider answer `status`, and polls once. */
async function approveWith(s: ReturnType<typeof setup>, approver: Approver, status: unknown) {
  expect(await s.login.approve(s.req(), PAYMENT, approver)).toMatchObject({ kind: 'pending' });
  s.provider.answerRaw(status);
  return s.login.poll(s.req());
}

describe('the approver an app names', () => {
  test.each([
    ['no approver', undefined as unknown as Approver],
    ['no user ID', { userId: undefined as unknown as string }],
    ['a blank user ID', { userId: '  ' }],
  ])('%s: a configuration error, and nothing is sent', async (_name, approver) => {
    const s = setup();
    const result = await s.login.approve(s.req(), PAYMENT, approver);
    expect(result).toMatchObject({
      kind: 'error',
      error: { kind: 'config', code: 'invalid_option', message: expect.stringContaining('approver.userId') },
    });
    expect(s.provider.calls.start).toBe(0);
  });

  test('with a provider that approves no actions: a configuration error naming the provider', async () => {
    const s = setupLogin();
    expect(await s.login.approve(s.req(), PAYMENT, { userId: 'alice' })).toMatchObject({
      kind: 'error',
      error: {
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringContaining('The provider scripted cannot approve actions'),
      },
    });
    expect(s.provider.calls.start).toBe(0);
  });

  test("a provider whose own subject wins needs the approver's subject", async () => {
    const s = setup({ subjectRule: 'provider' });
    expect(await s.login.approve(s.req(), PAYMENT, { userId: 'alice' })).toMatchObject({
      kind: 'error',
      error: { kind: 'config', code: 'invalid_option', message: expect.stringContaining('approver.subject') },
    });
    expect(s.provider.calls.start).toBe(0);
  });

  test('is sent trimmed, and the pending answer shows the action text', async () => {
    const s = setup();
    const started = await s.login.approve(s.req(), PAYMENT, { userId: ' alice ' });
    expect(s.provider.latest.request.userId).toBe('alice');
    expect(started).toMatchObject({ kind: 'pending', display: { action: actionRequest(PAYMENT).text } });
  });
});

describe("the app's intent", () => {
  test("that throws while it is read (the app's own fault) is that error, not the user's bad request", async () => {
    const s = setup();
    const fault = new Error('payment records unavailable');
    const broken = Object.defineProperty({ ...PAYMENT }, 'amount', {
      enumerable: true,
      get: () => {
        throw fault;
      },
    });
    expect(await s.login.approve(s.req(), broken, { userId: 'alice' })).toEqual({
      kind: 'error',
      error: fault,
      approval: true,
    });
    expect(s.provider.calls.start).toBe(0);
  });
});

describe('which subject counts as the approver', () => {
  test("'provider' rule: exactly the approver's subject the app named, no other", async () => {
    const ok = setup({ subjectRule: 'provider' });
    const approver = { userId: 'alice', subject: 'sub-123' };
    expect(await approveWith(ok, approver, approvedBy('sub-123'))).toMatchObject({ kind: 'action_approved' });
    const other = setup({ subjectRule: 'provider' });
    expect(await approveWith(other, approver, approvedBy('sub-999'))).toEqual({
      kind: 'failed',
      state: 'invalid',
      message: 'Another user approved the action.',
      code: 'subject_mismatch',
      approval: true,
    });
    expect(other.approvals).toEqual([]);
  });

  test("'must-match' rule: the approver's ID in any letter case", async () => {
    const s = setup({ subjectRule: 'must-match' });
    expect(await approveWith(s, { userId: 'alice' }, approvedBy('ALICE'))).toMatchObject({
      kind: 'action_approved',
    });
  });

  test("'match-if-typed' rule: the subject in the provider's spelling, exactly", async () => {
    const lower = (id: string) => id.toLowerCase();
    const same = setup({ subjectRule: 'match-if-typed' });
    Object.assign(same.provider, { canonicalUserId: lower });
    expect(await approveWith(same, { userId: 'Alice' }, approvedBy('ALICE'))).toMatchObject({
      kind: 'action_approved',
    });
    const other = setup({ subjectRule: 'match-if-typed' });
    expect(await approveWith(other, { userId: 'alice' }, approvedBy('ALICE'))).toMatchObject({
      kind: 'failed',
      code: 'subject_mismatch',
    });
    expect(other.events.at(-1)).toEqual({
      type: 'invalid',
      userId: 'alice',
      reason: 'subject_mismatch',
      ip: '203.0.113.9',
      provider: 'scripted',
    });
  });
});

describe('an approver ID sealed under another secret (another instance misconfigured)', () => {
  test('matches no subject, even one the provider cannot spell: refused, nothing recorded', async () => {
    const personalNumber = (id: string) => {
      if (!/^\d{12}$/.test(id)) throw new Error('not a personal number');
      return id;
    };
    const options = { personalUserIds: true, subjectRule: 'match-if-typed' } as const;
    const here = setup(options);
    Object.assign(here.provider, { canonicalUserId: personalNumber });
    const approvals: ActionApproval[] = [];
    const there = setupLogin(options, {
      secret: 'another-secret-of-thirty-two-characters!',
      provider: here.provider,
      approval: { onApproved: (record) => void approvals.push(record) },
    });
    const approver = { userId: '199001011234' };
    await there.login.approve(there.req(), PAYMENT, approver);
    await here.login.approve(here.req(), PAYMENT, approver);
    // The record the first instance wrote, read by the second (the same session, the same push).
    there.session.data['push:scripted'] = here.session.data['push:scripted'];
    here.provider.answerRaw(approvedBy('not-a-personal-number'));
    expect(await there.login.poll(there.req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
    expect(approvals).toEqual([]);
  });
});

describe('the evidence of an approval', () => {
  test.each([
    ['no proof', null],
    ['a proof that is no object', 'signed'],
  ])('%s: refused as intent_mismatch, with an invalid event, nothing recorded', async (_name, proof) => {
    const s = setup();
    expect(await approveWith(s, { userId: 'alice' }, approvedBy('alice', proof))).toEqual({
      kind: 'failed',
      state: 'invalid',
      message: 'The approval is not for this action.',
      code: 'intent_mismatch',
      approval: true,
    });
    expect(s.events.at(-1)).toEqual({
      type: 'invalid',
      userId: 'alice',
      reason: 'intent_mismatch',
      ip: '203.0.113.9',
      provider: 'scripted',
    });
    expect(s.approvals).toEqual([]);
  });
});

describe('an approval', () => {
  test("is recorded with the provider's proof level, and its event names user, subject, intent and address", async () => {
    const s = setup({}, { shows: 'amount-and-payee', proves: 'user-signature' });
    s.time.advance(1_000);
    const result = await approveWith(s, { userId: 'alice' }, approvedBy('alice'));
    const id = (result as { approval: ActionApproval }).approval.challengeId;
    expect(s.approvals).toEqual([
      {
        provider: 'scripted',
        subject: 'alice',
        intentHash: HASH,
        challengeId: id,
        approvedAt: s.time.now(),
        proves: 'user-signature',
        proof: { txid: 't-1' },
      },
    ]);
    expect(s.events.at(-1)).toEqual({
      type: 'approved',
      userId: 'alice',
      subject: 'alice',
      intentHash: HASH,
      ip: '203.0.113.9',
      provider: 'scripted',
    });
  });

  test("of a provider that declares no proof level: 'provider-yes'", async () => {
    const s = setup({}, { shows: 'text' });
    await approveWith(s, { userId: 'alice' }, approvedBy('alice'));
    expect(s.approvals).toMatchObject([{ proves: 'provider-yes' }]);
  });

  test('that the session does not hold: useApproval throws a state error, not_approved, saying so', async () => {
    const s = setup();
    await expect(s.login.useApproval(s.session, PAYMENT, { userId: 'alice' })).rejects.toMatchObject({
      kind: 'state',
      code: 'not_approved',
      message: 'This action has no unused approval by this user in this session.',
    });
  });

  test("is used by the approver's ID in any spelling the provider accepts", async () => {
    const s = setup({ subjectRule: 'match-if-typed' });
    Object.assign(s.provider, { canonicalUserId: (id: string) => id.toLowerCase() });
    await approveWith(s, { userId: 'alice' }, approvedBy('alice'));
    await expect(s.login.useApproval(s.session, PAYMENT, { userId: ' ALICE ' })).resolves.toMatchObject({
      intentHash: HASH,
    });
  });
});

describe('two strategies (two providers) in one session', () => {
  test('an approval through one is not usable through the other (each keeps its own under its sessionKey)', async () => {
    const bank = setup({ name: 'bank' });
    await approveWith(bank, { userId: 'alice' }, approvedBy('alice'));
    const other = setup({ name: 'other' });
    await expect(other.login.useApproval(bank.session, PAYMENT, { userId: 'alice' })).rejects.toMatchObject({
      code: 'not_approved',
    });
    expect(bank.session.data).toHaveProperty(['push:bank:approved']);
    await expect(bank.login.useApproval(bank.session, PAYMENT, { userId: 'alice' })).resolves.toBeDefined();
  });
});

describe("an action's endings speak of the action, never of a login", () => {
  test('a cancel after another request completed the approval: the action was approved', async () => {
    const s = setupLogin({}, { stores: { completions: decidedElsewhere('approved') } });
    Object.assign(s.provider, { actions: { shows: 'text', proves: 'provider-yes' } });
    expect(await s.login.approve(s.req(), PAYMENT, { userId: 'alice' })).toMatchObject({ approval: true });
    expect(await s.login.cancel(s.req())).toEqual({
      kind: 'failed',
      state: 'none',
      message: 'The action was approved before it could be cancelled.',
      code: 'already_completed',
      approval: true,
    });
  });

  test('denied and cancelled: the English texts name the approval request', async () => {
    const denied = setup();
    await denied.login.approve(denied.req(), PAYMENT, { userId: 'alice' });
    denied.provider.answer('denied');
    expect(await denied.login.poll(denied.req())).toMatchObject({
      state: 'denied',
      message: 'The action was denied on the phone.',
      approval: true,
    });
    const cancelled = setup();
    await cancelled.login.approve(cancelled.req(), PAYMENT, { userId: 'alice' });
    expect(await cancelled.login.cancel(cancelled.req())).toEqual({
      kind: 'cancelled',
      state: 'cancelled',
      message: 'The approval request was cancelled.',
      approval: true,
    });
  });

  test("a status stream's state of an action says so, and its text is the action's in the page language", async () => {
    const s = setup();
    await s.login.approve(s.req(), PAYMENT, { userId: 'alice' });
    const observed = await s.login.observe(s.session);
    expect(observed).toMatchObject({
      state: 'pending',
      approval: true,
      message: 'Waiting for the action to be approved on your phone…',
    });
    expect(localObserved(catalogueFor('de'), observed)).toMatchObject({
      message: catalogueFor('de')['approval.state.pending'],
    });
  });

  test('a login is never marked', async () => {
    const s = setup();
    const started = await s.login.start(s.req({ username: 'alice' }));
    expect(started).toMatchObject({ kind: 'pending', message: 'Waiting for approval on your phone…' });
    expect(started).not.toHaveProperty('approval');
    expect(await s.login.cancel(s.req())).not.toHaveProperty('approval');
  });
});

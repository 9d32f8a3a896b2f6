/**
 * Edges of the login core that a mutation run of lib/core/login.ts found unchecked: input an app
 * or a browser may send that is no challenge at all, which request's answer counts when two end
 * one challenge, and what the answers and events of those paths say.
 */
import { PushError } from '../../../lib/errors';
import type { PushVerifyInfo } from '../../../lib/core/verify';
import type { ActionIntent } from '../../../lib/providers/action';
import { decidedElsewhere, setupLogin } from '../../helpers/login-core';
import { PAYMENT } from '../../helpers/intents';

const ALICE = { userId: 'alice' };
const ACTIONS = { shows: 'text', proves: 'provider-yes' };

describe('approve() given no intent at all (an app bug)', () => {
  test("is the user's bad request about the intent, not a crash, and nothing is sent", async () => {
    const s = setupLogin();
    Object.assign(s.provider, { actions: ACTIONS });
    expect(await s.login.approve(s.req(), null as unknown as ActionIntent, ALICE)).toMatchObject({
      kind: 'failed',
      state: 'bad_request',
      code: 'invalid_intent',
      approval: true,
    });
    expect(s.provider.calls.start).toBe(0);
  });
});

describe('a final provider fault a status stream met first', () => {
  test('the status poll that follows ends the challenge at once, not an interval later', async () => {
    const s = setupLogin({}, { pollIntervalMs: 1_000 });
    await s.login.start(s.req({ username: 'alice' }));
    s.time.advance(1_000);
    const malformed = () => new PushError('protocol', 'Malformed.', { code: 'invalid_response' });
    s.provider.checkErrors.push(malformed(), malformed());
    expect(await s.login.observe(s.session)).toEqual({ state: 'invalid' });
    expect(await s.login.poll(s.req())).toMatchObject({
      kind: 'failed',
      state: 'invalid',
      code: 'invalid_response',
    });
  });
});

describe('a login without a typed ID (a QR code any phone may scan)', () => {
  test('names no requested ID to verify or in its result', async () => {
    const seen: PushVerifyInfo[] = [];
    const strategy = setupLogin({ userId: 'optional', subjectRule: 'provider' }, {}, (subject, info) => {
      seen.push(info);
      return { id: subject };
    });
    expect(await strategy.login.start(strategy.req())).toMatchObject({ kind: 'pending' });
    strategy.provider.answer('approved', { subject: 'bob' });
    const result = await strategy.login.poll(strategy.req());
    expect(result).toMatchObject({ kind: 'approved', info: { subject: 'bob' } });
    expect(result).not.toHaveProperty('requestedUserId');
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty('requestedUserId');
  });

  test("a status stream's pending state names no user", async () => {
    const s = setupLogin({ userId: 'optional', subjectRule: 'provider' });
    await s.login.start(s.req());
    const observed = await s.login.observe(s.session);
    expect(observed).toMatchObject({ state: 'pending' });
    expect(observed).not.toHaveProperty('userId');
  });
});

describe('a step-up (a fresh sign-in of the signed-in user, no action shown)', () => {
  const STEP_UP: ActionIntent = { type: 'step-up' };

  async function steppedUp(s: ReturnType<typeof setupLogin>, intent: ActionIntent) {
    expect(await s.login.approve(s.req(), intent, ALICE)).toMatchObject({ kind: 'pending' });
    s.provider.answerRaw({
      state: 'approved',
      subject: 'alice',
      claims: { auth_time: Math.floor(s.time.now() / 1000) },
    });
    return s.login.poll(s.req());
  }

  test('with maxAgeSeconds serves while that fresh, and not after', async () => {
    const fresh: ActionIntent = { type: 'step-up', maxAgeSeconds: 60 };
    const s = setupLogin();
    expect(await steppedUp(s, fresh)).toMatchObject({ kind: 'action_approved' });
    s.time.advance(59_000);
    await expect(s.login.useApproval(s.session, fresh, ALICE)).resolves.toMatchObject({
      intentHash: expect.any(String),
    });
    expect(await steppedUp(s, fresh)).toMatchObject({ kind: 'action_approved' });
    s.time.advance(60_001);
    await expect(s.login.useApproval(s.session, fresh, ALICE)).rejects.toMatchObject({
      code: 'not_approved',
    });
  });

  test("proves a fresh sign-in only, even through a provider whose actions carry the user's signature", async () => {
    const approvals: unknown[] = [];
    const s = setupLogin({}, { approval: { onApproved: (record) => void approvals.push(record) } });
    Object.assign(s.provider, { actions: { shows: 'amount-and-payee', proves: 'user-signature' } });
    expect(await steppedUp(s, STEP_UP)).toMatchObject({
      kind: 'action_approved',
      approval: { proves: 'provider-yes' },
    });
    expect(approvals).toMatchObject([{ proves: 'provider-yes' }]);
  });

  test('with an acr the provider cannot confirm: a configuration error that says so', async () => {
    const s = setupLogin();
    expect(await s.login.approve(s.req(), { type: 'step-up', acr: 'urn:example:high' }, ALICE)).toMatchObject(
      {
        kind: 'error',
        error: {
          kind: 'config',
          code: 'invalid_option',
          message: expect.stringContaining('The provider scripted cannot confirm an acr'),
        },
      },
    );
  });
});

describe('a cancel that comes after the challenge ended', () => {
  test('after the login completed elsewhere: it says the login completed', async () => {
    const s = setupLogin({}, { stores: { completions: decidedElsewhere('approved') } });
    await s.login.start(s.req({ username: 'alice' }));
    expect(await s.login.cancel(s.req())).toEqual({
      kind: 'failed',
      state: 'none',
      message: 'The login completed before it could be cancelled.',
      code: 'already_completed',
    });
  });

  test('when the store cannot tell how it ended: the login, or the approval request, had already ended', async () => {
    const login = setupLogin({}, { stores: { completions: decidedElsewhere() } });
    await login.login.start(login.req({ username: 'alice' }));
    expect(await login.login.cancel(login.req())).toEqual({
      kind: 'failed',
      state: 'none',
      message: 'The login had already ended.',
    });
    const action = setupLogin({}, { stores: { completions: decidedElsewhere() } });
    Object.assign(action.provider, { actions: ACTIONS });
    await action.login.approve(action.req(), PAYMENT, ALICE);
    expect(await action.login.cancel(action.req())).toEqual({
      kind: 'failed',
      state: 'none',
      message: 'The approval request had already ended.',
      approval: true,
    });
  });
});

describe('what the web layer reads of the core', () => {
  test("the deadline of each store call is the strategy's storeTimeoutMs", () => {
    expect(setupLogin({}, { storeTimeoutMs: 1_234 }).login.storeTimeoutMs).toBe(1_234);
  });
});

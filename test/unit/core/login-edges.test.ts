/**
 * Edges of the login core that a mutation run of lib/core/login.ts found unchecked: input an app
 * or a browser may send that is no challenge at all, which request's answer counts when two end
 * one challenge, and what the answers and events of those paths say.
 */
import { PushError } from '../../../lib/errors';
import type { PushVerifyInfo } from '../../../lib/core/verify';
import type { ActionIntent } from '../../../lib/providers/action';
import { setupLogin } from '../../helpers/login-core';

const ALICE = { userId: 'alice' };

describe('approve() given no intent at all (an app bug)', () => {
  test("is the user's bad request about the intent, not a crash, and nothing is sent", async () => {
    const s = setupLogin();
    Object.assign(s.provider, { actions: { shows: 'text', proves: 'provider-yes' } });
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
});

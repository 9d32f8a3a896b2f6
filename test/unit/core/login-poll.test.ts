/**
 * The poll and cancel paths of the login core: the audit event and the announcement to the
 * challenge's waiting requests for every way a challenge ends, what a failed provider call keeps,
 * and when the provider is asked again.
 */
import { PushError } from '../../../lib/errors';
import type { LoginRequest } from '../../../lib/core/login';
import type { NotificationEvent } from '../../../lib/core/notification-bus';
import { defaultMessage } from '../../../lib/core/outcome';
import { decidedElsewhere, setupLogin } from '../../helpers/login-core';

type Login = ReturnType<typeof setupLogin>;
const ip = '203.0.113.9';

/** Starts a challenge for alice and records what its waiting requests hear. */
async function started(login: Login['login'], req: Login['req']) {
  const result = await login.start(req({ username: 'alice' }));
  const heard: NotificationEvent[] = [];
  login.subscribe((result as { challengeId: string }).challengeId, (event) => heard.push(event));
  return heard;
}

describe('an approval', () => {
  test('logs the user in once: an approved event, an announcement, the challenge gone', async () => {
    const { login, provider, req, events } = setupLogin();
    const heard = await started(login, req);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({
      kind: 'approved',
      requestedUserId: 'alice',
      info: { provider: 'scripted', method: 'push', subject: 'alice', claims: {} },
    });
    expect(events.at(-1)).toEqual({
      type: 'approved',
      userId: 'alice',
      subject: 'alice',
      ip,
      provider: 'scripted',
    });
    expect(heard).toEqual([{ type: 'settled', state: 'approved' }]);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
    expect(provider.calls.check).toBe(1);
  });

  test('that verify refuses: a rejected event and no login', async () => {
    const { login, provider, req, events } = setupLogin({}, {}, () => false);
    await started(login, req);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'rejected' });
    expect(events.at(-1)).toEqual({ type: 'rejected', userId: 'alice', ip, provider: 'scripted' });
  });

  test('whose claim another request holds: still pending, the challenge untouched', async () => {
    const completions = { claim: async () => false };
    const { login, provider, req, events, verified } = setupLogin({}, { stores: { completions } });
    const heard = await started(login, req);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(verified).toEqual([]);
    expect(heard).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['start']);
    expect(login.challengeIdOf(req().session)).toBeDefined();
  });
});

describe('a final answer of the provider', () => {
  test.each(['denied', 'expired', 'cancelled', 'suspended', 'invalid'] as const)(
    '%s: announced to the waiting requests, with the address in its event',
    async (state) => {
      const { login, provider, req, events } = setupLogin();
      const heard = await started(login, req);
      provider.answer(state);
      await login.poll(req());
      expect(heard).toEqual([{ type: 'settled', state }]);
      expect(events.at(-1)).toEqual({ type: state, userId: 'alice', ip, provider: 'scripted' });
      expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
    },
  );

  test("the provider's reason and message reach the event and the answer", async () => {
    const { login, provider, req, events } = setupLogin();
    await started(login, req);
    provider.answer('denied', {
      reason: 'user_declined',
      message: { key: 'scripted.no', text: 'Declined.' },
    });
    expect(await login.poll(req())).toEqual({
      kind: 'failed',
      state: 'denied',
      message: 'Declined.',
      providerMessage: { key: 'scripted.no', text: 'Declined.' },
    });
    expect(events.at(-1)).toEqual({
      type: 'denied',
      userId: 'alice',
      reason: 'user_declined',
      ip,
      provider: 'scripted',
    });
  });
});

describe('a provider call that fails', () => {
  test('for good (a malformed answer): the challenge ends invalid, with an event and an announcement', async () => {
    const { login, provider, req, events } = setupLogin();
    const heard = await started(login, req);
    provider.failNext(new PushError('protocol', 'The answer was malformed.', { code: 'invalid_response' }));
    expect(await login.poll(req())).toEqual({
      kind: 'failed',
      state: 'invalid',
      message: 'The answer was malformed.',
      code: 'invalid_response',
    });
    expect(events.at(-1)).toEqual({
      type: 'invalid',
      userId: 'alice',
      reason: 'invalid_response',
      ip,
      provider: 'scripted',
    });
    expect(heard).toEqual([{ type: 'settled', state: 'invalid' }]);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
  });

  test('for now (a timeout): the challenge stays, and the provider is asked again one interval later', async () => {
    const { login, provider, req, time, events } = setupLogin({}, { pollIntervalMs: 2_000 });
    const heard = await started(login, req);
    time.advance(2_000);
    const timeout = new PushError('protocol', 'The provider did not answer.', {
      code: 'timeout',
      retryable: true,
    });
    provider.failNext(timeout);
    expect(await login.poll(req())).toEqual({ kind: 'error', error: timeout });
    expect(heard).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['start']);
    time.advance(1_999);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', retryAfterMs: 1 });
    expect(provider.calls.check).toBe(1);
    time.advance(1);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(2);
  });
});

describe('the pace of checks', () => {
  test("a pending answer's Retry-After moves the next check later", async () => {
    const { login, provider, req, time } = setupLogin({}, { pollIntervalMs: 1_000 });
    await started(login, req);
    time.advance(1_000);
    provider.answer('pending', { retryAfterMs: 5_000 });
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', started: false, retryAfterMs: 5_000 });
    time.advance(4_999);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', retryAfterMs: 1 });
    expect(provider.calls.check).toBe(1);
    time.advance(1);
    await login.poll(req());
    expect(provider.calls.check).toBe(2);
  });

  test('a poll that waits writes nothing and asks nobody', async () => {
    const { login, provider, req, time, session } = setupLogin({}, { pollIntervalMs: 3_000 });
    await started(login, req);
    const before = JSON.stringify(session.data);
    time.advance(1_000);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', started: false, retryAfterMs: 2_000 });
    expect(JSON.stringify(session.data)).toBe(before);
    expect(provider.calls.check).toBe(0);
  });
});

describe('a session that another request destroyed while the provider answered', () => {
  test('is not written back: pending, poll again at once, the approval still there', async () => {
    const { login, provider, req, session, events } = setupLogin();
    await started(login, req);
    provider.answer('approved');
    session.stored = false;
    const before = JSON.stringify(session.data);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', started: false, retryAfterMs: 0 });
    expect(JSON.stringify(session.data)).toBe(before);
    expect(events.map((e) => e.type)).toEqual(['start']);
    session.stored = true;
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });
});

describe('the local deadline', () => {
  test('ends the challenge: expired event and announcement, withdrawn at the provider', async () => {
    const { login, provider, req, time, events } = setupLogin({}, { challengeTimeoutMs: 5_000 });
    const heard = await started(login, req);
    time.advance(5_000);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'expired' });
    await Promise.resolve();
    expect(provider.latest.cancelled).toBe(true);
    expect(heard).toEqual([{ type: 'settled', state: 'expired' }]);
    expect(events.at(-1)).toEqual({ type: 'expired', userId: 'alice', ip, provider: 'scripted' });
  });
});

describe('a session record', () => {
  test('that cannot be read (tampered) is removed and the poll answers invalid', async () => {
    const { login, req, session } = setupLogin();
    await started(login, req);
    session.data['push:scripted'] = { v: 1, garbage: true };
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'invalid' });
    expect(session.data).not.toHaveProperty('push:scripted');
  });
});

describe('cancel', () => {
  test('withdraws the challenge: a cancelled event, an announcement, the provider told', async () => {
    const { login, provider, req, events } = setupLogin();
    const heard = await started(login, req);
    expect(await login.cancel(req())).toEqual({
      kind: 'cancelled',
      state: 'cancelled',
      // The library's words (an app may show them); their wording is outcome.ts's.
      message: defaultMessage.cancelled,
    });
    expect(events.at(-1)).toEqual({ type: 'cancelled', userId: 'alice', ip, provider: 'scripted' });
    expect(heard).toEqual([{ type: 'settled', state: 'cancelled' }]);
    expect(provider.latest.cancelled).toBe(true);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
  });

  test('without a challenge: answered cancelled, no event', async () => {
    const { login, req, events } = setupLogin();
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    expect(events).toEqual([]);
  });

  test('that the provider fails still ends the challenge here', async () => {
    const { login, provider, req } = setupLogin();
    await started(login, req);
    provider.cancel = async () => Promise.reject(new Error('provider down'));
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
  });
});

describe('a store that fails (the session store, the completion store)', () => {
  const down = new Error('session store down');
  // The router turns an error result into a 5xx answer; a throw would escape the core's contract.
  test('at start, poll and cancel: an error result (a retryable store fault with the store error as cause), not a throw', async () => {
    const fault = {
      kind: 'error',
      error: expect.objectContaining({ code: 'store_unavailable', cause: down }),
    };
    const { login, provider, req, session } = setupLogin();
    const regenerate = session.regenerate.bind(session);
    session.regenerate = async () => Promise.reject(down);
    expect(await login.start(req({ username: 'alice' }))).toEqual(fault);
    expect(provider.calls.start).toBe(0);
    session.regenerate = regenerate;
    await started(login, req);
    provider.answer('approved');
    session.stillStored = async () => Promise.reject(down);
    expect(await login.poll(req())).toEqual(fault);
    const { login: other, req: otherReq } = setupLogin(
      {},
      { stores: { completions: { claim: async () => Promise.reject(down) } } },
    );
    await started(other, otherReq);
    expect(await other.cancel(otherReq())).toEqual(fault);
  });
});

describe('an ending another request (or instance) recorded first', () => {
  test.each([
    [
      'the same ending: its own answer, with the provider message',
      'denied',
      { kind: 'failed', state: 'denied', message: 'Declined.' },
    ],
    ['a cancel: cancelled', 'cancelled', { kind: 'cancelled', state: 'cancelled' }],
    ['another failure: that one', 'expired', { kind: 'failed', state: 'expired' }],
    ['a completion: pending, ask again at once', 'approved', { kind: 'pending', retryAfterMs: 0 }],
    [
      'an ending the store cannot name: pending, ask again at once',
      undefined,
      { kind: 'pending', retryAfterMs: 0 },
    ],
  ] as const)('a denial the provider reports after %s', async (_name, ending, answer) => {
    const { login, provider, req, events, session } = setupLogin(
      {},
      { stores: { completions: decidedElsewhere(ending) } },
    );
    const heard = await started(login, req);
    provider.answer('denied', { message: { key: 'scripted.no', text: 'Declined.' } });
    const before = JSON.stringify(session.data);
    expect(await login.poll(req())).toMatchObject(answer);
    // Only the request that decided reports the ending and touches the session.
    expect(events.map((e) => e.type)).toEqual(['start']);
    expect(heard).toEqual([]);
    expect(JSON.stringify(session.data)).toBe(before);
  });

  test('a fault that ends the challenge, after another ending: that ending, no event', async () => {
    const { login, provider, req, events } = setupLogin(
      {},
      { stores: { completions: decidedElsewhere('cancelled') } },
    );
    await started(login, req);
    provider.failNext(new PushError('protocol', 'Malformed.', { code: 'invalid_response' }));
    expect(await login.poll(req())).toMatchObject({ kind: 'cancelled' });
    expect(events.map((e) => e.type)).toEqual(['start']);
  });

  test('the deadline, after another ending: that ending, no event and no withdrawal', async () => {
    const { login, provider, req, time, events } = setupLogin(
      {},
      { stores: { completions: decidedElsewhere('denied') }, challengeTimeoutMs: 5_000 },
    );
    await started(login, req);
    time.advance(5_000);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'denied' });
    expect(events.map((e) => e.type)).toEqual(['start']);
    expect(provider.latest.cancelled).toBe(false);
  });

  test.each([
    [
      'a completion: the login went through',
      'approved',
      {
        kind: 'failed',
        state: 'none',
        message: 'The login completed before it could be cancelled.',
        code: 'already_completed',
      },
    ],
    ['a cancel: cancelled', 'cancelled', { kind: 'cancelled' }],
    ['a denial: denied', 'denied', { kind: 'failed', state: 'denied' }],
    [
      'an ending the store cannot name: it had ended',
      undefined,
      { kind: 'failed', state: 'none', message: 'The login had already ended.' },
    ],
  ] as const)('a cancel that comes after %s', async (_name, ending, answer) => {
    const { login, provider, req, events } = setupLogin(
      {},
      { stores: { completions: decidedElsewhere(ending) } },
    );
    await started(login, req);
    expect(await login.cancel(req())).toMatchObject(answer);
    expect(events.map((e) => e.type)).toEqual(['start']);
    expect(provider.latest.cancelled).toBe(false);
  });
});

describe('two requests of one challenge (each with its own copy of the session)', () => {
  /** What another request loaded from the session store before this one's provider call. */
  const copyOf = (session: Login['session']): LoginRequest['session'] => {
    const data = { ...session.data };
    return { data, id: session.id, regenerate: async () => undefined, stillStored: async () => true };
  };

  test("after a pending answer, the other waits out the provider's pause too", async () => {
    const { login, provider, req, time, session } = setupLogin({}, { pollIntervalMs: 1_000 });
    await started(login, req);
    time.advance(1_000);
    const other = copyOf(session);
    provider.answer('pending', { retryAfterMs: 5_000 });
    await login.poll(req());
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'pending', retryAfterMs: 5_000 });
    expect(provider.calls.check).toBe(1);
  });

  test.each([
    ['a timeout', new PushError('protocol', 'Slow.', { code: 'timeout', retryable: true })],
    [
      'a throw that is no PushError (a bug, a TypeError)',
      new TypeError('Cannot read properties of undefined'),
    ],
  ])('after a failed provider call (%s), the other waits one interval too', async (_name, fault) => {
    const { login, provider, req, time, session } = setupLogin({}, { pollIntervalMs: 1_000 });
    await started(login, req);
    time.advance(1_000);
    const other = copyOf(session);
    provider.failNext(fault);
    expect(await login.poll(req())).toMatchObject({ kind: 'error' });
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'pending', retryAfterMs: 1_000 });
    expect(provider.calls.check).toBe(1);
  });
  test('after a fault ended the challenge, the other answers invalid too, and reports nothing', async () => {
    const { login, provider, req, session, events } = setupLogin();
    await started(login, req);
    const other = copyOf(session);
    const malformed = () => new PushError('protocol', 'Malformed.', { code: 'invalid_response' });
    provider.checkErrors.push(malformed(), malformed());
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'invalid' });
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'failed', state: 'invalid' });
    expect(events.map((e) => e.type)).toEqual(['start', 'invalid']);
  });

  test('after one completed the login, the other answers pending with no wait, and its Cancel comes too late', async () => {
    const { login, provider, req, session, verified } = setupLogin();
    await started(login, req);
    const other = copyOf(session);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(await login.poll({ session: other, ip })).toMatchObject({
      kind: 'pending',
      started: false,
      retryAfterMs: 0,
    });
    expect(verified).toHaveLength(1);
    // And a Cancel from it comes too late: the router answers it as signed in.
    expect(await login.cancel({ session: other, ip })).toMatchObject({
      kind: 'failed',
      code: 'already_completed',
    });
  });

  test('after a fault that ends the challenge, the other learns it at once, not an interval later', async () => {
    const { login, provider, req, time, session } = setupLogin({}, { pollIntervalMs: 1_000 });
    await started(login, req);
    time.advance(1_000);
    const other = copyOf(session);
    const malformed = () => new PushError('protocol', 'Malformed.', { code: 'invalid_response' });
    provider.checkErrors.push(malformed(), malformed());
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'invalid' });
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'failed', state: 'invalid' });
  });

  test('after the deadline ended it in one, the other answers expired too, and reports nothing', async () => {
    const { login, req, session, events, time } = setupLogin({}, { challengeTimeoutMs: 60_000 });
    await started(login, req);
    const other = copyOf(session);
    time.advance(60_000);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'expired' });
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'failed', state: 'expired' });
    expect(events.map((e) => e.type)).toEqual(['start', 'expired']);
  });

  test('after one cancelled, the other answers cancelled when the provider ends it, and reports nothing', async () => {
    const { login, provider, req, session, events } = setupLogin();
    await started(login, req);
    const other = copyOf(session);
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    provider.answer('denied');
    expect(await login.poll({ session: other, ip })).toMatchObject({ kind: 'cancelled', state: 'cancelled' });
    expect(events.map((e) => e.type)).toEqual(['start', 'cancelled']);
  });

  test('after a failed provider call, another instance reading the session waits one interval too', async () => {
    const { login, provider, req, time, session } = setupLogin({}, { pollIntervalMs: 1_000 });
    const elsewhere = setupLogin({}, { provider, pollIntervalMs: 1_000, now: time.now });
    await started(login, req);
    time.advance(1_000);
    provider.failNext(new PushError('protocol', 'Slow.', { code: 'timeout', retryable: true }));
    await login.poll(req());
    expect(await elsewhere.login.poll({ session, ip })).toMatchObject({
      kind: 'pending',
      retryAfterMs: 1_000,
    });
    expect(provider.calls.check).toBe(1);
  });
});

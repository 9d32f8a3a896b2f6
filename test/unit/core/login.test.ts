/**
 * The login core on its own: a fake session, no Express, no passport. Subject rules, optional user
 * IDs, the audit events of every ending, and what pending answers carry.
 */
import { PushError } from '../../../lib/errors';
import { setupLogin as setup } from '../../helpers/login-core';

describe('the subject rule', () => {
  test("'must-match' providers: the typed ID, case-insensitively", async () => {
    const { login, provider, req } = setup({ subjectRule: 'must-match' });
    await login.start(req({ username: 'Alice' }));
    provider.answer('approved', { subject: 'alice' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: 'alice' } });
  });

  test.each([
    ['must-match', 'alice', 'mallory'],
    ['match-if-typed', '199001011234', '198512249874'],
  ] as const)(
    "'%s' providers: another subject than the typed one is refused",
    async (subjectRule, typed, other) => {
      const { login, provider, req, verified, events } = setup({ userId: 'optional', subjectRule });
      await login.start(req({ username: typed }));
      provider.answer('approved', { subject: other });
      expect(await login.poll(req())).toEqual({
        kind: 'failed',
        state: 'invalid',
        message: 'The provider confirmed a different user than the one asked for.',
        code: 'subject_mismatch',
      });
      expect(verified).toHaveLength(0);
      expect(events.at(-1)).toMatchObject({ type: 'invalid', reason: 'subject_mismatch' });
    },
  );

  test("'provider' providers: the provider's subject wins; verify gets the typed ID and claims", async () => {
    const { login, provider, req, verified } = setup({ subjectRule: 'provider' });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved', { subject: 'sub-4711', claims: { email: 'alice@example.com' } });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: 'sub-4711' } });
    expect(verified).toEqual([
      { subject: 'sub-4711', requestedUserId: 'alice', claims: { email: 'alice@example.com' } },
    ]);
  });

  test("'match-if-typed' providers: the typed ID exactly (its canonical form), when one was typed", async () => {
    const { login, provider, req, verified } = setup({ userId: 'optional', subjectRule: 'match-if-typed' });
    await login.start(req({ username: '199001011234' }));
    provider.answer('approved', { subject: '199001011234' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: '199001011234' } });
    expect(verified).toEqual([{ subject: '199001011234', requestedUserId: '199001011234', claims: {} }]);
  });

  test("'match-if-typed' providers: with no typed ID (a QR login) the provider's subject", async () => {
    const { login, provider, req, verified } = setup({ userId: 'optional', subjectRule: 'match-if-typed' });
    await login.start(req({}));
    provider.answer('approved', { subject: '198512249874' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: '198512249874' } });
    expect(verified).toEqual([{ subject: '198512249874', requestedUserId: undefined, claims: {} }]);
  });

  test("'match-if-typed' providers with one spelling: the subject is compared in it; one it cannot spell matches nothing", async () => {
    const { login, provider, req } = setup({ userId: 'optional', subjectRule: 'match-if-typed' });
    const canonicalUserId = (typed: string) => {
      const digits = typed.replace(/-/g, '');
      if (!/^\d{12}$/.test(digits))
        throw new PushError('input', 'Not a personal number.', { code: 'invalid_user_id' });
      return digits;
    };
    Object.assign(provider, { canonicalUserId });
    await login.start(req({ username: '199001011234' }));
    provider.answer('approved', { subject: '19900101-1234' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', info: { subject: '19900101-1234' } });
    await login.start(req({ username: '199001011234' }));
    provider.answer('approved', { subject: 'not a number' });
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
  });

  test("the strategy's subjectMatch overrides the provider's rule", async () => {
    const { login, provider, req } = setup({ subjectRule: 'provider' }, { subjectMatch: 'exact' });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved', { subject: 'sub-4711' });
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
  });
});

describe('a personal ID (sealed in the session)', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';

  test('is opened for the subject rule and verify: the login completes', async () => {
    const { login, provider, req, verified, session } = setup({ personalUserIds: true }, { secret });
    await login.start(req({ username: '199001011234' }));
    expect(JSON.stringify(session.data)).not.toContain('199001011234');
    provider.answer('approved', { subject: '199001011234' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved', requestedUserId: '199001011234' });
    expect(verified).toEqual([{ subject: '199001011234', requestedUserId: '199001011234', claims: {} }]);
  });

  test('sealed under another secret (another instance misconfigured): no login, an invalid event', async () => {
    const here = setup({ personalUserIds: true }, { secret });
    const there = setup(
      { personalUserIds: true },
      { secret: 'another-secret-of-thirty-two-characters!', provider: here.provider },
    );
    await there.login.start(there.req({ username: '199001011234' }));
    await here.login.start(here.req({ username: '199001011234' }));
    // The record the first instance wrote, read by the second (the same session, the same push).
    there.session.data['push:scripted'] = here.session.data['push:scripted'];
    here.provider.answer('approved', { subject: '199001011234' });
    expect(await there.login.poll(there.req())).toEqual({
      kind: 'failed',
      state: 'invalid',
      message: 'The pending login cannot be read here (instances configured with different secrets?).',
      code: 'invalid_response',
    });
    expect(there.verified).toEqual([]);
    expect(there.events.at(-1)).toEqual({
      type: 'invalid',
      reason: 'unreadable_user_id',
      ip: '203.0.113.9',
      provider: 'scripted',
    });
  });
});

describe('the user ID', () => {
  test("'optional' providers start without an ID when the field is empty", async () => {
    const { login, provider, req, verified } = setup({ userId: 'optional', subjectRule: 'provider' });
    const started = await login.start(req({ username: '  ' }));
    expect(started).toMatchObject({ kind: 'pending', started: true });
    expect(started).not.toHaveProperty('userId');
    expect(provider.latest.request).not.toHaveProperty('userId');
    provider.answer('approved', { subject: '199001011234' });
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(verified[0]).toMatchObject({ subject: '199001011234', requestedUserId: undefined });
  });

  test("with no typed ID a 'must-match' rule accepts nobody (fail closed)", async () => {
    const { login, provider, req } = setup({ userId: 'optional', subjectRule: 'must-match' });
    await login.start(req({}));
    provider.answer('approved', { subject: 'alice' });
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
  });

  test("'required' providers refuse a missing ID with missing_user_id, before any provider call", async () => {
    const { login, provider, req } = setup({ userId: 'required' });
    expect(await login.start(req({}))).toMatchObject({
      kind: 'failed',
      state: 'bad_request',
      code: 'missing_user_id',
    });
    expect(provider.calls.start).toBe(0);
  });
});

describe('the session at start', () => {
  test('start regenerates the session and binds the challenge to the new id', async () => {
    const { login, provider, req, session } = setup();
    await login.start(req({ username: 'alice' }));
    expect(session.regenerations).toBe(1);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });
});

describe('audit events of every ending', () => {
  test.each(['denied', 'expired', 'cancelled', 'suspended', 'invalid'] as const)(
    "a provider's %s ends with an event of that type",
    async (state) => {
      const { login, provider, req, events } = setup();
      await login.start(req({ username: 'alice' }));
      provider.answer(state);
      expect(await login.poll(req())).toMatchObject({ kind: 'failed', state });
      expect(events.map((e) => e.type)).toEqual(['start', state]);
    },
  );

  test('a push reported as fraud adds a fraud event', async () => {
    const { login, provider, req, events } = setup();
    await login.start(req({ username: 'alice' }));
    provider.answer('denied', { reason: 'fraud' });
    await login.poll(req());
    expect(events.map((e) => e.type)).toEqual(['start', 'denied', 'fraud']);
    expect(events[1]).toMatchObject({ type: 'denied', reason: 'fraud', userId: 'alice' });
  });

  test('the local deadline ends with an expired event', async () => {
    const { login, req, events, time } = setup({}, { challengeTimeoutMs: 1000 });
    await login.start(req({ username: 'alice' }));
    time.advance(1000);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'expired' });
    expect(events.map((e) => e.type)).toEqual(['start', 'expired']);
  });

  test('personal claims never reach an audit event', async () => {
    const { login, provider, req, events, verified } = setup({ subjectRule: 'provider' });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved', {
      subject: 'alice',
      claims: { personalNumber: '199001011234', name: 'Alice' },
      personalClaims: ['personalNumber'],
    });
    await login.poll(req());
    expect(verified[0]?.claims).toMatchObject({ personalNumber: '199001011234' });
    expect(JSON.stringify(events)).not.toContain('199001011234');
  });
});

describe('pending answers', () => {
  test('currentDisplay is called on every answer, the local one included', async () => {
    const seen: number[] = [];
    const { login, provider, req, time } = setup(
      { currentDisplay: (_h, now) => (seen.push(now), { qr: `qr-${now}` }) },
      { pollIntervalMs: 1000 },
    );
    const started = await login.start(req({ username: 'alice' }));
    expect(started).toMatchObject({ display: { bindingMessage: 'CODE-c1', qr: `qr-${time.now()}` } });
    time.advance(500);
    expect(login.localAnswer(req().session)).toMatchObject({ display: { qr: `qr-${time.now()}` } });
    time.advance(500);
    provider.answer('pending', { message: { key: 'scripted.hint', text: 'Open the app.' } });
    expect(await login.poll(req())).toMatchObject({
      kind: 'pending',
      display: { qr: `qr-${time.now()}` },
      providerMessage: { key: 'scripted.hint', text: 'Open the app.' },
    });
    time.advance(100);
    expect(login.localAnswer(req().session)).toMatchObject({
      providerMessage: { key: 'scripted.hint', text: 'Open the app.' },
    });
    expect(seen).toHaveLength(4);
  });

  test("a pending status's fresh display reaches that answer", async () => {
    const { login, provider, req } = setup();
    await login.start(req({ username: 'alice' }));
    provider.answer('pending', { display: { launchUrl: 'scripted:///?token=1' } });
    expect(await login.poll(req())).toMatchObject({
      kind: 'pending',
      display: { launchUrl: 'scripted:///?token=1' },
    });
  });
  test('a display the provider fails to draw only loses the picture: the login goes on', async () => {
    const { login, provider, req } = setup({
      currentDisplay: () => {
        throw new Error('no QR today');
      },
    });
    const started = await login.start(req({ username: 'alice' }));
    expect(started).toMatchObject({ kind: 'pending', display: { bindingMessage: 'CODE-c1' } });
    expect(started).not.toHaveProperty('display.qr');
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });
});

describe('the boundaries a mutation run found unchecked', () => {
  test('an approval that arrives exactly at the deadline (the provider call took the rest) expires', async () => {
    const { login, provider, req, time, verified } = setup({}, { challengeTimeoutMs: 10_000 });
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    time.advance(9_999); // still inside the deadline when the poll asks the provider ...
    const check = provider.check.bind(provider);
    provider.check = async (handle, signal) => {
      const status = await check(handle, signal);
      time.advance(1); // ... which answers exactly at it
      return status;
    };
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'expired' });
    expect(verified).toHaveLength(0);
  });

  test('the completion claim outlives the deadline by one provider call', async () => {
    const claims: number[] = [];
    const completions = { claim: async (_id: string, keepUntil: number) => (claims.push(keepUntil), true) };
    const { login, provider, req, time } = setup(
      {},
      { challengeTimeoutMs: 10_000, providerTimeoutMs: 4_000, stores: { completions } },
    );
    const startedAt = time.now();
    await login.start(req({ username: 'alice' }));
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(claims).toEqual([startedAt + 10_000 + 4_000]);
  });

  test("a provider's input error on start (an ID it cannot push to) is the user's bad request", async () => {
    const { login, provider, req } = setup();
    provider.failNext(
      new PushError('input', 'The provider does not know this user.', { code: 'unknown_user' }),
    );
    expect(await login.start(req({ username: 'nobody' }))).toMatchObject({
      kind: 'failed',
      state: 'bad_request',
      code: 'unknown_user',
    });
    provider.failNext(new PushError('protocol', 'Bad gateway.', { code: 'http_status' }));
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'error' });
  });
});

describe('what the web layer reads of the core', () => {
  test("its clock is the strategy's (the device cookie and the notify budget keep this time)", () => {
    const { login, time } = setup();
    time.advance(12_345);
    expect(login.now()).toBe(time.now());
  });

  test("its store deadline is the strategy's storeTimeoutMs (the router bounds its session reads with it)", () => {
    const { login } = setup({}, { storeTimeoutMs: 1_234 });
    expect(login.storeTimeoutMs).toBe(1_234);
  });

  test('a session without data or id holds no challenge to subscribe to', async () => {
    const { login, req, session } = setup();
    await login.start(req({ username: 'alice' }));
    expect(login.challengeIdOf(session)).toEqual(expect.any(String));
    expect(login.challengeIdOf({ ...session, data: undefined })).toBeUndefined();
    expect(login.challengeIdOf({ ...session, id: undefined })).toBeUndefined();
  });

  test('a session without data or id has no local answer (the hot path): undefined, never a throw', async () => {
    const { login, req, session } = setup({}, { pollIntervalMs: 2_000 });
    await login.start(req({ username: 'alice' }));
    // Not the request that started it (`started` is true on that one only).
    expect(login.localAnswer(session)).toMatchObject({
      state: 'pending',
      started: false,
      retryAfterMs: 2_000,
    });
    expect(login.localAnswer({ ...session, data: undefined })).toBeUndefined();
    expect(login.localAnswer({ ...session, id: undefined })).toBeUndefined();
  });

  test("a web store's failure reaches the audit hook as a store_error naming what was lost", () => {
    const { login, events } = setup();
    login.storeFailed(
      'display',
      'set',
      'a picture',
      Object.assign(new Error('down'), { code: 'ECONNRESET' }),
    );
    expect(events).toEqual([
      {
        type: 'store_error',
        store: 'display',
        operation: 'set',
        lost: 'a picture',
        cause: 'ECONNRESET',
        provider: 'scripted',
      },
    ]);
  });
});

import request from 'supertest';
import { PushError } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionCookie } from '../../helpers/app';

const json = { Accept: 'application/json' };

function setup(strategy = {}) {
  const provider = new ScriptedProvider();
  const test = buildTestApp({ provider, strategy });
  return { provider, ...test, agent: request.agent(test.app) };
}

describe('JSON login flow', () => {
  test('start, pending, approve on the phone, logged in with the confirmed subject', async () => {
    const { provider, agent, verified } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: '  Alice ' }).expect(202);
    expect(start.body).toMatchObject({
      state: 'pending',
      display: { bindingMessage: 'CODE-c1' },
      pollUrl: '/auth/push/status',
      cancelUrl: '/auth/push/cancel',
    });
    expect(start.body.expiresAt).toBeGreaterThan(Date.now());
    expect(provider.latest.request.userId).toBe('Alice');

    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(202, /"state":"pending"/);
    provider.answer('approved');
    const done = await agent.get('/auth/push/status').set(json).expect(200);
    expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
    expect(verified).toHaveLength(1);
    expect(verified[0]).toMatchObject({
      subject: 'Alice',
      info: { provider: 'scripted', requestedUserId: 'Alice' },
    });
    await agent.get('/me').expect(200, { user: { id: 'Alice', claims: {} } });
  });

  test('a tab that polls after another tab completed the login follows to the app', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
    // The challenge is gone; passport.session() says the session is signed in.
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
  });

  test('the session id changes at login and the pre-login session is gone', async () => {
    const { provider, app, agent } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    const before = sessionCookie(start.headers['set-cookie']);
    provider.answer('approved');
    const done = await agent.get('/auth/push/status').set(json).expect(200);
    const after = sessionCookie(done.headers['set-cookie']);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The old cookie is dead: no user, no challenge.
    await request(app)
      .get('/me')
      .set('Cookie', before as string)
      .expect(401);
    await request(app)
      .get('/auth/push/status')
      .set(json)
      .set('Cookie', before as string)
      .expect(404);
  });

  test('denied on the phone: 401 with the state, and the challenge is gone', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('denied');
    const denied = await agent.get('/auth/push/status').set(json).expect(401);
    expect(denied.body).toMatchObject({ state: 'denied', message: expect.stringMatching(/denied/) });
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(404, { state: 'none', message: 'No login is waiting for approval.' });
    await agent.get('/me').expect(401);
  });

  test.each(['expired', 'suspended', 'invalid', 'cancelled'] as const)(
    'provider reports %s: 401 with that state',
    async (state) => {
      const { provider, agent } = setup();
      await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
      provider.answer(state);
      const answer = await agent.get('/auth/push/status').set(json).expect(401);
      expect(answer.body.state).toBe(state);
    },
  );

  test('"fetched" is still pending and says so', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('fetched');
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body.state).toBe('fetched');
  });

  test('cancel withdraws the challenge at the provider and clears it', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    await agent.post('/auth/push/cancel').set(json).expect(200, { state: 'cancelled' });
    expect(provider.calls.cancel).toBe(1);
    expect(provider.latest.cancelled).toBe(true);
    await agent.get('/auth/push/status').set(json).expect(404);
  });

  test('poll without a challenge: 404 none, provider never asked', async () => {
    const { provider, agent } = setup();
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(404, { state: 'none', message: 'No login is waiting for approval.' });
    expect(provider.calls.check).toBe(0);
  });

  test('a retryable provider fault keeps the challenge: 503 + Retry-After, then approval still works', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.checkErrors.push(
      new PushError('protocol', 'Could not reach the provider.', { retryable: true, code: 'connect' }),
    );
    const fault = await agent.get('/auth/push/status').set(json).expect(503);
    expect(fault.body).toMatchObject({ error: 'connect', retryable: true });
    expect(fault.headers['retry-after']).toBe('2');
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
  });

  test('a malformed provider answer (non-retryable protocol error) ends the challenge, never logs in', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.checkErrors.push(new PushError('protocol', 'Unknown state code 9.'));
    const answer = await agent.get('/auth/push/status').set(json).expect(401);
    expect(answer.body).toMatchObject({
      state: 'invalid',
      message: 'The login request is not valid any more.',
      detail: 'Unknown state code 9.',
    });
    await agent.get('/me').expect(401);
  });

  test('an approval that names no subject is refused', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answerRaw({ state: 'approved' });
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(401, /"state":"invalid"/);
    await agent.get('/me').expect(401);
  });

  test('an approval for another user than asked is refused by default', async () => {
    const { provider, agent, verified } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.latest.status = { state: 'approved', subject: 'mallory' };
    const answer = await agent.get('/auth/push/status').set(json).expect(401);
    expect(answer.body.detail).toMatch(/different user/);
    expect(answer.body.message).toBe('The phone approved for another user than this login was started for.');
    expect(verified).toHaveLength(0);
  });

  test('subjectMatch: false accepts the subject the provider confirmed', async () => {
    const { provider, agent, verified } = setup({ subjectMatch: false });
    await agent.post('/auth/push/start').set(json).send({ username: 'alice@example.com' });
    provider.latest.status = { state: 'approved', subject: 'sub-123' };
    await agent.get('/auth/push/status').set(json).expect(200);
    expect(verified[0]?.subject).toBe('sub-123');
  });

  test('a new start replaces the pending challenge and withdraws the old one at the provider', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    const first = provider.latest;
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    expect(first.cancelled).toBe(true);
    expect(provider.challenges).toHaveLength(2);
  });

  test("a provider error at start (not the user's fault) is a clear JSON error", async () => {
    const { provider, agent } = setup();
    provider.startErrors.push(
      new PushError('provider', 'A SecSign ID does not exist with that name.', {
        code: 'unknown_user',
        details: { providerCode: '20000' },
      }),
    );
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'nobody' }).expect(400);
    expect(answer.body).toEqual({
      error: 'unknown_user',
      message: 'That ID is not known. Check it and try again.',
      detail: 'A SecSign ID does not exist with that name.',
      retryable: false,
    });
  });
});

describe('verify callback', () => {
  test('returning false refuses the login with its message', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      verify: (_s, _i, done) => done(null, false, { message: 'Unknown here.' }),
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('approved');
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(401, { state: 'rejected', message: 'Unknown here.' });
    await agent.get('/me').expect(401);
  });

  test('an async verify returning false refuses the login', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, verify: async () => false });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('approved');
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(401, /"state":"rejected"/);
  });

  test('a verify that throws reaches the app error handler; nobody is logged in', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      verify: async () => {
        throw new Error('database down');
      },
    });
    app.use(
      (
        error: Error,
        _req: unknown,
        res: { status(n: number): { json(b: unknown): void } },
        _next: unknown,
      ) => {
        res.status(500).json({ appError: error.message });
      },
    );
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(500, { appError: 'database down' });
    await agent.get('/me').expect(401);
  });

  test('node-style verify with done(user) logs in', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      verify: (subject, _info, done) => done(null, { id: `user:${subject}` }),
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.get('/me').expect(200, { user: { id: 'user:alice' } });
  });
});

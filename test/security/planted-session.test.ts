/**
 * Session fixation at start: an attacker plants their own session cookie in the victim's browser,
 * the victim starts a login with it, and the attacker polls with the same cookie while the victim
 * approves. The challenge must live in a session only the victim's browser knows.
 */
import request from 'supertest';
import { ScriptedProvider } from '../../lib/testing';
import { buildTestApp, sessionCookie } from '../helpers/app';

const json = { Accept: 'application/json' };

test('a planted session cookie never receives the logged-in session', async () => {
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider });

  // The attacker gets a session of their own (any session will do: here, a started login).
  const own = await request(app).post('/auth/push/start').set(json).send({ username: 'mallory' });
  const planted = sessionCookie(own.headers['set-cookie']);
  expect(planted).toBeDefined();

  // The victim's browser carries the planted cookie when it starts the login.
  const victimStart = await request(app)
    .post('/auth/push/start')
    .set(json)
    .set('Cookie', planted ?? '')
    .send({ username: 'alice' })
    .expect(202);
  const victimCookie = sessionCookie(victimStart.headers['set-cookie']);
  expect(victimCookie).toBeDefined();
  expect(victimCookie).not.toBe(planted);

  // The victim approves on the phone; the attacker polls first with the planted cookie.
  provider.answer('approved');
  const attackerPoll = await request(app)
    .get('/auth/push/status')
    .set(json)
    .set('Cookie', planted ?? '');
  expect(attackerPoll.body.state).not.toBe('authenticated');
  await request(app)
    .get('/me')
    .set('Cookie', planted ?? '')
    .expect(401);

  // The victim's own browser completes the login.
  await request(app)
    .get('/auth/push/status')
    .set(json)
    .set('Cookie', victimCookie ?? '')
    .expect(200, /"state":"authenticated"/);
});

test("starting keeps the app's own session data (like passport's keepSessionInfo)", async () => {
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider });
  app.post('/remember', (req, res) => {
    (req.session as unknown as Record<string, unknown>).returnTo = '/after';
    res.sendStatus(204);
  });
  app.get('/remembered', (req, res) => {
    res.json({ returnTo: (req.session as unknown as Record<string, unknown>).returnTo ?? null });
  });
  const agent = request.agent(app);
  await agent.post('/remember').expect(204);
  await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  await agent.get('/remembered').expect(200, { returnTo: '/after' });
});

test('with keepSessionInfo: false, starting drops the previous session data', async () => {
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider, strategy: { keepSessionInfo: false } });
  app.post('/remember', (req, res) => {
    (req.session as unknown as Record<string, unknown>).returnTo = '/after';
    res.sendStatus(204);
  });
  app.get('/remembered', (req, res) => {
    res.json({ returnTo: (req.session as unknown as Record<string, unknown>).returnTo ?? null });
  });
  const agent = request.agent(app);
  await agent.post('/remember').expect(204);
  await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  await agent.get('/remembered').expect(200, { returnTo: null });
});

/**
 * pushLogin()'s options as an app meets them: where the browser goes when none are given, the
 * body limits of the login form and of provider notifications, and the device cookie's name,
 * lifetime and effect on the next start.
 */
import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const json = { Accept: 'application/json' };

describe('without successRedirect and failureRedirect', () => {
  const withDefaults = () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      router: { successRedirect: undefined, failureRedirect: undefined },
    });
    return { provider, agent: request.agent(app) };
  };

  test("a completed login goes to '/', in HTML and in JSON", async () => {
    const { provider, agent } = withDefaults();
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    provider.answer('approved');
    const page = await agent.get('/auth/push/wait').expect(303);
    expect(page.headers.location).toBe('/');
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const answer = await agent.get('/auth/push/status').set(json).expect(200);
    expect(answer.body).toEqual({ state: 'authenticated', redirect: '/' });
  });

  test("a failed login goes to '/login' with the reason", async () => {
    const { provider, agent } = withDefaults();
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    provider.answer('denied');
    const page = await agent.get('/auth/push/wait').expect(303);
    expect(page.headers.location).toBe('/login?push=denied');
  });
});

describe('body limits', () => {
  const start = (agent: ReturnType<typeof request.agent>, size: number) =>
    agent
      .post('/auth/push/start')
      .set(json)
      .send({ username: 'alice', padding: 'x'.repeat(size) });

  test('a login form body over 8 kB is refused 413 by default; bodyLimit sets another limit', async () => {
    const byDefault = request.agent(buildTestApp({ provider: new ScriptedProvider() }).app);
    await start(byDefault, 7_000).expect(202);
    await start(byDefault, 9_000).expect(413);
    const larger = request.agent(
      buildTestApp({ provider: new ScriptedProvider(), router: { bodyLimit: '16kb' } }).app,
    );
    await start(larger, 9_000).expect(202);
  });

  test('a notification over 4 kB is refused 413 by default; notifyBodyLimit sets another limit', async () => {
    const notify = (app: Parameters<typeof request>[0], size: number) =>
      request(app)
        .post('/auth/push/notify')
        .set({ authorization: 'Bearer s3cret', 'content-type': 'application/json' })
        .send(JSON.stringify({ key: 'k', padding: 'x'.repeat(size) }));
    const provider = () => new ScriptedProvider({ notificationSecret: 's3cret' });
    const byDefault = buildTestApp({ provider: provider() }).app;
    await notify(byDefault, 3_000).expect(204);
    await notify(byDefault, 5_000).expect(413);
    const larger = buildTestApp({ provider: provider(), router: { notifyBodyLimit: '8kb' } }).app;
    await notify(larger, 5_000).expect(204);
  });
});

describe('the device cookie', () => {
  const deviceSecret = 'a-device-secret-of-at-least-32-characters';

  /** A browser that completed a login for alice (so its device cookie trusts her), and the app. */
  async function trustedBrowser(router: Record<string, unknown>, strategy: Record<string, unknown> = {}) {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy, router: { deviceSecret, ...router } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const login = await agent.get('/auth/push/status').set(json).expect(200);
    return { app, agent, setCookie: [login.headers['set-cookie'] ?? []].flat() };
  }

  test('deviceCookieName and deviceTrustMs name the cookie and set its lifetime', async () => {
    const { setCookie } = await trustedBrowser({ deviceCookieName: 'our-device', deviceTrustMs: 3_600_000 });
    const cookie = setCookie.find((value) => value.startsWith('our-device='));
    expect(cookie).toMatch(/Max-Age=3600(;|$)/);
    expect(setCookie.some((value) => value.startsWith('push-device='))).toBe(false);
  });

  test('a start from the browser where the ID logged in skips the per-ID limit; another browser is held', async () => {
    const perIdCeiling = {
      sessionCooldownMs: 0,
      userCooldownMs: 0,
      perIp: false,
      perUser: false,
      perUserCeiling: { max: 1, windowMs: 60_000 },
    };
    const { app, agent } = await trustedBrowser({}, { limiter: perIdCeiling });
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const stranger = await request(app).post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(stranger.status).toBe(429);
  });
});

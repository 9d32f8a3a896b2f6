/**
 * Provider notifications (CIBA ping, webhooks) are hints, never approvals: a forged one logs no one
 * in and, when the provider refuses it, costs no provider call; a flood costs at most the checks
 * the provider permits; an unknown key is ignored. The notification route needs no session and
 * creates none.
 */
import request from 'supertest';
import { ScriptedProvider } from '../../lib/testing';
import { sessionCookie, sessionIds, startedLogin } from '../helpers/app';
import { manualClock } from '../helpers/clock';

const json = { Accept: 'application/json' };
const SECRET = 'provider-notification-secret';
const FLOOR_MS = 1000;

function notifyingProvider() {
  return new ScriptedProvider({ notificationSecret: SECRET, minCheckIntervalMs: FLOOR_MS });
}

/** A login whose regular checks are a minute apart: only a notification can cause one sooner. */
async function slowPolledLogin(router: Record<string, unknown> = {}) {
  const clock = manualClock();
  const login = await startedLogin({
    provider: notifyingProvider(),
    strategy: { pollIntervalMs: 60_000, now: clock.now },
    router,
  });
  expect(login.start.status).toBe(202);
  // The start was a provider call too: the floor runs from it.
  clock.advance(FLOOR_MS);
  return { ...login, clock };
}

/** Resolves once `condition` holds; polls the event loop, never a fixed sleep. */
async function until(condition: () => boolean, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error('condition never held');
}

describe('forged notifications', () => {
  test('a notification with a wrong or missing secret is refused 401 and costs no provider call', async () => {
    const { agent, provider } = await slowPolledLogin();
    provider.answer('approved');
    const { body } = provider.notification();
    for (const authorization of ['Bearer wrong', '', `Bearer ${SECRET}x`]) {
      const call = agent.post('/auth/push/notify').set('Content-Type', 'application/json');
      if (authorization) call.set('Authorization', authorization);
      const answer = await call.send(body);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'unauthorized' });
    }
    expect(provider.calls.check).toBe(0);
    // The browser's next poll is answered locally: nothing made a check due.
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(0);
    await agent.get('/me').expect(401);
  });

  test('an authentic notification is only a hint: while the provider says pending, no one is logged in', async () => {
    const { agent, provider } = await slowPolledLogin();
    const { headers, body } = provider.notification();
    await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body.state).toBe('pending');
    expect(provider.calls.check).toBe(1); // the hint made the check due now; the provider decided
    await agent.get('/me').expect(401);
  });

  test('a notification for an unknown key is answered as a known one (204), without a provider call', async () => {
    const { agent, provider } = await slowPolledLogin();
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    await agent.post('/auth/push/notify').set(headers).send({ key: 'never-issued' }).expect(204);
    expect(provider.calls.check).toBe(0);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(0);
  });

  test('malformed and oversized notifications are refused without a provider call', async () => {
    const { agent, provider } = await slowPolledLogin();
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    await agent.post('/auth/push/notify').set(headers).send('{not json').expect(400);
    await agent.post('/auth/push/notify').set(headers).send({ key: 42 }).expect(400);
    const tooLarge = await agent
      .post('/auth/push/notify')
      .set(headers)
      .send({ key: 'k'.repeat(5000) })
      .expect(413)
      .expect('Content-Type', /application\/json/);
    // The route's own JSON answer, never the framework's error page (which may carry a stack trace).
    expect(tooLarge.body).toMatchObject({ error: 'body_too_large' });
    expect(tooLarge.text).not.toMatch(/node_modules|Error:/);
    expect(provider.calls.check).toBe(0);
  });

  test('the notification route neither needs nor creates a session, and skips the browser CSRF check', async () => {
    const { app, store, provider } = await slowPolledLogin();
    const before = await sessionIds(store);
    const { headers, body } = provider.notification();
    const answer = await request(app)
      .post('/auth/push/notify')
      .set(headers)
      .set('Origin', 'https://op.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .send(body)
      .expect(204);
    expect(sessionCookie(answer.headers['set-cookie'])).toBeUndefined();
    expect(await sessionIds(store)).toEqual(before);
  });

  test('a notification after the challenge ended finds nothing: no provider call', async () => {
    const { agent, provider, clock } = await slowPolledLogin();
    const { headers, body } = provider.notification();
    provider.answer('approved');
    clock.advance(60_000);
    await agent.get('/auth/push/status').set(json).expect(200);
    const checks = provider.calls.check;
    await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    expect(provider.calls.check).toBe(checks);
  });

  test('one address past its budget is refused 429 before the provider reads anything', async () => {
    const { agent, provider } = await slowPolledLogin({ notifyPerIpPerMinute: 3 });
    const { body } = provider.notification();
    const forged = { authorization: 'Bearer forged', 'content-type': 'application/json' };
    for (let i = 0; i < 3; i++) await agent.post('/auth/push/notify').set(forged).send(body).expect(401);
    const refused = await agent.post('/auth/push/notify').set(forged).send(body).expect(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(provider.calls.readNotification).toBe(3);
  });

  test("the provider's own notifications never use up its address's budget: a surge of pings is not refused", async () => {
    // A provider pings every login it approves from the same few addresses: at a morning surge that
    // is thousands a minute, some of them late, for logins a check already ended. A key that is the
    // provider's secret never counts (a guessed one finds nothing); refusals do.
    const { agent, provider } = await slowPolledLogin({ notifyPerIpPerMinute: 3 });
    const { headers, body } = provider.notification();
    for (let i = 0; i < 10; i++) await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    const late = JSON.stringify({ key: 'a-login-that-already-ended' });
    for (let i = 0; i < 10; i++) await agent.post('/auth/push/notify').set(headers).send(late).expect(204);
    expect(provider.calls.readNotification).toBe(20);
    // Refused reads and bodies count, and past the budget the address is refused.
    await agent.post('/auth/push/notify').set(headers).send('{not json').expect(400);
    await agent.post('/auth/push/notify').set('Authorization', 'Bearer wrong').send(body).expect(401);
    await agent
      .post('/auth/push/notify')
      .set(headers)
      .send({ key: 'k'.repeat(5000) })
      .expect(413);
    await agent.post('/auth/push/notify').set(headers).send(body).expect(429);
    expect(provider.calls.readNotification).toBe(22);
  });
});

describe('a flood of notifications', () => {
  test('1,000 notifications for one challenge cost at most one check per provider floor', async () => {
    const { strategy, agent, provider, clock } = await slowPolledLogin();
    const { headers, body } = provider.notification();
    const flood = async () => {
      for (let i = 0; i < 1000; i++) {
        const result = await strategy.login.notify({ headers, body: Buffer.from(body) });
        expect(result.kind).toBe('accepted');
      }
    };
    await flood();
    for (let i = 0; i < 3; i++) await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);

    // The same clock: another flood asks for nothing the floor does not allow.
    await flood();
    for (let i = 0; i < 3; i++) await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(1);

    // One floor later, one more check is permitted, and only one.
    clock.advance(FLOOR_MS);
    await flood();
    for (let i = 0; i < 3; i++) await agent.get('/auth/push/status').set(json).expect(202);
    expect(provider.calls.check).toBe(2);
  });

  // 1,000 notifications over HTTP: on a busy two-core machine that takes longer than the default
  // timeout, so the hold (real time) and the test get room; nothing here asserts time.
  test('a held long poll woken by a flood over HTTP checks within the floor, and completes on the approval', async () => {
    const { agent, provider, clock } = await slowPolledLogin({
      longPollMs: 300_000,
      notifyPerIpPerMinute: 5000,
    });
    const { headers, body } = provider.notification();
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((answer) => answer);
    await until(() => provider.calls.readNotification === 0 && provider.calls.start === 1);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          agent.post('/auth/push/notify').set(headers).send(body).expect(204),
        ),
      );
    }
    await until(() => provider.calls.check >= 1);
    expect(provider.calls.check).toBe(1);

    // The phone approves; the notification for it comes within the floor: no check yet…
    provider.answer('approved');
    await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    expect(provider.calls.check).toBe(1);
    // …and one floor later it is checked once, and the held request answers the login.
    clock.advance(FLOOR_MS);
    await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('authenticated');
    expect(provider.calls.check).toBe(2);
  }, 120_000);
});

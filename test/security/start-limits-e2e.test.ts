/**
 * Start limits end to end through `pushLogin()` (issue 22): one person's BankID personal number in
 * any spelling is one ID (another spelling cannot make BankID cancel a pending order inside the
 * cooldown), a typo or a Cancel does not make the user wait, and one IPv6 /64 rotating addresses
 * through the router is one client. Default limiter; clocks moved by hand.
 */
import request from 'supertest';
import { createStartLimiter, PushError, type PushEvent } from '../../lib';
import { catalogueFor, failureText } from '../../lib/messages';
import { BankIdProvider } from '../../lib/providers/bankid';
import { ScriptedProvider } from '../../lib/testing';
import { BankIdSimulator } from '../../lib/testing/bankid-simulator';
import { buildTestApp } from '../helpers/app';
import { manualClock, type ManualClock } from '../helpers/clock';
import { JSON_ACCEPT } from './browser';

let clock: ManualClock;

describe('BankID: every spelling of a personal number is one ID', () => {
  let sim: BankIdSimulator;
  let provider: BankIdProvider;
  beforeEach(async () => {
    clock = manualClock();
    sim = await BankIdSimulator.start({ now: clock.now });
    provider = new BankIdProvider({ ...sim.providerOptions(), now: clock.now });
  });
  afterEach(async () => {
    provider.close();
    await sim.close();
  });

  test("another spelling inside the cooldown is refused before BankID, so the victim's order stays pending", async () => {
    const events: PushEvent[] = [];
    const { app } = buildTestApp({
      provider,
      strategy: { now: clock.now, limiter: createStartLimiter(), onEvent: (e) => events.push(e) },
    });
    const victim = await request
      .agent(app)
      .post('/auth/push/start')
      .set(JSON_ACCEPT)
      .send({ username: '19851224-9874' });
    expect(victim.status).toBe(202);
    for (const spelling of ['198512249874', ' 19851224-9874 ', '198512249874 ']) {
      const attacker = await request
        .agent(app)
        .post('/auth/push/start')
        .set(JSON_ACCEPT)
        .send({ username: spelling });
      expect(attacker.status).toBe(429);
    }
    expect(sim.orderList()).toEqual([
      expect.objectContaining({ status: 'pending', personalNumber: '198512249874' }),
    ]);
    // Every event names the one ID, by one pseudonym: the spellings did not make three IDs.
    const named = new Set(events.map((e) => e.userId));
    expect(named.size).toBe(1);
    expect([...named][0]).toMatch(/^personal:/);
    // Each refusal names its rule and the client network counted, never the number.
    const refused = events.filter((e) => e.type === 'refused');
    expect(refused).toHaveLength(3);
    for (const event of refused) {
      expect(event).toMatchObject({ rule: 'userCooldown', client: expect.any(String) });
      expect(JSON.stringify(event)).not.toContain('9874');
    }
  });

  test('after the cooldown, a start that makes BankID cancel a pending order keeps the cooldown: no rapid repeat', async () => {
    const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter: createStartLimiter() } });
    const startAs = (username: string) =>
      request.agent(app).post('/auth/push/start').set(JSON_ACCEPT).send({ username });
    expect((await startAs('198512249874')).status).toBe(202);
    clock.advance(6_000);
    const collided = await startAs('19851224-9874');
    expect(collided.body).toMatchObject({ error: 'already_in_progress' }); // BankID cancelled both
    expect((await startAs('198512249874')).status).toBe(429);
    expect(sim.orderList()).toHaveLength(1);
  });
});

describe('kind to honest mistakes', () => {
  test('a typo the provider refuses, then the right ID at once: the push goes out', async () => {
    clock = manualClock();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter: createStartLimiter() } });
    const browser = request.agent(app);
    provider.failNext(new PushError('provider', 'This SecSign ID does not exist.', { code: 'unknown_user' }));
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alcie' })).status).toBe(
      400,
    );
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' })).status).toBe(
      202,
    );
    expect(provider.calls.start).toBe(2);
  });

  test('Cancel on the wait page, then sign in again at once: the push goes out', async () => {
    clock = manualClock();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter: createStartLimiter() } });
    const browser = request.agent(app);
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' })).status).toBe(
      202,
    );
    expect((await browser.post('/auth/push/cancel').set(JSON_ACCEPT).send({})).status).toBeLessThan(400);
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' })).status).toBe(
      202,
    );
    expect(provider.calls.start).toBe(2);
  });

  test('start, then start again at once (went back and resubmitted): the new push goes out, the sent one still counts', async () => {
    clock = manualClock();
    const provider = new ScriptedProvider();
    const limiter = createStartLimiter({ perUserCeiling: { max: 2, windowMs: 15 * 60_000 } });
    const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter } });
    const browser = request.agent(app);
    const startAs = (agent: ReturnType<typeof request.agent>, username: string) =>
      agent.post('/auth/push/start').set(JSON_ACCEPT).send({ username });
    expect((await startAs(browser, 'alice')).status).toBe(202);
    // Another browser does not supersede alice's pending login: the ID's cooldown holds for it.
    expect((await startAs(request.agent(app), 'alice')).status).toBe(429);
    // The same browser replaces its own pending login: neither cooldown makes it wait.
    expect((await startAs(browser, 'alice')).status).toBe(202);
    expect(provider.calls.start).toBe(2);
    // Both pushes reached the phone, so both count towards the per-ID window (ceiling 2 here).
    const third = await startAs(browser, 'alice');
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ error: 'rate_limited' });
    expect(provider.calls.start).toBe(2);
  });

  test('when a limit applies, the HTML form gets the typed ID back and says how long to wait, in its language', async () => {
    clock = manualClock();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      strategy: { now: clock.now, limiter: createStartLimiter() },
      router: { failureRedirect: '/login', retryWithUserId: true },
    });
    const html = { Accept: 'text/html' };
    await request
      .agent(app)
      .post('/auth/push/start')
      .set(JSON_ACCEPT)
      .send({ username: 'alice' })
      .expect(202);
    const refused = await request(app)
      .post('/auth/push/start')
      .set(html)
      .type('form')
      .send({ username: 'Alice' });
    expect(refused.status).toBe(303);
    const location = new URL(String(refused.headers['location']), 'http://app.test');
    expect(location.pathname).toBe('/login');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      push: 'rate_limited',
      retryAfter: '5',
      id: 'Alice',
    });
    const seconds = { retryAfterSeconds: Number(location.searchParams.get('retryAfter')) };
    expect(failureText(catalogueFor('de'), 'rate_limited', seconds)).toBe(
      'Zu viele Anmeldeanfragen. Versuchen Sie es in 5 Sekunden erneut.',
    );
    expect(failureText(catalogueFor('sv'), 'rate_limited', seconds)).toMatch(/om 5 sekunder/);
  });

  test('a transport fault may have sent the push: the cooldown holds', async () => {
    clock = manualClock();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter: createStartLimiter() } });
    const browser = request.agent(app);
    provider.failNext(new PushError('protocol', 'timed out', { code: 'timeout', retryable: true }));
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' })).status).toBe(
      503,
    );
    expect((await browser.post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' })).status).toBe(
      429,
    );
  });
});

// 300 starts through the whole stack: on a busy two-core machine that takes longer than the default.
test('through the router: one session rotating addresses in one /64, then fresh clients start normally', async () => {
  clock = manualClock();
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider, strategy: { now: clock.now, limiter: createStartLimiter() } });
  app.set('trust proxy', true);
  const attacker = request.agent(app);
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const answer = await attacker
      .post('/auth/push/start')
      .set(JSON_ACCEPT)
      .set('X-Forwarded-For', `2001:db8:7:1::${(i + 1).toString(16)}`)
      .send({ username: `u${i}` });
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (i % 10 === 9) clock.advance(1_000);
  }
  expect(provider.calls.start).toBe(statuses.get(202));
  // Each start replaces the session's pending login, which frees the session cooldown as Cancel
  // does: what bounds one session is its prefix's perIp window (50 per 15 minutes).
  expect(statuses.get(202)).toBe(50);
  for (const [n, ip] of ['192.0.2.30', '2001:db8:8::1', '::ffff:198.51.100.3'].entries()) {
    const fresh = await request(app)
      .post('/auth/push/start')
      .set(JSON_ACCEPT)
      .set('X-Forwarded-For', ip)
      .send({ username: `fresh${n}` });
    expect(fresh.status).toBe(202);
  }
}, 120_000);

/**
 * Push bombing (MFA fatigue): with the default limits, a start over a limit answers 429 with
 * Retry-After and never reaches the provider, whichever session or ID the attacker uses. Counted
 * on the simulator's own request counters.
 */
import request from 'supertest';
import { createStartLimiter, type PushEvent } from '../../lib';
import { appFor, JSON_ACCEPT, start } from './browser';
import { TARGETS, type Target } from './harness';

describe.each(TARGETS)('%s', (_name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  /** A fresh app with the default limiter (the test app turns limits off unless asked). */
  function limited() {
    const events: PushEvent[] = [];
    const app = appFor(target, {
      strategy: { limiter: createStartLimiter(), onEvent: (e) => events.push(e) },
    });
    return { ...app, events };
  }

  const startAs = (agent: ReturnType<typeof request.agent>, username: string) =>
    agent.post('/auth/push/start').set(JSON_ACCEPT).send({ username });

  test('a second start from one session replaces its pending login; another browser inside the cooldown: 429, Retry-After, provider not reached', async () => {
    const { agent, events } = limited();
    const browser = agent();
    await start(browser, 'alice');
    // The user went back and resubmitted: the pending login is withdrawn and frees its cooldowns.
    await start(browser, 'alice');
    const before = target.requests();
    const refused = await startAs(agent(), 'alice');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'rate_limited', message: expect.any(String) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(target.requests()).toBe(before);
    expect(events.filter((e) => e.type === 'refused')).toEqual([
      expect.objectContaining({ userId: 'alice', ip: expect.any(String), provider: target.provider.name }),
    ]);
    target.due(); // past the 5 s cooldown
    expect((await startAs(browser, 'alice')).status).toBe(202);
  });

  test('per user ID across sessions: another browser cannot push to the same ID inside the cooldown', async () => {
    const { agent } = limited();
    await start(agent(), 'bob');
    const starts = target.starts();
    const requests = target.requests();
    expect((await startAs(agent(), 'bob')).status).toBe(429);
    expect((await startAs(agent(), 'BOB')).status).toBe(429);
    expect(target.requests()).toBe(requests);
    expect((await startAs(agent(), 'carol')).status).toBe(202);
    expect(target.starts()).toBe(starts + 1);
  });

  test('per user ID per window: the 11th push in 15 minutes is refused, from fresh sessions each time', async () => {
    const { agent } = limited();
    for (let i = 0; i < 10; i++) {
      expect((await startAs(agent(), 'carol')).status).toBe(202);
      target.due();
    }
    const starts = target.starts();
    const refused = await startAs(agent(), 'carol');
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/Too many login requests for this ID/);
    expect(refused.body.message).toMatch(/^Too many login requests\. Try again in \d+ seconds\.$/);
    expect(target.starts()).toBe(starts);
  });

  // 51 starts over HTTP: a busy machine took 15 s of the default 20 (not what the test asserts).
  test('per client IP: the 51st start in 15 minutes is refused, whatever the ID', async () => {
    const { app } = limited();
    // Unknown IDs, each from a new session: the provider refuses them, but each counts.
    for (let i = 0; i < 50; i++) {
      const answer = await request(app)
        .post('/auth/push/start')
        .set(JSON_ACCEPT)
        .send({ username: `u${i}x` });
      expect(answer.status).not.toBe(429);
    }
    const requests = target.requests();
    const refused = await request(app).post('/auth/push/start').set(JSON_ACCEPT).send({ username: 'alice' });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/from your network/);
    expect(refused.body.message).toMatch(/^Too many login requests\. Try again in \d+ seconds\.$/);
    expect(target.requests()).toBe(requests);
  }, 60_000);
});

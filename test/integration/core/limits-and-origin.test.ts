import request from 'supertest';
import { createStartLimiter, type PushEvent } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';
import { manualClock as clock } from '../../helpers/clock';

const json = { Accept: 'application/json' };

describe('push-bombing limits', () => {
  test('a second start for one ID inside the cooldown is refused with 429 and never reaches the provider', async () => {
    const time = clock();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { limiter: createStartLimiter(), now: time.now } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    // Another browser: a start from the same one would replace its pending login (no cooldown).
    const refused = await request(app)
      .post('/auth/push/start')
      .set(json)
      .send({ username: 'alice' })
      .expect(429);
    expect(refused.body).toMatchObject({
      error: 'rate_limited',
      message: 'Too many login requests. Try again in 5 seconds.',
      detail: expect.stringMatching(/wait/),
    });
    expect(refused.headers['retry-after']).toBe('5');
    expect(provider.calls.start).toBe(1);
    time.advance(5000);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  });

  test('the limiter is on by default', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { limiter: undefined } });
    await request(app).post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    await request(app).post('/auth/push/start').set(json).send({ username: 'alice' }).expect(429);
  });

  test('one user ID cannot be pushed more than perUser times per window, from any session', async () => {
    const time = clock();
    const provider = new ScriptedProvider();
    const limiter = createStartLimiter({
      sessionCooldownMs: 0,
      userCooldownMs: 0,
      perUser: { max: 3, windowMs: 60_000 },
    });
    const { app } = buildTestApp({ provider, strategy: { limiter, now: time.now } });
    for (let i = 0; i < 3; i++)
      await request(app).post('/auth/push/start').set(json).send({ username: 'victim' }).expect(202);
    await request(app)
      .post('/auth/push/start')
      .set(json)
      .send({ username: 'VICTIM' })
      .expect(429, /Too many/);
    await request(app).post('/auth/push/start').set(json).send({ username: 'someone-else' }).expect(202);
    expect(provider.calls.start).toBe(4);
  });

  test('one client IP cannot start more than perIp logins per window', async () => {
    const provider = new ScriptedProvider();
    const limiter = createStartLimiter({
      sessionCooldownMs: 0,
      userCooldownMs: 0,
      perIp: { max: 2, windowMs: 60_000 },
    });
    const { app } = buildTestApp({ provider, strategy: { limiter } });
    await request(app).post('/auth/push/start').set(json).send({ username: 'a' }).expect(202);
    await request(app).post('/auth/push/start').set(json).send({ username: 'b' }).expect(202);
    await request(app)
      .post('/auth/push/start')
      .set(json)
      .send({ username: 'c' })
      .expect(429, /"detail":"[^"]*network/);
  });
});

describe('cross-site requests', () => {
  test('a POST whose Origin is another site is refused', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    await request(app)
      .post('/auth/push/start')
      .set(json)
      .set('Origin', 'https://evil.example')
      .send({ username: 'alice' })
      .expect(403);
    await request(app).post('/auth/push/cancel').set(json).set('Origin', 'null').expect(403);
    expect(provider.calls.start).toBe(0);
  });

  test('a POST from the same origin is accepted', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    await request(app)
      .post('/auth/push/start')
      .set(json)
      .set('Host', 'app.example')
      .set('Origin', 'http://app.example')
      .send({ username: 'alice' })
      .expect(202);
  });

  test('the scheme counts: behind a trusted TLS proxy, the https origin is the same one', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    const post = (origin: string) =>
      request(app)
        .post('/auth/push/start')
        .set(json)
        .set('Host', 'app.example')
        .set('X-Forwarded-Proto', 'https')
        .set('Origin', origin)
        .send({ username: 'alice' });
    await post('https://app.example').expect(403); // proxy not trusted: the app is on http
    app.set('trust proxy', true);
    await post('https://app.example').expect(202);
    await post('http://app.example').expect(403);
  });
});

describe('audit events', () => {
  test('start, approval, denial, cancellation and refusal are reported without secrets', async () => {
    const events: PushEvent[] = [];
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { onEvent: (e) => events.push(e) } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('denied');
    await agent.get('/auth/push/status').set(json);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    await agent.post('/auth/push/cancel').set(json);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json);
    expect(events.map((e) => e.type)).toEqual(['start', 'denied', 'start', 'cancelled', 'start', 'approved']);
    expect(events.every((e) => e.provider === 'scripted' && 'userId' in e && e.userId === 'alice')).toBe(
      true,
    );
    expect(JSON.stringify(events)).not.toMatch(/CODE-|handle/);
  });

  test('a throwing audit hook does not change the outcome', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      strategy: {
        onEvent: () => {
          throw new Error('logger down');
        },
      },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
  });
});

/**
 * pushLogin()'s HTTP answers for what the core returns: a start the provider answered with an
 * unusable handle, errors (retryable or not, with and without Retry-After) in JSON and HTML,
 * the notify route's answers, cancel, and the wait page's assets.
 */
import request from 'supertest';
import { PushError } from '../../../lib';
import { MAX_HANDLE_LENGTH } from '../../../lib/core/challenge';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionIds } from '../../helpers/app';
import { alterStart } from '../../helpers/login-core';

const json = { Accept: 'application/json' };

function mounted(provider = new ScriptedProvider(), router = {}) {
  const test = buildTestApp({ provider, router });
  return { ...test, provider, agent: request.agent(test.app) };
}

/** What the store holds for each session, as JSON text. */
async function storedSessions(store: ReturnType<typeof mounted>['store']): Promise<string> {
  const ids = await sessionIds(store);
  const all = await Promise.all(
    ids.map((id) => new Promise((resolve) => store.get(id, (_error, data) => resolve(data)))),
  );
  return JSON.stringify(all);
}

describe('a start whose provider handle is too big for the session', () => {
  test('answers 502 invalid_response and stores no challenge', async () => {
    const { agent, provider, store } = mounted();
    alterStart(provider, (started) => ({ ...started, handle: { id: 'x'.repeat(MAX_HANDLE_LENGTH) } }));
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error: 'invalid_response', retryable: false });
    expect(await storedSessions(store)).not.toContain('xxxxxxxx');
    expect(await storedSessions(store)).not.toContain('push:scripted');
    await agent.get('/auth/push/status').set(json).expect(404);
  });
});

describe('errors of the provider', () => {
  test('retryable, in JSON: 503 with the default pause, as body field and Retry-After', async () => {
    const { agent, provider } = mounted();
    provider.failNext(new PushError('protocol', 'Down.', { code: 'timeout', retryable: true }));
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      error: 'timeout',
      message: 'The login service did not answer in time. Please try again.',
      detail: 'Down.',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(answer.headers['retry-after']).toBe('2');
  });

  test("with the provider's Retry-After: that pause, in JSON and in the HTML redirect", async () => {
    const { agent, provider } = mounted();
    const busy = () => new PushError('provider', 'Busy.', { code: 'maintenance', retryAfterSeconds: 7 });
    provider.failNext(busy());
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.body).toMatchObject({ retryAfterMs: 7000 });
    provider.failNext(busy());
    const page = await agent.post('/auth/push/start').type('form').send({ username: 'alice' });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?push=maintenance&retryAfter=7');
  });

  test('final, in JSON: no pause offered', async () => {
    const { agent, provider } = mounted();
    provider.failNext(new PushError('protocol', 'Malformed.', { code: 'invalid_response' }));
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.body).toEqual({
      error: 'invalid_response',
      message: 'The login did not complete. Please try again.',
      detail: 'Malformed.',
      retryable: false,
    });
    expect(answer.headers['retry-after']).toBeUndefined();
  });

  test('retryable on a poll of the wait page: back to the wait page; final: the failure page', async () => {
    const { agent, provider } = mounted();
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    provider.failNext(new PushError('protocol', 'Down.', { code: 'timeout', retryable: true }));
    const again = await agent.get('/auth/push/wait');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/auth/push/wait');
    provider.failNext(new PushError('protocol', 'Malformed.', { code: 'invalid_response' }));
    const failed = await agent.get('/auth/push/wait');
    expect(failed.headers.location).toBe('/login?push=invalid');
  });
});

describe('the notify route', () => {
  const notifying = () => mounted(new ScriptedProvider({ notificationSecret: 's3cret' }));

  test('an authentic notification of an open challenge: 204', async () => {
    const { agent, provider, app } = notifying();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { headers, body } = provider.notification();
    await request(app).post('/auth/push/notify').set(headers).send(body).expect(204);
  });

  test('a key no open challenge has: the same 204 as a known one (the route is no oracle)', async () => {
    const { app } = notifying();
    const answer = await request(app)
      .post('/auth/push/notify')
      .set({ authorization: 'Bearer s3cret', 'content-type': 'application/json' })
      .send(JSON.stringify({ key: 'nobody' }));
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
  });

  test("a refused notification: the provider's status and code", async () => {
    const { app } = notifying();
    const answer = await request(app)
      .post('/auth/push/notify')
      .set({ authorization: 'Bearer wrong', 'content-type': 'application/json' })
      .send('{"key":"k"}');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'unauthorized' });
  });

  test('beyond the per-address budget: 429 with Retry-After', async () => {
    const { app } = mounted(new ScriptedProvider({ notificationSecret: 's3cret' }), {
      notifyPerIpPerMinute: 1,
    });
    const send = () =>
      request(app)
        .post('/auth/push/notify')
        .set({ authorization: 'Bearer s3cret', 'content-type': 'application/json' })
        .send('{"key":"k"}');
    await send().expect(204);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'rate_limited', message: 'Too many notifications.' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('is not mounted for a provider that takes no notifications', async () => {
    const { app } = mounted();
    await request(app).post('/auth/push/notify').send('{}').expect(404);
  });
});

describe('cancel', () => {
  test('JSON: 200 cancelled; HTML: to the failure page', async () => {
    const { agent, provider } = mounted();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const answer = await agent.post('/auth/push/cancel').set(json).send({});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ state: 'cancelled' });
    expect(provider.latest.cancelled).toBe(true);
    const page = await agent.post('/auth/push/cancel').type('form').send({});
    expect(page.headers.location).toBe('/login?push=cancelled');
  });
});

describe("the wait page's assets", () => {
  test.each([
    ['client.js', 'text/javascript; charset=utf-8'],
    ['client.css', 'text/css; charset=utf-8'],
  ])('%s: its type, cached five minutes, never sniffed', async (name, type) => {
    const { agent } = mounted();
    const answer = await agent.get(`/auth/push/${name}`).expect(200);
    expect(answer.headers['content-type']).toBe(type);
    expect(answer.headers['cache-control']).toBe('public, max-age=300');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.text.length).toBeGreaterThan(0);
  });
});

describe('what a JSON poll carries', () => {
  test("a failure's code and the provider's message", async () => {
    const { agent, provider } = mounted();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved', { subject: 'mallory' });
    const mismatch = await agent.get('/auth/push/status').set(json);
    expect(mismatch.status).toBe(401);
    expect(mismatch.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });

    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('denied', { message: { key: 'scripted.no', text: 'Declined.' } });
    const denied = await agent.get('/auth/push/status').set(json);
    expect(denied.body).toEqual({
      state: 'denied',
      message: 'Declined.',
      providerMessage: { key: 'scripted.no', text: 'Declined.' },
    });
  });

  test('an animated QR: the code and its image; once the phone fetched the request, no QR', async () => {
    const provider = new ScriptedProvider({ currentDisplay: (_handle, now) => ({ qr: `bankid.qr.${now}` }) });
    const { agent } = mounted(provider);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const pending = await agent.get('/auth/push/status').set(json).expect(202);
    expect(pending.body.display.qr).toMatch(/^bankid\.qr\./);
    expect(pending.body.display.qrImage).toMatch(/^data:image\/svg\+xml/);
    provider.answer('fetched');
    const fetched = await agent.get('/auth/push/status').set(json).expect(202);
    expect(fetched.body.state).toBe('fetched');
    expect(fetched.body.display ?? {}).not.toHaveProperty('qr');
    expect(fetched.body.display ?? {}).not.toHaveProperty('qrImage');
  });

  test('a pending answer without a display writes nothing to the display store', async () => {
    const kept: string[] = [];
    const displayStore = {
      set: async (challengeId: string) => void kept.push(challengeId),
      get: async () => undefined,
      delete: async () => undefined,
    };
    const agent = request.agent(
      buildTestApp({ provider: new ScriptedProvider(), strategy: { stores: { displays: displayStore } } })
        .app,
    );
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    expect(kept).toHaveLength(1); // the start's binding message
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(kept).toHaveLength(1);
  });
});

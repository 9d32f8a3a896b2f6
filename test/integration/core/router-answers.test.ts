/**
 * pushLogin()'s HTTP answers for what the core returns: a start the provider answered with an
 * unusable handle, errors (retryable or not, with and without Retry-After) in JSON and HTML,
 * the notify route's answers, cancel, and the wait page's assets.
 */
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { PushError, PushStrategy, pushLogin } from '../../../lib';
import type { NotificationBus, SettledState } from '../../../lib/core/notification-bus';
import type { PushEvent } from '../../../lib/core/events';
import { MAX_HANDLE_LENGTH } from '../../../lib/core/challenge';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, defaultVerify, sessionIds } from '../../helpers/app';
import { alterStart, decidedElsewhere } from '../../helpers/login-core';
import { notingIndex } from '../../helpers/noting-index';
import { busListening } from '../../helpers/two-instances';

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

  test('retryable, from the login form: back to the form with the code (there is no wait page yet)', async () => {
    const { agent, provider } = mounted();
    provider.failNext(new PushError('protocol', 'Down.', { code: 'timeout', retryable: true }));
    const page = await agent.post('/auth/push/start').type('form').send({ username: 'alice' });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?push=timeout');
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

  describe('what counts against the per-address budget', () => {
    const budgetOfOne = () =>
      mounted(new ScriptedProvider({ notificationSecret: 's3cret' }), { notifyPerIpPerMinute: 1 });
    const post = (app: Parameters<typeof request>[0], headers: Record<string, string>, body: string) =>
      request(app).post('/auth/push/notify').set(headers).send(body);
    const forged = { authorization: 'Bearer forged', 'content-type': 'application/json' };

    test("the provider's secret-key notifications, found or not, never count; a refusal does", async () => {
      const { agent, provider, app } = budgetOfOne();
      await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
      const { headers, body } = provider.notification();
      for (let i = 0; i < 3; i++) {
        await post(app, headers, body).expect(204);
        await post(app, headers, '{"key":"a-login-that-ended"}').expect(204);
      }
      await post(app, forged, body).expect(401);
      await post(app, headers, body).expect(429);
    });

    test('a notification anyone could send counts, whether its key finds a login or not', async () => {
      for (const found of [true, false]) {
        const { agent, provider, app } = budgetOfOne();
        await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
        const { headers, body } = provider.notification();
        const key = found ? (JSON.parse(body) as { key: string }).key : 'nobody';
        // A provider whose keys are guessable (an unsigned webhook naming a user): no `secret`.
        Object.assign(provider, { readNotification: async () => ({ kind: 'hint', key }) });
        await post(app, headers, body).expect(204);
        await post(app, headers, body).expect(429);
      }
    });

    test('a burst in flight together is looked up no more than the budget allows; the rest are refused before any lookup', async () => {
      // Keys anyone could guess, all read before any was counted: each passed the budget's first
      // check. Only the budget's worth may reach the notification index.
      const budget = 3;
      const burst = 10;
      const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
      let arrived = 0;
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let allArrived = () => {};
      const everyoneWaits = new Promise<void>((resolve) => (allArrived = resolve));
      Object.assign(provider, {
        readNotification: async () => {
          arrived += 1;
          if (arrived === burst) allArrived();
          await gate;
          return { kind: 'hint', key: 'a-guessable-user-id' };
        },
      });
      const index = new MemoryNotificationIndex();
      const lookups: string[] = [];
      const notificationIndex = {
        add: (...args: Parameters<MemoryNotificationIndex['add']>) => index.add(...args),
        remove: (...args: Parameters<MemoryNotificationIndex['remove']>) => index.remove(...args),
        find: async (keyHash: string) => (lookups.push(keyHash), index.find(keyHash)),
      };
      const { app } = buildTestApp({
        provider,
        strategy: { stores: { notificationIndex }, now: () => 1_700_000_000_000 },
        router: { notifyPerIpPerMinute: budget },
      });
      const answers = Array.from({ length: burst }, () =>
        post(app, { 'content-type': 'application/json' }, '{}').then((answer) => answer),
      );
      await everyoneWaits;
      release();
      const done = await Promise.all(answers);
      expect(done.map((answer) => answer.status).sort()).toEqual([
        ...Array<number>(budget).fill(204),
        ...Array<number>(burst - budget).fill(429),
      ]);
      expect(lookups).toHaveLength(budget);
      const limited = done.find((answer) => answer.status === 429);
      expect(limited?.body).toEqual({ error: 'rate_limited', message: 'Too many notifications.' });
      expect(limited?.headers['retry-after']).toBe('60');
    });

    test('a body the parser refuses counts', async () => {
      const { app } = budgetOfOne();
      const headers = { authorization: 'Bearer s3cret', 'content-type': 'application/json' };
      await post(app, headers, JSON.stringify({ key: 'k'.repeat(5000) }))
        .expect(413)
        .expect('Content-Type', /application\/json/);
      await post(app, headers, '{"key":"k"}').expect(429);
    });
  });

  test('beyond the per-address budget of refused notifications: 429 with Retry-After until the minute is over', async () => {
    const { app } = buildTestApp({
      provider: new ScriptedProvider({ notificationSecret: 's3cret' }),
      strategy: { now: () => 1_700_000_000_000 },
      router: { notifyPerIpPerMinute: 1 },
    });
    const send = () =>
      request(app)
        .post('/auth/push/notify')
        .set({ authorization: 'Bearer forged', 'content-type': 'application/json' })
        .send('{"key":"k"}');
    await send().expect(401);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'rate_limited', message: 'Too many notifications.' });
    expect(refused.headers['retry-after']).toBe('60'); // the clock stands still: the whole minute
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

  test('with retryWithUserId, a cancel without a body (a JSON client sends none): 200 cancelled', async () => {
    const { agent } = mounted(new ScriptedProvider(), { retryWithUserId: true });
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    await agent.post('/auth/push/cancel').set(json).expect(200, { state: 'cancelled' });
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

describe('a provider that shows nothing to compare', () => {
  /** A provider whose start brings no display (no code, no QR, no picture). */
  const plain = () => {
    const provider = new ScriptedProvider();
    alterStart(provider, (started) => ({ ...started, display: {} }));
    return provider;
  };

  test('a JSON start: 202 with an empty display', async () => {
    const agent = request.agent(buildTestApp({ provider: plain() }).app);
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    expect(answer.body).toMatchObject({ state: 'pending', display: {}, pollUrl: '/auth/push/status' });
  });

  test("the wait page, its display store holding nothing: an app's layout gets no display to show", async () => {
    const displays: unknown[] = [];
    const nothingKept = {
      set: async () => undefined,
      get: async () => undefined,
      delete: async () => undefined,
    };
    const { app } = buildTestApp({
      provider: plain(),
      strategy: { pollIntervalMs: 60_000, stores: { displays: nothingKept } },
      router: {
        renderPage: ({ model, lang, head, fragment }) => {
          displays.push(model.display);
          return `<!doctype html><html lang="${lang}"><head>${head}</head><body>${fragment}</body></html>`;
        },
      },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    await agent.get('/auth/push/wait').expect(200);
    expect(displays).toEqual([undefined]);
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

describe('endings another request (or instance) recorded first', () => {
  /** A browser with a login started, in an app where another request already ended it as `ending`. */
  async function startedAfter(ending: SettledState) {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      strategy: { stores: { completions: decidedElsewhere(ending) } },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    return { agent, provider };
  }

  test('a cancel after the login completed: signed in, in JSON and in HTML', async () => {
    const { agent } = await startedAfter('approved');
    const answer = await agent.post('/auth/push/cancel').set(json).send({});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ state: 'authenticated', redirect: '/me' });
    const page = await agent.post('/auth/push/cancel').type('form').send({});
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/me');
  });

  test('a cancel after a denial: the denial, in JSON and in HTML', async () => {
    const { agent } = await startedAfter('denied');
    const answer = await agent.post('/auth/push/cancel').set(json).send({});
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ state: 'denied' });
    const page = await agent.post('/auth/push/cancel').type('form').send({});
    expect(page.headers.location).toBe('/login?push=denied');
  });

  test('a poll after a cancel: cancelled, in JSON and in HTML', async () => {
    const { agent, provider } = await startedAfter('cancelled');
    provider.answer('denied');
    const answer = await agent.get('/auth/push/status').set(json);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ state: 'cancelled' });
    const page = await agent.get('/auth/push/wait');
    expect(page.headers.location).toBe('/login?push=cancelled');
  });
});

describe('a start the provider refuses, from the login form', () => {
  const refusing = (router: Record<string, unknown>) => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, router });
    return { provider, agent: request.agent(app) };
  };

  test('with retryWithUserId: the failure page gets the typed ID back, trimmed', async () => {
    const { provider, agent } = refusing({ retryWithUserId: true });
    provider.failNext(new PushError('provider', 'Unknown.', { code: 'unknown_user' }));
    const page = await agent.post('/auth/push/start').type('form').send({ username: ' alice ' });
    expect(page.headers.location).toBe('/login?push=unknown_user&id=alice');
    provider.failNext(new PushError('input', 'Not an ID.', { code: 'invalid_user_id' }));
    const input = await agent.post('/auth/push/start').type('form').send({ username: 'alice' });
    expect(input.headers.location).toBe('/login?push=invalid_user_id&id=alice');
  });

  test('with retryWithUserId, an ID too long or empty is not sent back', async () => {
    const { agent } = refusing({ retryWithUserId: true });
    const long = await agent
      .post('/auth/push/start')
      .type('form')
      .send({ username: 'a'.repeat(255) });
    expect(long.headers.location).toBe('/login?push=invalid_user_id');
    const empty = await agent.post('/auth/push/start').type('form').send({ username: ' ' });
    expect(empty.headers.location).toBe('/login?push=missing_user_id');
  });

  test('with retryWithUserId, the longest ID accepted (254 characters) is sent back', async () => {
    const { provider, agent } = refusing({ retryWithUserId: true });
    const longest = 'a'.repeat(254);
    provider.failNext(new PushError('provider', 'Unknown.', { code: 'unknown_user' }));
    const page = await agent.post('/auth/push/start').type('form').send({ username: longest });
    expect(page.headers.location).toBe(`/login?push=unknown_user&id=${longest}`);
  });

  test('with retryWithUserId, an ID that is not a string: refused as input, never a 500', async () => {
    const { agent } = refusing({ retryWithUserId: true });
    for (const username of [4711, ['alice', 'bob']]) {
      const answer = await agent.post('/auth/push/start').set(json).send({ username });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ state: 'bad_request' });
    }
  });

  test('without retryWithUserId: no ID in the failure page address', async () => {
    const { provider, agent } = refusing({});
    provider.failNext(new PushError('provider', 'Unknown.', { code: 'unknown_user' }));
    const page = await agent.post('/auth/push/start').type('form').send({ username: 'alice' });
    expect(page.headers.location).toBe('/login?push=unknown_user');
  });
});

test('pushLogin without a PushStrategy is a configuration error', () => {
  expect(() => pushLogin({ strategy: {} as never })).toThrow(
    expect.objectContaining({ kind: 'config', message: expect.stringContaining('strategy') }),
  );
});

test('pushLogin without options, or without a strategy: the same configuration error (no TypeError)', () => {
  for (const options of [undefined, {}]) {
    expect(() => pushLogin(options as never)).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringContaining('strategy') }),
    );
  }
});

describe('the device cookie (deviceSecret)', () => {
  const deviceSecret = 'a-device-secret-of-at-least-32-characters';
  const deviceCookie = (setCookie: string | string[] | undefined) =>
    [setCookie ?? []].flat().find((cookie) => cookie.startsWith('push-device='));

  test('a completed login for a typed ID trusts the browser: the cookie is set', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, router: { deviceSecret } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const answer = await agent.get('/auth/push/status').set(json).expect(200);
    expect(deviceCookie(answer.headers['set-cookie'])).toMatch(/HttpOnly/i);
  });

  test('a login without a typed ID names no one to trust: no cookie', async () => {
    const provider = new ScriptedProvider({ userId: 'optional', subjectRule: 'provider' });
    const { app } = buildTestApp({ provider, router: { deviceSecret } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({}).expect(202);
    provider.answer('approved', { subject: 'sub-4711' });
    const answer = await agent.get('/auth/push/status').set(json).expect(200);
    expect(deviceCookie(answer.headers['set-cookie'])).toBeUndefined();
  });
});

describe('a long poll the bus cannot hold', () => {
  test('is answered at once, with a pause of at least a second', async () => {
    const provider = new ScriptedProvider();
    const refusing: NotificationBus = {
      publish: async () => undefined,
      subscribe: () => {
        throw new PushError('limit', 'Too many requests are waiting on this challenge.', {
          code: 'too_many_waiters',
          retryable: true,
        });
      },
    };
    const { app } = buildTestApp({
      provider,
      strategy: { stores: { notificationBus: refusing } },
      router: { longPollMs: 60_000 },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body).toMatchObject({ state: 'pending', retryAfterMs: 1000 });
    expect(answer.headers['retry-after']).toBe('1');
  });
});

describe("faults the library cannot classify go to the app's error handler", () => {
  test('on a start', async () => {
    const provider = new ScriptedProvider();
    const agent = request.agent(buildTestApp({ provider }).app);
    provider.failNext(new Error('a bug in a custom provider'));
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(500);
  });

  test('on a poll, in JSON and on the wait page', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.failNext(new Error('a bug in a custom provider'));
    await agent.get('/auth/push/status').set(json).expect(500);
    provider.failNext(new Error('a bug in a custom provider'));
    await agent.get('/auth/push/wait').expect(500);
  });

  test('without express-session: every route hands the error that names the fix to the handler', async () => {
    const strategy = new PushStrategy({ provider: new ScriptedProvider(), limiter: false }, defaultVerify);
    const app = express();
    app.use('/auth/push', pushLogin({ strategy }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ handler: 'error', message: error.message });
    });
    const routes = [
      request(app).post('/auth/push/start').set(json).send({ username: 'alice' }),
      request(app).post('/auth/push/cancel').set(json).send({}),
      request(app).post('/auth/push/cancel').type('form').send({}),
    ];
    for (const route of routes) {
      const answer = await route.expect(500);
      expect(answer.body).toMatchObject({
        handler: 'error',
        message: expect.stringMatching(/express-session/),
      });
    }
  });
});

describe('a shared store that fails answers 503 with Retry-After (try again), never 500', () => {
  test('on a cancel whose completion store fails', async () => {
    const completions = { claim: async () => Promise.reject(new Error('store down')) };
    const { app } = buildTestApp({ provider: new ScriptedProvider(), strategy: { stores: { completions } } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const refused = await agent
      .post('/auth/push/cancel')
      .set(json)
      .send({})
      .expect(503)
      .expect('Retry-After', '2');
    expect(refused.body).toMatchObject({ error: 'store_unavailable', retryable: true });
  });

  // Stores that refuse at once (no deadline to wait out): the HTML pages of store-faults-http, fast.
  test('HTML: a cancel whose completion store fails gets a 503 page back to the form with the typed ID', async () => {
    const completions = { claim: async () => Promise.reject(new Error('store down')) };
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { stores: { completions } },
      router: { retryWithUserId: true },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    const page = await agent
      .post('/auth/push/cancel')
      .type('form')
      .send({ username: 'alice' })
      .expect(503)
      .expect('Retry-After', '2')
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('<title>Approve on your phone</title>');
    expect(page.text).toContain(
      '<p role="alert">The login service is briefly unavailable. Please try again in a moment.</p>',
    );
    expect(page.text).toContain('<a href="/login?push=store_unavailable&amp;id=alice">Try again</a>');
    // A start again is the user's choice: the page does not reload by itself.
    expect(page.text).not.toContain('http-equiv="refresh"');
  });

  test('HTML: a wait page whose completion store fails answers 503 and comes back by itself', async () => {
    const completions = { claim: async () => Promise.reject(new Error('store down')) };
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { stores: { completions } } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    provider.answer('approved');
    const page = await agent.get('/auth/push/wait').expect(503).expect('Retry-After', '2');
    expect(page.text).toContain('<meta http-equiv="refresh" content="2; url=/auth/push/wait">');
    expect(page.text).toContain('<a href="/auth/push/wait">Try again</a>');
    await agent.get('/me').expect(401);
  });

  /** A notification index that is down: every lookup fails. */
  const indexDown = {
    add: async () => undefined,
    find: async () => Promise.reject(new Error('index down')),
    remove: async () => undefined,
  };

  test('an index whose notes cannot be read: the poll answers from the session, and an event says what was lost', async () => {
    const events: PushEvent[] = [];
    const { index: notificationIndex } = notingIndex(async () => Promise.reject(new Error('index down')));
    const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
    const { app } = buildTestApp({
      provider,
      strategy: {
        pollIntervalMs: 60_000,
        stores: { notificationIndex },
        onEvent: (event) => events.push(event),
      },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const checks = provider.calls.check;
    const poll = await agent.get('/auth/push/status').set(json).expect(202);
    expect(poll.body.state).toBe('pending');
    expect(provider.calls.check).toBe(checks);
    expect(events).toContainEqual({
      type: 'store_error',
      store: 'notification_index',
      operation: 'lastNotification',
      lost: "whether another instance heard a notification for this login (the challenge's next check makes up for it)",
      cause: 'Error',
      provider: 'scripted',
    });
  });

  test('a held long poll reads the index note once, as it arrives, not at its later rounds', async () => {
    const { index: notificationIndex, reads } = notingIndex();
    const notificationBus = new MemoryNotificationBus();
    const listening = busListening();
    listening.watch({ notificationBus });
    const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
    const { app } = buildTestApp({
      provider,
      strategy: { pollIntervalMs: 60_000, stores: { notificationIndex, notificationBus } },
      router: { longPollMs: 60_000 },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const waiting = listening.next();
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((answer) => answer);
    await waiting;
    provider.answer('approved');
    const { headers, body } = provider.notification();
    await agent.post('/auth/push/notify').set(headers).send(body).expect(204);
    expect((await held).body.state).toBe('authenticated');
    expect(reads()).toBe(1);
  });

  test('the wait page polled without JavaScript reads the index note as it arrives', async () => {
    const { index: notificationIndex, reads } = notingIndex();
    const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
    const { app } = buildTestApp({
      provider,
      strategy: { pollIntervalMs: 60_000, stores: { notificationIndex } },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    await agent.get('/auth/push/status').set('Accept', 'text/html').expect(200);
    expect(reads()).toBe(1);
  });

  test('on a notification whose index fails: the sender may send it again, and it is not counted', async () => {
    const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
    // Even a key anyone could send: the outage is ours, and the sender's budget stays whole.
    Object.assign(provider, { readNotification: async () => ({ kind: 'hint', key: 'k' }) });
    const { app } = buildTestApp({
      provider,
      strategy: { stores: { notificationIndex: indexDown } },
      router: { notifyPerIpPerMinute: 1 },
    });
    for (let i = 0; i < 2; i++) {
      await request(app)
        .post('/auth/push/notify')
        .set({ authorization: 'Bearer s3cret', 'content-type': 'application/json' })
        .send('{"key":"k"}')
        .expect(503, { error: 'store_unavailable' })
        .expect('Retry-After', '2');
    }
  });

  test("a provider's secret-key notification lost to an outage gives back nothing it did not take", async () => {
    const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
    const { app } = buildTestApp({
      provider,
      strategy: { stores: { notificationIndex: indexDown } },
      router: { notifyPerIpPerMinute: 2 },
    });
    const send = (authorization: string) =>
      request(app)
        .post('/auth/push/notify')
        .set({ authorization, 'content-type': 'application/json' })
        .send('{"key":"k"}');
    await send('Bearer forged').expect(401);
    // The provider's ping (never counted) meets the outage: the refusal above stays counted.
    await send('Bearer s3cret').expect(503);
    await send('Bearer forged').expect(401);
    await send('Bearer forged').expect(429);
  });
});

describe('a display store that fails', () => {
  const failing = (operation: string) => async () => Promise.reject(new Error(`display store ${operation}`));

  test('at start: the login starts, and a store_error event says what was lost', async () => {
    const events: PushEvent[] = [];
    const displays = { set: failing('set'), get: async () => undefined, delete: async () => undefined };
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { stores: { displays }, onEvent: (event) => events.push(event) },
    });
    const answer = await request(app).post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.status).toBe(202);
    expect(answer.body.display).toBeDefined();
    expect(events).toContainEqual({
      type: 'store_error',
      store: 'display',
      operation: 'set',
      lost: "a challenge's display for reloads and other instances (this page still shows it)",
      cause: 'Error',
      provider: 'scripted',
    });
  });

  test('on the wait page: the page is served without the kept display, and an event says so', async () => {
    const events: PushEvent[] = [];
    const displays = { set: async () => undefined, get: failing('get'), delete: async () => undefined };
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 60_000, stores: { displays }, onEvent: (event) => events.push(event) },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    const page = await agent.get('/auth/push/wait').expect(200);
    expect(page.text).toContain('data-status-url="/auth/push/status"');
    expect(events).toContainEqual({
      type: 'store_error',
      store: 'display',
      operation: 'get',
      lost: "a challenge's kept display (the page shows what this poll has)",
      cause: 'Error',
      provider: 'scripted',
    });
  });
});

describe("the wait page's links", () => {
  test('name every route under where the router is mounted, and the failure page to retry from', async () => {
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      mountPath: '/sign-in/phone',
      strategy: { pollIntervalMs: 60_000 },
      router: { failureRedirect: '/try-again' },
    });
    const agent = request.agent(app);
    await agent.post('/sign-in/phone/start').type('form').send({ username: 'alice' }).expect(303);
    const page = await agent.get('/sign-in/phone/wait').expect(200);
    for (const link of [
      'data-status-url="/sign-in/phone/status"',
      'data-events-url="/sign-in/phone/events"',
      'data-retry-url="/try-again"',
      'action="/sign-in/phone/cancel"',
      'action="/sign-in/phone/start"',
      'href="/sign-in/phone/wait"',
      'src="/sign-in/phone/client.js"',
      'href="/sign-in/phone/client.css"',
    ]) {
      expect(page.text).toContain(link);
    }
  });
});

describe('a start the core refuses, in JSON', () => {
  test('a missing ID: 400 with its code, the state and the message', async () => {
    const agent = request.agent(buildTestApp({ provider: new ScriptedProvider() }).app);
    const answer = await agent.post('/auth/push/start').set(json).send({});
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'missing_user_id',
      state: 'bad_request',
      code: 'missing_user_id',
      message: expect.any(String),
    });
  });
});

describe('a provider error without a code', () => {
  test('is named by its kind, in JSON and in the HTML redirect', async () => {
    const { agent, provider } = mounted();
    provider.failNext(new PushError('protocol', 'Malformed.'));
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error: 'protocol', retryable: false });
    provider.failNext(new PushError('protocol', 'Malformed.'));
    const page = await agent.post('/auth/push/start').type('form').send({ username: 'alice' });
    expect(page.headers.location).toBe('/login?push=protocol');
  });

  test('whose words are already the user’s message carries no detail', async () => {
    const { agent, provider } = mounted();
    const message = 'The login did not complete. Please try again.';
    provider.failNext(new PushError('protocol', message, { code: 'invalid_response' }));
    const answer = await agent.post('/auth/push/start').set(json).send({ username: 'alice' });
    expect(answer.body).toEqual({ error: 'invalid_response', message, retryable: false });
  });
});

describe('the notify budget behind a proxy', () => {
  test("counts each client's refused notifications by its address (trust proxy), not the proxy's", async () => {
    const { app } = mounted(new ScriptedProvider({ notificationSecret: 's3cret' }), {
      notifyPerIpPerMinute: 1,
    });
    app.set('trust proxy', true);
    const send = (address: string) =>
      request(app)
        .post('/auth/push/notify')
        .set({
          authorization: 'Bearer forged',
          'content-type': 'application/json',
          'x-forwarded-for': address,
        })
        .send('{"key":"k"}');
    await send('198.51.100.1').expect(401);
    await send('198.51.100.2').expect(401);
    await send('198.51.100.1').expect(429);
  });
});

describe('a poll without longPollMs', () => {
  test('is answered at once, without waiting on the bus', async () => {
    const subscribe = jest.fn(() => () => undefined);
    const notificationBus: NotificationBus = { publish: async () => undefined, subscribe };
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { stores: { notificationBus } },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body).toMatchObject({ state: 'pending', retryAfterMs: 0 });
    expect(subscribe).not.toHaveBeenCalled();
  });
});

describe("the status stream's faults before it starts", () => {
  test("go to the app's error handler (an app's locale function that throws)", async () => {
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      router: {
        locale: () => {
          throw new Error('a bug in the app');
        },
      },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').send({ username: 'alice' }).set(json);
    await agent.get('/auth/push/events').expect(500);
  });
});

describe('a JSON poll of a page that shows an older challenge', () => {
  test('is answered 409 superseded (another tab started a newer login); its own challenge is pending', async () => {
    const { agent } = mounted();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const older = await agent.get('/auth/push/status?challenge=older').set(json);
    expect(older.status).toBe(409);
    expect(older.body).toMatchObject({ state: 'superseded', code: 'superseded' });
    await agent.get('/auth/push/status').set(json).expect(202);
  });

  test.each([false, 'extended'])('is told so whatever query parser the app chose (%s)', async (parser) => {
    const { app, agent } = mounted();
    app.set('query parser', parser);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    await agent.get('/auth/push/status?challenge=older').set(json).expect(409);
    await agent.get('/auth/push/status?challenge=older&x=1').set(json).expect(409);
    await agent.get('/auth/push/status?challenge=ol%64er').set(json).expect(409);
    // A parameter the poller never sends: no challenge named.
    await agent.get('/auth/push/status?challenge[x]=older').set(json).expect(202);
  });
});

describe('a JSON poll inside the interval', () => {
  test('is answered from the session alone: nothing is written to the display store', async () => {
    const kept: string[] = [];
    const displays = {
      set: async (challengeId: string) => void kept.push(challengeId),
      get: async () => undefined,
      delete: async () => undefined,
    };
    const provider = new ScriptedProvider({ currentDisplay: () => ({ bindingMessage: 'CODE-7' }) });
    const { app } = buildTestApp({ provider, strategy: { pollIntervalMs: 60_000, stores: { displays } } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const written = kept.length;
    const answer = await agent.get('/auth/push/status').set(json).expect(202);
    expect(answer.body.display).toMatchObject({ bindingMessage: 'CODE-7' });
    expect(kept).toHaveLength(written);
    expect(provider.calls.check).toBe(0);
  });
});

describe('the status route, which the router answers before walking its stack', () => {
  /** The app with a middleware first that notes, once each answer is sent, the route Express matched. */
  function noting(pollIntervalMs = 60_000) {
    const provider = new ScriptedProvider();
    const routes: (string | undefined)[] = [];
    const note: RequestHandler = (req, res, next) => {
      res.on('finish', () => routes.push((req.route as { path?: string } | undefined)?.path));
      next();
    };
    const test = buildTestApp({ provider, appWide: [note], strategy: { pollIntervalMs } });
    return { ...test, provider, routes, agent: request.agent(test.app) };
  }

  test('leaves `req.route` as Express sets it, for the path itself and the variants Express matches', async () => {
    const { agent, routes } = noting();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    routes.length = 0;
    for (const path of [
      '/auth/push/status',
      '/auth/push/status?challenge=x',
      '/auth/push/Status',
      '/auth/push/status/',
    ]) {
      await agent
        .get(path)
        .set(json)
        .expect((answer) => expect([202, 409]).toContain(answer.status));
    }
    await agent.get('/auth/push/status').expect(200); // the wait page, polled without JavaScript
    expect(routes).toEqual(Array(5).fill('/status'));
  });

  test('takes only a GET of its own path: other methods and longer paths find no route', async () => {
    const { agent, routes } = noting();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    routes.length = 0;
    await agent.post('/auth/push/status').set(json).send({}).expect(404);
    await agent.get('/auth/push/statusx').set(json).expect(404);
    await agent.get('/auth/push/status/more').set(json).expect(404);
    await agent.head('/auth/push/status').set(json).expect(202);
    expect(routes).toEqual([undefined, undefined, undefined, '/status']);
  });

  test("a poll's fault reaches an error handler the app added to the router itself", async () => {
    // Every poll asks the provider: the fault comes from its check.
    const { agent, provider, router } = noting(0);
    router.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(418).json({ router: error.message });
    });
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.failNext(new Error('a bug in a custom provider'));
    const answer = await agent.get('/auth/push/status').set(json);
    expect([answer.status, answer.body]).toEqual([418, { router: 'a bug in a custom provider' }]);
  });
});

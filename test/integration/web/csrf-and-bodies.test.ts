/**
 * What real browsers send to the router's POSTs: the wait page's own Cancel (Origin "null" under a
 * no-referrer policy), a start from an app behind helmet, and a cross-site form that must still be
 * refused, as HTML (a redirect to the app's page) and as JSON (403). Then every bad body answered
 * by the router itself, and the enrolment router's unlink guarded the same way.
 */
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { enrolmentRouter } from '../../../lib';
import type { EnrolmentApi } from '../../../lib/web/enrolment-router';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const HTML = 'text/html,application/xhtml+xml,*/*;q=0.8';
const JSON_ACCEPT = 'application/json';

async function pendingLogin() {
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider });
  const browser = request.agent(app);
  await browser
    .post('/auth/push/start')
    .set('Accept', JSON_ACCEPT)
    .set('Sec-Fetch-Site', 'same-origin')
    .send({ username: 'alice' })
    .expect(202);
  return { provider, app, browser };
}

describe('what Chromium sends', () => {
  test("the wait page's Cancel (Origin: null, Sec-Fetch-Site: same-origin) cancels and lands on an HTML page", async () => {
    const { browser, provider } = await pendingLogin();
    const answer = await browser
      .post('/auth/push/cancel')
      .set('Accept', HTML)
      .set('Origin', 'null')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send('')
      .expect(303);
    expect(answer.headers.location).toBe('/login?push=cancelled');
    expect(provider.calls.cancel).toBe(1);
  });

  test('a start from an app page with Referrer-Policy: no-referrer (helmet) goes to the wait page', async () => {
    const { app } = buildTestApp({ provider: new ScriptedProvider() });
    const answer = await request(app)
      .post('/auth/push/start')
      .set('Accept', HTML)
      .set('Origin', 'null')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send('username=alice')
      .expect(303);
    expect(answer.headers.location).toBe('/auth/push/wait');
  });

  test('the wait page lets its own forms send their origin (Referrer-Policy: same-origin)', async () => {
    const { browser } = await pendingLogin();
    const page = await browser.get('/auth/push/wait').set('Accept', HTML).expect(200);
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('cross-site posts are still refused', () => {
  test.each([
    ['a form on another site', { 'Sec-Fetch-Site': 'cross-site', Origin: 'http://evil.example' }],
    ['a sibling subdomain', { 'Sec-Fetch-Site': 'same-site', Origin: 'http://evil.app.example' }],
    ['an older browser on another site', { Origin: 'http://evil.example' }],
    ['an opaque origin without Fetch Metadata', { Origin: 'null' }],
  ])('%s: HTML clients go to the failure page, JSON clients get 403', async (_name, headers) => {
    const { browser, provider } = await pendingLogin();
    const html = await browser.post('/auth/push/cancel').set('Accept', HTML).set(headers).expect(303);
    expect(html.headers.location).toBe('/login?push=cross_origin');
    const json = await browser.post('/auth/push/cancel').set('Accept', JSON_ACCEPT).set(headers).expect(403);
    expect(json.body).toEqual({ error: 'cross_origin', message: 'This request came from another site.' });
    const start = await browser
      .post('/auth/push/start')
      .set('Accept', JSON_ACCEPT)
      .set(headers)
      .send({ username: 'mallory' })
      .expect(403);
    expect(start.body).toMatchObject({ error: 'cross_origin' });
    expect(provider.calls.cancel).toBe(0);
    expect(provider.calls.start).toBe(1);
  });

  test('a text/plain form from another site starts nothing', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    await request(app)
      .post('/auth/push/start')
      .set('Accept', HTML)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Origin', 'http://evil.example')
      .type('text/plain')
      .send('{"username":"alice"}')
      .expect(303)
      .expect('Location', '/login?push=cross_origin');
    expect(provider.calls.start).toBe(0);
  });

  test('a sibling subdomain is accepted when the app says so', async () => {
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      router: { checkOrigin: { allowSameSite: true } },
    });
    await request(app)
      .post('/auth/push/start')
      .set('Accept', JSON_ACCEPT)
      .set('Sec-Fetch-Site', 'same-site')
      .send({ username: 'alice' })
      .expect(202);
  });
});

describe('checkOrigin: false (an app with its own CSRF protection)', () => {
  test('a cross-site post is let through to the route', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, router: { checkOrigin: false } });
    await request(app)
      .post('/auth/push/start')
      .set('Accept', JSON_ACCEPT)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Origin', 'http://elsewhere.example')
      .send({ username: 'alice' })
      .expect(202);
    expect(provider.calls.start).toBe(1);
  });
});

describe('bad bodies are answered by the router, never by the app error handler', () => {
  const appWithErrorPage = () => {
    const { app } = buildTestApp({ provider: new ScriptedProvider() });
    const errors: unknown[] = [];
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).send('app error page');
    });
    return { app, errors };
  };

  test.each([
    [
      'too many form parameters',
      (r: request.Test) => r.type('form').send(Array.from({ length: 1100 }, (_, i) => `a${i}=`).join('&')),
      413,
      'body_too_large',
    ],
    [
      'a broken gzip body',
      (r: request.Test) =>
        r
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send(gzipSync('{"username":"alice"}').subarray(0, 12)),
      400,
      'invalid_body',
    ],
    [
      'malformed JSON',
      (r: request.Test) => r.set('Content-Type', 'application/json').send('{"username":'),
      400,
      'invalid_body',
    ],
    [
      'an unknown content encoding',
      (r: request.Test) =>
        r.set('Content-Type', 'application/json').set('Content-Encoding', 'x-unknown').send('{}'),
      415,
      'unsupported_encoding',
    ],
    [
      'an unknown charset',
      (r: request.Test) => r.set('Content-Type', 'application/json; charset=x-unknown').send('{}'),
      415,
      'unsupported_encoding',
    ],
    [
      'a body over the limit',
      (r: request.Test) =>
        r.set('Content-Type', 'application/json').send(JSON.stringify({ username: 'a'.repeat(9000) })),
      413,
      'body_too_large',
    ],
  ])('%s', async (_name, send, status, code) => {
    const { app, errors } = appWithErrorPage();
    const answer = await send(request(app).post('/auth/push/start').set('Accept', JSON_ACCEPT)).expect(
      status,
    );
    expect(answer.body).toMatchObject({ error: code });
    expect(errors).toEqual([]);
  });
});

describe('enrolmentRouter POST /disconnect', () => {
  const enrolmentApp = () => {
    const unlinked: string[] = [];
    const enrolment: EnrolmentApi = {
      qr: async () => ({ qr: 'data:image/png;base64,' }),
      status: async () => ({ state: 'linked' }),
      disconnect: async (userId) => {
        unlinked.push(userId);
      },
    };
    const app = express();
    app.use('/enrol', enrolmentRouter({ enrolment, userId: () => 'alice' }));
    return { app, unlinked };
  };

  test('a cross-site post cannot unlink the phone', async () => {
    const { app, unlinked } = enrolmentApp();
    for (const headers of [
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'http://evil.example' },
      { Origin: 'http://evil.example' },
      { Origin: 'null' },
    ]) {
      const answer = await request(app).post('/enrol/disconnect').set(headers).expect(403);
      expect(answer.body).toMatchObject({ error: 'cross_origin' });
    }
    expect(unlinked).toEqual([]);
  });

  test('the app itself can', async () => {
    const { app, unlinked } = enrolmentApp();
    await request(app)
      .post('/enrol/disconnect')
      .set('Sec-Fetch-Site', 'same-origin')
      .expect(200, { state: 'unlinked' });
    expect(unlinked).toEqual(['alice']);
  });
});

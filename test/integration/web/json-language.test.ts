/**
 * Every JSON `message` is in the request's language, as the pages are (issue 25): the refusals of
 * the POST guards (another site, a body that is not JSON or form data), a rate limit, and the
 * library's English technical words kept apart in `detail` for the app's developers.
 */
import request from 'supertest';
import { createStartLimiter } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const JSON_ACCEPT = 'application/json';

test.each([
  ['de', 'Diese Anfrage kam von einer anderen Website.'],
  ['sv', 'Begäran kom från en annan webbplats.'],
])('in %s: a cross-site start is refused in the page language', async (language, text) => {
  const { app } = buildTestApp({ provider: new ScriptedProvider() });
  const answer = await request(app)
    .post('/auth/push/start')
    .set('Accept', JSON_ACCEPT)
    .set('Accept-Language', language)
    .set('Sec-Fetch-Site', 'cross-site')
    .send({ username: 'alice' });
  expect(answer.status).toBe(403);
  expect(answer.body).toEqual({
    error: 'cross_origin',
    message: text,
    detail: 'This request came from another site.',
  });
});

test.each([
  ['de', 'Die Anfrage wurde nicht verstanden.'],
  ['sv', 'Begäran kunde inte tolkas.'],
])('in %s: a body that is not JSON is refused in the page language', async (language, text) => {
  const { app } = buildTestApp({ provider: new ScriptedProvider() });
  const answer = await request(app)
    .post('/auth/push/start')
    .set('Accept', JSON_ACCEPT)
    .set('Accept-Language', language)
    .set('Content-Type', 'application/json')
    .send('{"username": ');
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({
    error: 'invalid_body',
    message: text,
    detail: expect.stringMatching(/JSON/),
  });
});

test.each([
  ['de', /^Zu viele Anmeldeanfragen\. Versuchen Sie es in \d+ Sekunden erneut\.$/],
  ['sv', /^För många inloggningsförsök\. Försök igen om \d+ sekunder\.$/],
])('in %s: a start over a limit says how long to wait, in the page language', async (language, text) => {
  const { app } = buildTestApp({
    provider: new ScriptedProvider(),
    strategy: { limiter: createStartLimiter() },
  });
  const start = () =>
    request(app)
      .post('/auth/push/start')
      .set('Accept', JSON_ACCEPT)
      .set('Accept-Language', language)
      .send({ username: 'alice' });
  expect((await start()).status).toBe(202);
  const refused = await start();
  expect(refused.status).toBe(429);
  expect(refused.body.message).toMatch(text);
  expect(refused.body.detail).toEqual(expect.any(String));
});

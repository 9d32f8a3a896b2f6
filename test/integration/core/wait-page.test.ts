/**
 * The wait page through the router: the user's language, the app's layout and messages, the
 * two-tab case (an older tab learns it was superseded) and the rate-limit wait in the redirect.
 */
import request from 'supertest';
import { createStartLimiter } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, type TestAppOptions } from '../../helpers/app';

const json = { Accept: 'application/json' };

async function waitPage(options: Partial<TestAppOptions> = {}, acceptLanguage?: string) {
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider, ...options });
  const agent = request.agent(app);
  await agent.post('/auth/push/start').type('form').send('username=alice').expect(303);
  const page = agent.get('/auth/push/wait');
  if (acceptLanguage) page.set('Accept-Language', acceptLanguage);
  return { agent, provider, page: await page.expect(200) };
}

const challengeOf = (html: string) => /data-challenge-id="([^"]+)"/.exec(html)?.[1];

describe('language', () => {
  test('follows Accept-Language', async () => {
    const { page } = await waitPage({}, 'sv-SE,sv;q=0.9,en;q=0.5');
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('Godkänn inloggningen i din telefon.');
  });

  test("the app's locale function wins over the header, and its messages over the catalogue", async () => {
    const { page } = await waitPage(
      {
        router: {
          locale: () => 'de',
          messages: { de: { 'page.title': 'Beim Shop anmelden' } },
        },
      },
      'sv',
    );
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain('<h1 id="push-heading">Beim Shop anmelden</h1>');
    expect(page.text).toContain('Abbrechen');
  });
});

test("renderPage puts the wait page into the app's layout, under the page CSP", async () => {
  const { page } = await waitPage({
    router: {
      renderPage: ({ lang, title, head, fragment }) =>
        `<!doctype html><html lang="${lang}"><head><title>${title} · Shop</title>${head}</head><body><header>Shop</header>${fragment}</body></html>`,
    },
  });
  expect(page.text).toContain('<header>Shop</header>');
  expect(page.text).toContain('<title>Waiting for approval · Approve on your phone · Shop</title>');
  expect(page.text).toContain('id="push-wait"');
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
});

describe('two tabs of one session', () => {
  test("the older tab's poll answers superseded once a newer login replaced its challenge", async () => {
    const { agent, page: tabA } = await waitPage();
    const first = challengeOf(tabA.text);
    expect(first).toBeDefined();
    await agent.get(`/auth/push/status?challenge=${first}`).set(json).expect(202);

    await agent.post('/auth/push/start').type('form').send('username=alice').expect(303);
    const tabB = await agent.get('/auth/push/wait').expect(200);
    const second = challengeOf(tabB.text);
    expect(second).not.toBe(first);

    const stale = await agent.get(`/auth/push/status?challenge=${first}`).set(json).expect(409);
    expect(stale.body).toEqual({
      state: 'superseded',
      code: 'superseded',
      message: expect.stringMatching(/another tab/),
    });
    await agent.get(`/auth/push/status?challenge=${second}`).set(json).expect(202);
  });

  test('once the other tab completed the login, the older tab follows to the app', async () => {
    const { agent, provider, page: tabA } = await waitPage();
    const first = challengeOf(tabA.text);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200); // tab B completes
    await agent
      .get(`/auth/push/status?challenge=${first}`)
      .set(json)
      .expect(200, { state: 'authenticated', redirect: '/me' });
  });
});

test('a rate-limited form start tells the login page how long to wait', async () => {
  const limiter = createStartLimiter({
    sessionCooldownMs: 0,
    userCooldownMs: 30_000,
    perIp: false,
    perUser: false,
  });
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({ provider, strategy: { limiter } });
  await request(app).post('/auth/push/start').type('form').send('username=alice').expect(303);
  // Another browser, so it meets the ID's cooldown (its own start would replace the pending one).
  const limited = await request(app).post('/auth/push/start').type('form').send('username=alice').expect(303);
  expect(limited.headers.location).toMatch(/^\/login\?push=rate_limited&retryAfter=(30|29)$/);
});

/**
 * Every button a user can press, in Chromium: Cancel on the wait page (JavaScript on and off) lands
 * on an HTML page, Try again starts over; an app behind helmet() (Referrer-Policy: no-referrer, so
 * Chromium sends `Origin: null`) signs in; and a form on another site that posts to the app is
 * still refused. Screenshots go to test/e2e/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SecSignIdSimulator } from 'passport-push/testing';
import { createDemoApp } from '../../example-app/app';
import { providerFromEnv, type DemoProvider } from '../../example-app/providers';
import { createApp as createMinimalApp } from '../../examples/minimal';
import { launchChromium } from './browser';

const shots = path.join(__dirname, 'screenshots');
let browser: Browser;
let demo: DemoProvider;
let demoServer: Server;
let base: string;

function listen(
  app: Express | ((req: IncomingMessage, res: ServerResponse) => void),
  host = '127.0.0.1',
): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(app);
    server.listen(0, host, () => resolve(server));
  });
}
const urlOf = (server: Server, host = '127.0.0.1') =>
  `http://${host}:${(server.address() as AddressInfo).port}`;
const close = (server: Server | undefined) =>
  new Promise((resolve) => (server ? server.close(resolve) : resolve(0)));

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  demo = await providerFromEnv({ PUSH_PROVIDER: 'secsign' });
  const app = createDemoApp({
    provider: demo.provider,
    phone: demo.phone,
    providerLabel: demo.label,
    simulated: demo.simulated,
    hint: demo.hint,
    sessionSecret: 'e2e',
    strategy: { limiter: false },
  });
  demoServer = await listen(app);
  base = urlOf(demoServer);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await close(demoServer);
  await demo?.close();
});

/** A fresh browser (own cookies) at the demo's wait page for `userId`. */
async function waitPage(
  userId: string,
  javaScriptEnabled = true,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', userId);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/auth/push/wait`);
  return { context, page };
}

/** The page is the app's HTML login page, not a JSON body. */
async function expectLoginPage(page: Page): Promise<void> {
  expect(await page.locator('#username').isVisible()).toBe(true);
  expect(await page.textContent('body')).not.toContain('"error"');
}

test.each([
  ['on', true],
  ['off', false],
])('Cancel on the wait page (JavaScript %s) lands on the login page', async (name, javaScriptEnabled) => {
  const { context, page } = await waitPage('bob', javaScriptEnabled);
  await page.screenshot({ path: path.join(shots, `cancel-js-${name}-1-wait.png`), fullPage: true });
  const answer = page.waitForResponse((r) => r.url() === `${base}/auth/push/cancel`);
  await page.click('#push-cancel button');
  expect((await answer).status()).toBe(303);
  // The demo keeps the ID (retryWithUserId): the form has it again.
  await page.waitForURL(`${base}/login?push=cancelled&id=bob`);
  await expectLoginPage(page);
  expect(await page.inputValue('#username')).toBe('bob');
  await page.screenshot({ path: path.join(shots, `cancel-js-${name}-2-login.png`), fullPage: true });
  expect(demo.phone?.pending('bob')).toEqual([]);
  await context.close();
});

test('Try again after the request expired starts over, and the second login completes', async () => {
  const { context, page } = await waitPage('carol');
  const [first] = demo.phone?.pending('carol') ?? [];
  if (!first) throw new Error('no pending request for carol');
  demo.phone?.expire(first.id);
  await page.locator('#push-retry-link').waitFor();
  await page.screenshot({ path: path.join(shots, 'try-again-1-expired.png'), fullPage: true });
  await page.click('#push-retry-link');
  await page.waitForURL(/\/login/);
  await expectLoginPage(page);

  await page.fill('#username', 'carol');
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/auth/push/wait`);
  const pass = (await page.getAttribute('#push-access-pass', 'src')) as string;
  const [second] = demo.phone?.pending('carol') ?? [];
  if (!second?.choices) throw new Error('no second request for carol');
  expect(demo.phone?.approve(second.id, second.choices.indexOf(pass))).toBe(true);
  await page.waitForURL(`${base}/`);
  expect(await page.textContent('#profile-id')).toBe('carol');
  await context.close();
});

test('an app behind helmet() with its defaults signs in (README Usage, SecSign ID)', async () => {
  const sim = await SecSignIdSimulator.start({ users: ['alice'] });
  const app = express();
  app.use(helmet());
  app.use(
    createMinimalApp({
      sessionSecret: 'e2e',
      secsign: { endpoint: sim.url, fallbackEndpoint: null, allowInsecureHttp: true },
    }),
  );
  const server = await listen(app);
  const appUrl = urlOf(server);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const login = await page.goto(`${appUrl}/login`);
    expect(login?.headers()['referrer-policy']).toBe('no-referrer');
    await page.fill('input[name=username]', 'alice');
    await page.screenshot({ path: path.join(shots, 'helmet-1-login.png'), fullPage: true });
    await page.click('button[type=submit]');
    await page.waitForURL(`${appUrl}/auth/push/wait`);
    await page.screenshot({ path: path.join(shots, 'helmet-2-wait.png'), fullPage: true });

    const pass = (await page.getAttribute('#push-access-pass', 'src')) as string;
    const [pending] = sim.phone.pending('alice');
    if (!pending?.choices) throw new Error('no pending request for alice');
    expect(sim.phone.approve(pending.id, pending.choices.indexOf(pass))).toBe(true);
    await page.waitForURL(`${appUrl}/`, { timeout: 15_000 });
    expect(await page.textContent('#user')).toBe('Hello Alice');
    await page.screenshot({ path: path.join(shots, 'helmet-3-home.png'), fullPage: true });
  } finally {
    await context.close();
    await close(server);
    await sim.close();
  }
});

describe('a form on another site that posts to the app', () => {
  /** The attacker's page: a form that posts a start for alice to the demo, encoded as `enctype`. */
  const attackerPage = (enctype: string) => {
    // text/plain sends `name=value`: this pair makes the body the JSON {"username":"alice","x":"="}.
    const [name, value] =
      enctype === 'text/plain' ? ['{"username":"alice","x":"', '"}'] : ['username', 'alice'];
    const html = `<!doctype html><title>Win a prize</title>
      <form method="post" action="${base}/auth/push/start" enctype="${enctype}">
        <input type="hidden" name='${name}' value='${value}'><button type="submit">Claim</button>
      </form>`;
    return (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(html);
    };
  };

  test.each([
    ['another site (127.0.0.2)', '127.0.0.2', 'application/x-www-form-urlencoded'],
    ['another site, text/plain', '127.0.0.2', 'text/plain'],
    ['the same host on another port (same-site)', '127.0.0.1', 'application/x-www-form-urlencoded'],
  ])('from %s: refused, nothing pushed to the phone', async (_name, host, enctype) => {
    const attacker = await listen(attackerPage(enctype), host);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${urlOf(attacker, host)}/`);
      const answer = page.waitForResponse((r) => r.url() === `${base}/auth/push/start`);
      await page.click('button[type=submit]');
      expect((await answer).status()).toBe(303);
      await page.waitForURL(`${base}/login?push=cross_origin`);
      await expectLoginPage(page);
      await page.screenshot({
        path: path.join(shots, `cross-site-${host}-${enctype.replace('/', '-')}.png`),
      });
      expect(demo.phone?.pending('alice')).toEqual([]);
    } finally {
      await context.close();
      await close(attacker);
    }
  });
});

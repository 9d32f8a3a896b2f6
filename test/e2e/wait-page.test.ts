/**
 * The wait page as users meet it, in the demo's own layout: English, German and Swedish, at phone
 * (375 px) and desktop width, in each state (pending, opened on the phone, denied, superseded by
 * another tab, expired). Every page is checked with axe (no serious or critical violations) and
 * photographed to test/e2e/screenshots/wait-<locale>-<width>-<state>.png.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, expectAccessible, statusStreamOpened } from './browser';
import { screenshotDir, startDemo, type RunningDemo } from './demo-server';

let shots: string;
let browser: Browser;
let running: RunningDemo;
let base: string;

beforeAll(async () => {
  shots = screenshotDir();
  // Each locale and width starts several logins for the same demo IDs in a row.
  running = await startDemo('secsign', { limiter: false });
  base = running.base;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** Refuses the page's status stream (`GET events`): the wait page then polls `GET status`. */
async function refuseStream(page: Page): Promise<void> {
  await page.route('**/auth/push/events**', (route) => route.fulfill({ status: 404, body: '' }));
}

async function startLogin(page: Page, userId: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#username', userId);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/auth/push/wait`);
}

const texts = {
  en: { denied: /denied on the phone/, title: 'Login denied', retry: 'Try again', superseded: /another tab/ },
  de: {
    denied: /auf dem Telefon abgelehnt/,
    title: 'Anmeldung abgelehnt',
    retry: 'Erneut versuchen',
    superseded: /anderen Tab/,
  },
  sv: {
    denied: /nekades i telefonen/,
    title: 'Inloggningen nekades',
    retry: 'Försök igen',
    superseded: /annan flik/,
  },
} as const;

const widths = [
  { name: '375', viewport: { width: 375, height: 812 } },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
];

describe.each(Object.keys(texts) as (keyof typeof texts)[])('in %s', (locale) => {
  test.each(widths)(
    'every state at $name px: readable, accessible, photographed',
    async ({ name, viewport }) => {
      const context = await browser.newContext({ locale, viewport });
      const shot = (page: Page, state: string) =>
        page.screenshot({ path: path.join(shots, `wait-${locale}-${name}-${state}.png`), fullPage: true });
      try {
        const login = await context.newPage();
        await login.goto(`${base}/login`);
        await expectAccessible(login, 'login');
        await shot(login, '0-login');
        await startLogin(login, 'bob');
        expect(await login.getAttribute('html', 'lang')).toBe(locale);
        expect(await login.locator('header.topbar').count()).toBe(1); // the demo's own layout
        await expectAccessible(login, 'wait pending');
        await shot(login, '1-pending');

        const phone = await context.newPage();
        await phone.goto(`${base}/phone`);
        await phone.locator('section.request:has-text("bob")').waitFor();
        await expectAccessible(phone, 'phone');
        await shot(phone, '2-phone');
        await login.locator('#push-status[data-state="fetched"]').waitFor();
        await expectAccessible(login, 'wait fetched');
        await shot(login, '3-fetched');

        await phone.reload();
        await phone.locator('section.request:has-text("bob") button.danger').click();
        await login.locator('#push-status[data-state="denied"]').waitFor();
        expect(await login.textContent('#push-status')).toMatch(texts[locale].denied);
        expect(await login.title()).toMatch(new RegExp(`^${texts[locale].title} · `));
        // The login ended: focus is on the next action, here Try again (a denial is not re-sent).
        expect(await login.evaluate(() => document.activeElement?.id)).toBe('push-retry-link');
        expect(await login.textContent('#push-retry-link')).toBe(texts[locale].retry);
        await expectAccessible(login, 'wait denied');
        await shot(login, '4-denied');

        // Tab A waits; tab B of the same session starts a newer login: A learns it was superseded.
        const streaming = statusStreamOpened(login);
        await startLogin(login, 'alice');
        // B starts only once A's stream is open (not while A's first request may still be on the
        // way, carrying the cookie B's start replaces).
        await streaming;
        const tabB = await context.newPage();
        // Tab B's states are driven through the status route below: its stream is refused, so it polls.
        await refuseStream(tabB);
        await startLogin(tabB, 'alice');
        await login.locator('#push-status[data-state="superseded"]').waitFor();
        expect(await login.textContent('#push-status')).toMatch(texts[locale].superseded);
        expect(await login.evaluate(() => document.activeElement?.id)).toBe('push-show-newer');
        await expectAccessible(login, 'wait superseded');
        await shot(login, '5-superseded');

        // Tab B runs out of time (the status answer is made to say so: no clock is waited for).
        await tabB.route('**/auth/push/status**', (route) =>
          route.fulfill({
            status: 410,
            contentType: 'application/json',
            body: JSON.stringify({ state: 'expired', message: 'The login request expired.' }),
          }),
        );
        await tabB.locator('#push-status[data-state="expired"]').waitFor();
        // An expired request may be sent again: that is the next action.
        expect(await tabB.evaluate(() => document.activeElement?.closest('form')?.id)).toBe(
          'push-send-again',
        );
        await expectAccessible(tabB, 'wait expired');
        await shot(tabB, '6-expired');
      } finally {
        await context.close();
      }
    },
    // Seven axe runs and seven screenshots: a busy machine needs more than the default minute.
    180_000,
  );
});

test('a superseded tab whose follow poll lands while the newer tab signs in still follows it', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  try {
    const older = await context.newPage();
    const streaming = statusStreamOpened(older);
    await startLogin(older, 'carol');
    await streaming;
    // The older tab's first follow poll lands in the window of the newer tab's sign-in: the server
    // has replaced the session the poll's cookie names, and the browser has no new cookie yet, so
    // the answer is "no login". The route gives that answer, and says when it did.
    let answeredNone!: () => void;
    const noLogin = new Promise<void>((resolve) => (answeredNone = resolve));
    await older.route(
      '**/auth/push/status**',
      async (route) => {
        await route.fulfill({ status: 404, contentType: 'application/json', body: '{"state":"none"}' });
        answeredNone();
      },
      { times: 1 },
    );
    const newer = await context.newPage();
    await startLogin(newer, 'carol');
    await older.locator('#push-status[data-state="superseded"]').waitFor();
    await noLogin;

    const pass = await newer.getAttribute('#push-access-pass', 'src');
    const [request] = running.demo.phone?.pending('carol') ?? [];
    if (!request?.choices || pass === null)
      throw new Error("no request with access passes reached carol's phone");
    expect(running.demo.phone?.approve(request.id, request.choices.indexOf(pass))).toBe(true);
    await newer.waitForURL(`${base}/`);
    // The older tab did not stop at "no login": it goes on signed in too.
    await older.waitForURL(`${base}/`);
    expect(await older.textContent('#profile-id')).toBe('carol');
  } finally {
    await context.close();
  }
});

test('Send again starts a new login for the same ID from the ended wait page', async () => {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 375, height: 812 } });
  try {
    const login = await context.newPage();
    await refuseStream(login); // its states are driven through the status route: it must poll
    await startLogin(login, 'carol');
    const first = await login.getAttribute('#push-wait', 'data-challenge-id');
    await login.route('**/auth/push/status**', (route) =>
      route.fulfill({ status: 410, contentType: 'application/json', body: '{"state":"expired"}' }),
    );
    await login.locator('#push-status[data-state="expired"]').waitFor();
    await login.unroute('**/auth/push/status**');
    await login.keyboard.press('Enter'); // focus is on Send again: the keyboard alone goes on
    await login.locator(`#push-wait:not([data-challenge-id="${first}"])`).waitFor();
    expect(await login.getAttribute('#push-wait', 'data-challenge-id')).not.toBe(first);
    expect(await login.textContent('.push-user strong')).toBe('carol');
  } finally {
    await context.close();
  }
});

test('Cancel on the wait page goes back to the login page, which says why', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  try {
    const login = await context.newPage();
    await refuseStream(login); // its states are driven through the status route: it must poll
    await startLogin(login, 'carol');
    await login.click('#push-cancel button');
    // The demo keeps the ID (retryWithUserId): the form has it again.
    await login.waitForURL(`${base}/login?push=cancelled&id=carol`);
    expect(await login.textContent('.alert')).toMatch(/cancelled/);
    expect(await login.inputValue('#username')).toBe('carol');
  } finally {
    await context.close();
  }
});

test('the phone page updates without reloading: keyboard focus stays where it was', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  try {
    const phone = await context.newPage();
    await phone.goto(`${base}/phone`);
    expect(await phone.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await phone.focus('a.brand');
    const login = await context.newPage();
    await startLogin(login, 'alice');
    // This login's own request: the phone may still list alice's requests of the tests before.
    const [request] = running.demo.phone?.pending('alice') ?? [];
    if (!request) throw new Error("no request reached alice's phone");
    await phone.locator(`section.request[data-request-id="${request.id}"]`).waitFor();
    expect(await phone.evaluate(() => document.activeElement?.className)).toBe('brand');
  } finally {
    await context.close();
  }
});

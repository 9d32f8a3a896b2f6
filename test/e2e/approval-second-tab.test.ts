/**
 * A payment's wait page open in two tabs of one browser (the demo's "send money", Duo): the phone
 * answers once, and both tabs end in the payment's words, never as a login ("signed in", the
 * login's redirect); a newer payment asked in one tab shows the other as replaced, of the action.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startDemo, type RunningDemo } from './demo-server';

const USER = 'alice';
const LOGIN_WORDS = /log ?in|sign(ing)? (you )?in/i;

let browser: Browser;
let running: RunningDemo | undefined;
let user: BrowserContext | undefined;
let phone: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await user?.close();
  await phone?.context().close();
  await running?.close();
  running = undefined;
});

/** The demo on Duo, a signed-in browser (JavaScript on or off) and the phone. */
async function signedIn(javaScript: boolean): Promise<{ base: string; tab1: Page }> {
  running = await startDemo('duo', { limiter: false });
  const base = running.base;
  user = await browser.newContext({ javaScriptEnabled: javaScript, locale: 'en-GB' });
  phone = await (await browser.newContext()).newPage();
  const tab1 = await user.newPage();
  await tab1.goto(`${base}/login`);
  await tab1.fill('#username', USER);
  await tab1.click('button[type=submit]');
  await tab1.waitForURL(`${base}/auth/push/wait`);
  await phone.goto(`${base}/phone`);
  await tapOnPhone('button.primary');
  await tab1.waitForURL(`${base}/`, { timeout: 20_000 });
  return { base, tab1 };
}

/** Taps a button of the phone's newest request for the user. */
async function tapOnPhone(button: string): Promise<void> {
  const request = (phone as Page).locator(`section.request:has-text("${USER}")`).first();
  await request.waitFor();
  await request.locator(button).first().click();
}

/** Asks to send `amount` in `tab`: its wait page. */
async function askToSend(base: string, tab: Page, amount: string): Promise<void> {
  await tab.goto(`${base}/send`);
  await tab.fill('#amount', amount);
  await tab.fill('#payee', 'Anna Berg');
  await tab.fill('#reference', 'Rent May');
  await tab.click('#send-money button[type=submit]');
  await tab.waitForURL(`${base}/send/push/wait`);
}

/** A payment asked in tab 1 and its wait page open in a second tab; the phone then answers `button`. */
async function bothTabsWaiting(javaScript: boolean, button: string) {
  const { base, tab1 } = await signedIn(javaScript);
  await askToSend(base, tab1, '500.00');
  const tab2 = await (user as BrowserContext).newPage();
  await tab2.goto(`${base}/send/push/wait`);
  await tab2.locator('#push-action').waitFor();
  await (phone as Page).reload();
  await tapOnPhone(button);
  return { base, tab1, tab2 };
}

test('with JavaScript: denied on the phone, both tabs say the payment was not approved', async () => {
  const { base, tab1, tab2 } = await bothTabsWaiting(true, 'button.danger');
  for (const tab of [tab1, tab2]) {
    await tab.locator('#push-status[data-state="denied"]').waitFor({ timeout: 20_000 });
    expect(await tab.textContent('#push-status')).toMatch(/not approved/i);
    expect(await tab.textContent('#push-status')).not.toMatch(LOGIN_WORDS);
    expect(tab.url()).toBe(`${base}/send/push/wait`);
  }
});

test('with JavaScript: approved on the phone, both tabs leave for the payment, neither as a login', async () => {
  const { base, tab1, tab2 } = await bothTabsWaiting(true, 'button.primary');
  // One tab sends the payment (its receipt); the other lands on the payment's confirm route, which
  // finds the approval used: it never goes to the login's redirect (`/`).
  for (const tab of [tab1, tab2]) {
    await tab.waitForURL(/\/send\/(receipt\/[\w-]+|confirm)$/, { timeout: 20_000 });
  }
  await tab1.goto(`${base}/send`);
  expect(await tab1.locator('#transfers li').count()).toBe(1);
});

test('with JavaScript: a newer payment asked in the other tab shows this one as replaced, of the action', async () => {
  const { base, tab1 } = await signedIn(true);
  await askToSend(base, tab1, '500.00');
  const tab2 = await (user as BrowserContext).newPage();
  await askToSend(base, tab2, '20.00');
  await tab1.locator('#push-status[data-state="superseded"]').waitFor({ timeout: 20_000 });
  const replaced = (await tab1.textContent('#push-status')) ?? '';
  expect(replaced).toMatch(/this action was not approved/);
  expect(replaced).not.toMatch(LOGIN_WORDS);
  expect(await tab1.textContent('#push-show-newer')).toBe('Show the newer request');
});

test('without JavaScript: denied on the phone, the second tab refreshes to the payment not approved', async () => {
  const { base, tab1, tab2 } = await bothTabsWaiting(false, 'button.danger');
  for (const tab of [tab1, tab2]) {
    // No poller: the <noscript> refresh asks about its own challenge, which ended denied.
    await tab.waitForURL(`${base}/send?push=denied`, { timeout: 30_000 });
    expect(await tab.textContent('.alert')).toMatch(/payment was not approved/i);
  }
});

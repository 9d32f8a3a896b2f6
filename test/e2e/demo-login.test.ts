/**
 * The demo in a real browser: type an ID, see the access pass, open the phone in a second tab,
 * pick the matching pass, land on the profile. Then the deny and wrong-pass paths. Screenshots of
 * every page go to test/e2e/screenshots/ (git-ignored).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { screenshotDir, startDemo, type RunningDemo } from './demo-server';

let shots: string;
let browser: Browser;
let running: RunningDemo;
let base: string;

beforeAll(async () => {
  shots = screenshotDir();
  running = await startDemo('secsign');
  base = running.base;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** A fresh browser (own cookies) on a phone-sized screen, with the login started for `userId`. */
async function startLogin(
  userId: string,
  shot: string,
): Promise<{ login: Page; phone: Page; passSrc: string }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const login = await context.newPage();
  await login.goto(`${base}/login`);
  await login.screenshot({ path: path.join(shots, `${shot}-1-login.png`), fullPage: true });
  await login.fill('#username', userId);
  await login.click('button[type=submit]');
  await login.waitForURL(`${base}/auth/push/wait`);
  const passSrc = await login.getAttribute('#push-access-pass', 'src');
  expect(passSrc).toMatch(/^data:image\/png;base64,/);
  await login.screenshot({ path: path.join(shots, `${shot}-2-wait.png`), fullPage: true });

  const phone = await context.newPage();
  await phone.goto(`${base}/phone`);
  await phone.locator(`section.request:has-text("${userId}")`).waitFor();
  await phone.screenshot({ path: path.join(shots, `${shot}-3-phone.png`), fullPage: true });
  // The phone opened the request: the wait page says so without a reload.
  await login.locator('#push-status[data-state="fetched"]').waitFor();
  return { login, phone, passSrc: passSrc as string };
}

/** Index of the phone's choice that shows the same pass as the login page (or another one). */
async function choiceIndex(phone: Page, userId: string, passSrc: string, matching: boolean): Promise<number> {
  const sources = await phone
    .locator(`section.request:has-text("${userId}") button.pass img`)
    .evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')));
  expect(sources.length).toBeGreaterThan(1);
  const index = sources.findIndex((src) => (src === passSrc) === matching);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

async function pick(phone: Page, userId: string, index: number): Promise<void> {
  await phone.locator(`section.request:has-text("${userId}") button.pass`).nth(index).click();
}

test('approve with the matching access pass: logged in on the profile page', async () => {
  const { login, phone, passSrc } = await startLogin('alice', 'approve');
  await pick(phone, 'alice', await choiceIndex(phone, 'alice', passSrc, true));
  await login.waitForURL(`${base}/`);
  expect(await login.textContent('#profile-id')).toBe('alice');
  await login.screenshot({ path: path.join(shots, 'approve-4-profile.png'), fullPage: true });
  await login.click('text=Sign out');
  await login.waitForURL(`${base}/login`);
});

test('deny on the phone: the wait page says so and offers to try again', async () => {
  const { login, phone } = await startLogin('bob', 'deny');
  await phone.locator('section.request:has-text("bob") button.danger').click();
  await login.locator('#push-status[data-state="denied"]').waitFor();
  expect(await login.textContent('#push-status')).toMatch(/denied/i);
  expect(await login.isVisible('#push-retry-link')).toBe(true);
  await login.screenshot({ path: path.join(shots, 'deny-4-denied.png'), fullPage: true });
  await login.click('#push-retry-link');
  // Try again keeps the typed ID and says why the last login ended.
  await login.waitForURL(`${base}/login?id=bob&push=denied`);
  expect(await login.inputValue('#username')).toBe('bob');
  expect(await login.textContent('.alert')).toMatch(/denied on the phone/);
});

test('the wrong access pass is refused and the login stays pending until the right one', async () => {
  const { login, phone, passSrc } = await startLogin('carol', 'wrong-pass');
  await pick(phone, 'carol', await choiceIndex(phone, 'carol', passSrc, false));
  await phone.locator('.alert', { hasText: 'not the access pass' }).waitFor();
  await phone.screenshot({ path: path.join(shots, 'wrong-pass-4-phone-notice.png'), fullPage: true });
  expect(login.url()).toBe(`${base}/auth/push/wait`);
  await pick(phone, 'carol', await choiceIndex(phone, 'carol', passSrc, true));
  await login.waitForURL(`${base}/`);
  expect(await login.textContent('#profile-id')).toBe('carol');
});

test('with JavaScript turned off the wait page refreshes itself until the login completes', async () => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
  });
  const login = await context.newPage();
  await login.goto(`${base}/login`);
  await login.fill('#username', 'alice');
  await login.click('button[type=submit]');
  await login.waitForURL(`${base}/auth/push/wait`);
  const passSrc = (await login.getAttribute('#push-access-pass', 'src')) as string;
  expect(passSrc).toMatch(/^data:image\/png;base64,/);
  await login.screenshot({ path: path.join(shots, 'nojs-1-wait.png'), fullPage: true });

  const phone = await context.newPage(); // the phone page is plain HTML forms: no JavaScript needed
  await phone.goto(`${base}/phone`);
  await phone.locator('section.request:has-text("alice")').waitFor();
  await pick(phone, 'alice', await choiceIndex(phone, 'alice', passSrc, true));
  // No poller: the <noscript> refresh brings the page to the status, which redirects to the profile.
  await login.waitForURL(`${base}/`, { timeout: 15_000 });
  expect(await login.textContent('#profile-id')).toBe('alice');
  await context.close();
});

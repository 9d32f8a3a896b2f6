/**
 * The demo on Duo in Chromium (the embedded Duo simulator checks every request's signature): a
 * Duo Push approved on the simulated phone logs in; a denial and a fraud report end the login
 * with their messages. Screenshots go to test/e2e/screenshots/ (git-ignored).
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
  running = await startDemo('duo', { limiter: false });
  base = running.base;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** A fresh browser with a push sent to `userId`, and the phone showing it. */
async function startLogin(userId: string, shot: string): Promise<{ login: Page; phone: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const login = await context.newPage();
  await login.goto(`${base}/login`);
  await login.fill('#username', userId);
  await login.click('button[type=submit]');
  await login.waitForURL(`${base}/auth/push/wait`);
  await login.screenshot({ path: path.join(shots, `${shot}-1-wait.png`), fullPage: true });
  const phone = await context.newPage();
  await phone.goto(`${base}/phone`);
  await phone.locator(`section.request:has-text("${userId}")`).waitFor();
  await phone.screenshot({ path: path.join(shots, `${shot}-2-phone.png`), fullPage: true });
  return { login, phone };
}

test('approve the Duo Push on the phone: logged in on the profile page', async () => {
  const { login, phone } = await startLogin('alice', 'duo-approve');
  await login.locator('#push-hint', { hasText: 'We sent a login request to your phone.' }).waitFor();
  await phone.locator('section.request:has-text("alice") button.primary').click();
  await login.waitForURL(`${base}/`);
  expect(await login.textContent('#profile-id')).toBe('alice');
  expect(await login.textContent('#profile-provider')).toBe('Duo');
  await login.screenshot({ path: path.join(shots, 'duo-approve-3-profile.png'), fullPage: true });
});

test('deny on the phone: the wait page says the login was denied', async () => {
  const { login, phone } = await startLogin('bob', 'duo-deny');
  await phone.locator('section.request:has-text("bob") button', { hasText: /^Deny$/ }).click();
  await login.locator('#push-status[data-state="denied"]').waitFor();
  expect(await login.textContent('#push-status')).toMatch(/denied on the phone/);
  await login.screenshot({ path: path.join(shots, 'duo-deny-3-denied.png'), fullPage: true });
});

test('report fraud on the phone: the wait page says it was reported and blocked', async () => {
  const { login, phone } = await startLogin('carol', 'duo-fraud');
  await phone.locator('section.request:has-text("carol") button', { hasText: 'report fraud' }).click();
  await login.locator('#push-status[data-state="denied"]').waitFor();
  await login
    .locator('#push-hint', { hasText: 'The login was reported as fraudulent and blocked.' })
    .waitFor();
  await login.screenshot({ path: path.join(shots, 'duo-fraud-3-reported.png'), fullPage: true });
});

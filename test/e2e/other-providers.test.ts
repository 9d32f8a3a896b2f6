/**
 * The same demo on the other providers: Authentiq8 Me (simulated) and OpenID CIBA (a real
 * oidc-provider). No access pass here: the wait page shows an instruction or a binding message,
 * and the phone has one Approve button.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { screenshotDir, startDemo } from './demo-server';

let shots: string;
let browser: Browser;

beforeAll(async () => {
  shots = screenshotDir();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

test.each(['authentiq8', 'ciba'])('%s: approve on the phone and land on the profile', async (kind) => {
  const running = await startDemo(kind);
  const base = running.base;
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const login = await context.newPage();
    await login.goto(`${base}/login`);
    await login.fill('#username', 'alice');
    await login.click('button[type=submit]');
    await login.waitForURL(`${base}/auth/push/wait`);
    if (kind === 'ciba') expect(await login.textContent('#push-binding')).toMatch(/^[A-Z0-9]{4,8}$/);
    await login.screenshot({ path: path.join(shots, `${kind}-wait.png`), fullPage: true });

    const phone = await context.newPage();
    await phone.goto(`${base}/phone`);
    const request = phone.locator('section.request:has-text("alice")');
    await request.waitFor();
    if (kind === 'ciba') {
      // The phone shows the same binding message as the login page.
      expect(await request.locator('.code').textContent()).toBe(await login.textContent('#push-binding'));
    }
    await phone.screenshot({ path: path.join(shots, `${kind}-phone.png`), fullPage: true });
    await request.locator('button.primary').click();
    await login.waitForURL(`${base}/`, { timeout: 20_000 });
    expect(await login.textContent('#profile-id')).toBe('alice');
    await context.close();
  } finally {
    await running.close();
  }
});

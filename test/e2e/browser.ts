/** Debian's chromium through playwright-core (no browser download), with flags for a closed network. */
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@jest/globals';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** No serious or critical accessibility violations (axe) on the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

/**
 * Resolves once `page` has opened a status stream (`GET …/events`, its answer's headers arrived):
 * from then on the server holds the page's login, and another tab's newer start cannot overtake
 * the page's first request (which carries the cookie that start replaces). Call it before the
 * navigation that opens the stream.
 */
export async function statusStreamOpened(page: Page): Promise<void> {
  const response = await page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
  expect(response.status()).toBe(200);
}

/**
 * Presses the demo BankID app's "Scan the QR code" in `order` until the scan is taken. The app scans
 * the QR code the wait page showed last, which changes every second: on a busy machine it can be
 * stale, and the app says "scan again", as the real one does.
 */
export async function scanBankIdQr(order: Locator, attempts = 10): Promise<void> {
  const scan = order.locator('button', { hasText: 'Scan the QR code' });
  for (let attempt = 0; attempt < attempts; attempt++) {
    await scan.click();
    if ((await scan.count()) === 0) return;
  }
  throw new Error(`the QR code was stale at each of ${attempts} scans`);
}

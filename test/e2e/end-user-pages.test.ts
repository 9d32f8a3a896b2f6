/**
 * What an end user reads when a login does not simply go through, in English, German and Swedish:
 * an unknown ID (the cause named, the ID kept, the typo fixed at once), a denial, an expiry, a
 * cancel, a tab superseded by a newer login (it follows that login once it signs in), and a BankID
 * order that ended (no live "open the app" control, with and without JavaScript). The phone is
 * driven through the simulators' phone APIs; every page is checked with axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bankIdTexts } from '../../lib/providers/bankid/texts';
import { secSignIdTexts } from '../../lib/providers/secsign-id/texts';
import type { Phone } from '../../lib/testing/simulator';
import { catalogueFor, type Catalogue } from '../../lib/web/messages';
import { launchChromium, expectAccessible, statusStreamOpened } from './browser';
import { startDemo, type RunningDemo } from './demo-server';

const locales = ['en', 'de', 'sv'] as const;
type Locale = (typeof locales)[number];

let browser: Browser;
let secsign: RunningDemo;
let bankid: RunningDemo;

beforeAll(async () => {
  // Each language starts several logins for the same demo IDs in a row.
  [secsign, bankid] = await Promise.all([
    startDemo('secsign', { limiter: false }),
    startDemo('bankid', { limiter: false }),
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([secsign?.close(), bankid?.close()]);
});

function phoneOf(running: RunningDemo): Phone {
  const phone = running.demo.phone ?? running.demo.bankIdSimulator?.phone;
  if (!phone) throw new Error('the demo has no simulated phone');
  return phone;
}

/** A fresh browser in `locale` (own cookies), with or without JavaScript. */
function contextIn(locale: Locale, javaScriptEnabled = true): Promise<BrowserContext> {
  return browser.newContext({ locale, javaScriptEnabled, viewport: { width: 390, height: 844 } });
}

/** Types `userId` on the demo's login page and sends it. */
async function submitId(page: Page, base: string, userId: string): Promise<void> {
  if (!page.url().startsWith(`${base}/login`)) await page.goto(`${base}/login`);
  await page.fill('#username', userId);
  await page.click('button[type=submit]');
}

/** Starts a SecSign login for `userId` and returns the phone's request for it, newest first. */
async function startSecSign(page: Page, userId: string): Promise<string> {
  await submitId(page, secsign.base, userId);
  await page.waitForURL(`${secsign.base}/auth/push/wait`);
  const [request] = phoneOf(secsign).pending(userId);
  if (!request) throw new Error(`no request reached ${userId}'s phone`);
  return request.id;
}

/** The phone picks the right access pass (a wrong pick is refused and changes nothing). */
function approveOnPhone(id: string): void {
  const phone = phoneOf(secsign);
  const request = phone.pending().find((r) => r.id === id);
  const picked = (request?.choices ?? [undefined]).some((_, i) =>
    phone.approve(id, request?.choices ? i : undefined),
  );
  if (!picked) throw new Error('the phone could not approve');
}

const secsignText = (locale: Locale): Catalogue => catalogueFor(locale, {}, secSignIdTexts);

/** The ended wait page shows neither the access pass nor its "pick the pass" caption. */
async function expectNoStaleCue(page: Page): Promise<void> {
  expect(await page.locator('#push-access-pass').isVisible()).toBe(false);
  expect(await page.locator('#push-cancel').isVisible()).toBe(false);
}

/** The provider's hint for the same ending (its own "denied") is not shown under the status again. */
async function expectSaidOnce(page: Page): Promise<void> {
  const shown = await page.innerText('#push-wait');
  const hint = await page.textContent('#push-hint');
  if (hint) expect(shown.split(hint.replace(/\.$/, '')).length - 1).toBeLessThanOrEqual(1);
}

describe.each(locales)('in %s', (locale) => {
  const m = secsignText(locale);

  test('an unknown ID names the cause and keeps the ID; the corrected ID then logs in', async () => {
    const context = await contextIn(locale);
    try {
      const page = await context.newPage();
      await submitId(page, secsign.base, 'bobb');
      await page.waitForURL(/\/login\?/);
      expect(new URL(page.url()).searchParams.get('push')).toBe('unknown_user');
      expect(await page.textContent('.alert')).toBe(m['error.unknown_user']);
      expect(await page.inputValue('#username')).toBe('bobb');
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await expectAccessible(page, 'unknown ID');

      // The typo fixed in the kept field: the corrected ID logs in.
      const id = await startSecSign(page, 'bob');
      approveOnPhone(id);
      await page.waitForURL(`${secsign.base}/`);
      expect(await page.textContent('#profile-id')).toBe('bob');
    } finally {
      await context.close();
    }
  });

  test('a denial says so once, shows no stale cue, and offers Try again', async () => {
    const context = await contextIn(locale);
    try {
      const page = await context.newPage();
      const id = await startSecSign(page, 'alice');
      phoneOf(secsign).deny(id);
      await page.locator('#push-status[data-state="denied"]').waitFor();
      expect(await page.textContent('#push-status')).toBe(m['state.denied']);
      await expectSaidOnce(page);
      await expectNoStaleCue(page);
      expect(await page.locator('#push-retry-link').isVisible()).toBe(true);
      await expectAccessible(page, 'denied');
    } finally {
      await context.close();
    }
  });

  test('an expired login drops the access pass and offers Send again', async () => {
    const context = await contextIn(locale);
    try {
      const page = await context.newPage();
      const id = await startSecSign(page, 'carol');
      expect(await page.locator('#push-access-pass').isVisible()).toBe(true);
      phoneOf(secsign).expire(id);
      await page.locator('#push-status[data-state="expired"]').waitFor();
      expect(await page.textContent('#push-status')).toBe(m['state.expired']);
      await expectSaidOnce(page);
      await expectNoStaleCue(page);
      expect(await page.innerText('#push-wait')).not.toContain(m['pass.caption']);
      expect(await page.locator('#push-send-again').isVisible()).toBe(true);
      await expectAccessible(page, 'expired');
    } finally {
      await context.close();
    }
  });

  test('Cancel goes back to the login page, which says what happened and keeps the ID', async () => {
    const context = await contextIn(locale);
    try {
      const page = await context.newPage();
      await startSecSign(page, 'carol');
      await page.click('#push-cancel button');
      await page.waitForURL(/\/login\?push=cancelled/);
      expect(await page.textContent('.alert')).toBe(m['state.cancelled']);
      expect(await page.inputValue('#username')).toBe('carol');
      await expectAccessible(page, 'cancelled');
    } finally {
      await context.close();
    }
  });

  test('a tab superseded by a newer login follows it once it signs in', async () => {
    const context = await contextIn(locale);
    try {
      const older = await context.newPage();
      const streaming = statusStreamOpened(older);
      await startSecSign(older, 'bob');
      // The newer login starts once the older tab's stream is open, never while its first request
      // may still be on the way with the cookie the newer start replaces.
      await streaming;
      const newer = await context.newPage();
      const id = await startSecSign(newer, 'bob');
      await older.locator('#push-status[data-state="superseded"]').waitFor();
      expect(await older.textContent('#push-status')).toBe(m['state.superseded']);
      await expectNoStaleCue(older);
      await expectAccessible(older, 'superseded');

      approveOnPhone(id);
      await newer.waitForURL(`${secsign.base}/`);
      // The older tab goes on signed in too, instead of staying "superseded".
      await older.waitForURL(`${secsign.base}/`);
      expect(await older.textContent('#profile-id')).toBe('bob');
    } finally {
      await context.close();
    }
  });

  describe('BankID', () => {
    const b = catalogueFor(locale, {}, bankIdTexts);

    /** Starts a QR login (no personal number) and returns its order on the simulated app. */
    async function startQr(page: Page): Promise<string> {
      await page.goto(`${bankid.base}/login`);
      await page.click('#login-qr');
      await page.waitForURL(`${bankid.base}/auth/push/wait`);
      const [order] = phoneOf(bankid).pending();
      if (!order) throw new Error('no BankID order');
      return order.id;
    }

    test('the QR page asks for a scan, not a notification; the ended order leaves no live launch button', async () => {
      const context = await contextIn(locale);
      try {
        const page = await context.newPage();
        const order = await startQr(page);
        await page.locator('#push-qr').waitFor();
        expect(await page.textContent('#push-status')).toBe(b['state.pending.scan']);
        expect(await page.textContent('.push-help summary')).toBe(b['help.summary.scan']);
        expect(await page.innerText('#push-wait')).not.toContain(b['help.summary']);
        expect(await page.locator('#push-launch').isVisible()).toBe(true);
        await expectAccessible(page, 'BankID QR');

        phoneOf(bankid).expire(order);
        await page.locator('#push-status[data-state="expired"]').waitFor();
        expect(await page.locator('#push-launch').isVisible()).toBe(false);
        expect(await page.locator('#push-qr').isVisible()).toBe(false);
        await expectAccessible(page, 'BankID ended');
      } finally {
        await context.close();
      }
    });

    test('without JavaScript the ended order leaves the wait page for the login page', async () => {
      const context = await contextIn(locale, false);
      try {
        const page = await context.newPage();
        const order = await startQr(page);
        expect(await page.textContent('#push-status')).toBe(b['state.pending.scan']);
        phoneOf(bankid).expire(order);
        // The page refreshes itself: the ended order's refresh lands on the login page.
        await page.waitForURL(/\/login\?push=/);
        expect(await page.locator('#push-launch').count()).toBe(0);
        expect(await page.textContent('.alert')).toBeTruthy();
      } finally {
        await context.close();
      }
    });
  });
});

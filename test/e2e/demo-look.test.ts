/**
 * The demo looks like the real thing: the simulated phone reads like the vendor's app (the
 * service's name, what is asked, the code to compare; no client ids, no raw hint codes), the demo's
 * own words are in the page's language, and the access pass is drawn smoothly at twice its size.
 * Screenshots go to test/e2e/screenshots/look-*.png (git-ignored).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, expectAccessible, scanBankIdQr } from './browser';
import { screenshotDir, startDemo, type RunningDemo } from './demo-server';

const kinds = ['authentiq8', 'ciba', 'bankid', 'secsign'] as const;
type Kind = (typeof kinds)[number];

let shots: string;
let browser: Browser;
const demos = {} as Record<Kind, RunningDemo>;

beforeAll(async () => {
  shots = screenshotDir();
  const started = await Promise.all(kinds.map((kind) => startDemo(kind, { limiter: false })));
  kinds.forEach((kind, i) => (demos[kind] = started[i] as RunningDemo));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(kinds.map((kind) => demos[kind]?.close()));
});

/** Starts a login for alice on `kind`'s demo and opens its simulated phone. */
async function phoneFor(kind: 'authentiq8' | 'ciba'): Promise<{ login: Page; phone: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const login = await context.newPage();
  await login.goto(`${demos[kind].base}/login`);
  await login.fill('#username', 'alice');
  await login.click('button[type=submit]');
  await login.waitForURL(`${demos[kind].base}/auth/push/wait`);
  const phone = await context.newPage();
  await phone.goto(`${demos[kind].base}/phone`);
  await phone.locator('section.request').first().waitFor();
  return { login, phone };
}

test.each(['authentiq8', 'ciba'] as const)(
  "%s: the phone page reads like the vendor's app, without internal ids",
  async (kind) => {
    const { login, phone } = await phoneFor(kind);
    try {
      const request = phone.locator('section.request').first();
      const shown = await request.innerText();
      expect(await request.locator('h2').innerText()).toBe('passport-push demo');
      expect(shown).not.toMatch(/Login to|rp-ping|rp-poll|· as /);
      if (kind === 'ciba') {
        // The code to compare is the one the wait page shows.
        const code = (await login.textContent('#push-binding')) ?? '';
        expect(code).not.toBe('');
        expect(await request.locator('.code').innerText()).toBe(code);
      } else {
        // Authentiq8 asks a question; it is not a "code".
        expect(shown).toContain('Sign in to passport-push demo');
        expect(shown).not.toContain('Code');
      }
      await expectAccessible(phone, `${kind} phone`);
      await phone.screenshot({ path: path.join(shots, `look-${kind}-phone.png`), fullPage: true });
    } finally {
      await phone.context().close();
    }
  },
);

test('the BankID app page shows no raw hint code', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const base = demos.bankid.base;
    const login = await context.newPage();
    await login.goto(`${base}/login`);
    await login.click('#login-qr');
    await login.waitForURL(`${base}/auth/push/wait`);
    const phone = await context.newPage();
    await phone.goto(`${base}/phone`);
    await scanBankIdQr(
      phone.locator('section.request', { has: phone.getByRole('button', { name: /Scan the QR code/ }) }),
    );
    await phone.locator('section.request button', { hasText: 'Enter security code' }).click();
    await login.locator('#push-status[data-state="fetched"]').waitFor();
    await phone.reload();
    const shown = await phone.locator('section.request').first().innerText();
    expect(shown).not.toMatch(/userSign|started|outstandingTransaction/);
    await phone.screenshot({ path: path.join(shots, 'look-bankid-app.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

const chrome = {
  de: { simulated: '(simuliert)', ids: 'Demo-IDs:', people: 'Demo-Personen' },
  sv: { simulated: '(simulerad)', ids: 'Demo-ID:n:', people: 'Demopersoner' },
} as const;

describe.each(Object.keys(chrome) as (keyof typeof chrome)[])('in %s', (locale) => {
  test("the demo's own words are translated", async () => {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${demos.secsign.base}/login`);
      const shown = await page.innerText('main');
      expect(shown).toContain(`SecSign ID ${chrome[locale].simulated}`);
      expect(shown).toContain(chrome[locale].ids);
      expect(shown).not.toMatch(/simulated|Demo IDs/);
      await page.goto(`${demos.bankid.base}/login`);
      expect(await page.innerText('main')).toContain(chrome[locale].people);
      await page.screenshot({ path: path.join(shots, `look-${locale}-login.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

test('the access pass is scaled smoothly, not in pixel steps', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    await page.goto(`${demos.secsign.base}/login`);
    await page.fill('#username', 'carol');
    await page.click('button[type=submit]');
    await page.waitForURL(`${demos.secsign.base}/auth/push/wait`);
    // An anti-aliased 88 px picture shown at 176 px: pixel steps would make its edges jagged.
    const rendering = await page.$eval('#push-access-pass', (img) => getComputedStyle(img).imageRendering);
    expect(rendering).toBe('auto');
    await page.screenshot({ path: path.join(shots, 'look-pass-2x.png') });
    const phone = await context.newPage();
    await phone.goto(`${demos.secsign.base}/phone`);
    const passes = phone.locator('section.request button.pass img');
    await passes.first().waitFor();
    expect(await passes.first().evaluate((img) => getComputedStyle(img).imageRendering)).toBe('auto');
  } finally {
    await context.close();
  }
});

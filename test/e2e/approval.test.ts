/**
 * Approving a payment in Chromium, on the demo's "send money" page: a signed-in user asks to send
 * money, the wait page shows the payment (and says it is not a login), the simulated phone shows
 * it too and approves or denies it, and the transfer runs exactly once. One row per provider in
 * PROVIDERS: how the phone signs in and answers. Screenshots go to test/e2e/screenshots/.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, launchChromium, scanBankIdQr } from './browser';
import { screenshotDir, startDemo, type RunningDemo } from './demo-server';

/** How one provider's phone takes part: who signs in, and the phone's request for it. */
interface ProviderRow {
  /** `PUSH_PROVIDER` of the demo. */
  kind: string;
  /** What the user types on the login page. */
  userId: string;
  /** Submits the login page's form for `userId`. */
  submitLogin(login: Page, userId: string): Promise<void>;
  /** The phone's request for the user, once it has one (opened in the app if it must be). */
  request(phone: Page, login: Page, userId: string): Promise<Locator>;
  /** Approves the request on the phone (SecSign ID: with the access pass the wait page `login` shows). */
  approve(request: Locator, login: Page): Promise<void>;
}

/** Types the user ID into the login page's one form and submits it (all but BankID). */
async function submitUserId(login: Page, userId: string): Promise<void> {
  await login.fill('#username', userId);
  await login.click('button[type=submit]');
}

/** The phone's request for `userId`, once it shows (all but BankID). */
async function requestFor(phone: Page, _login: Page, userId: string): Promise<Locator> {
  const request = phone.locator(`section.request:has-text("${userId}")`).first();
  await request.waitFor();
  return request;
}

/** Approves with the phone's one Approve button (Authentiq8 Me, CIBA, Duo). */
function tapApprove(request: Locator): Promise<void> {
  return request.locator('button.primary').click();
}

const PROVIDERS: readonly ProviderRow[] = [
  {
    kind: 'bankid',
    userId: '198512249874',
    submitLogin: async (login, userId) => {
      await login.fill('#username', userId);
      await login.click('#login-with-id button[type=submit]');
    },
    request: async (phone) => {
      const order = phone.locator('section.request').first();
      await order.waitFor();
      // The app reads the QR code the wait page shows now (no-JS pages show it after a refresh).
      await scanBankIdQr(order, 30);
      return phone.locator('section.request').first();
    },
    approve: (order) => order.locator('button', { hasText: 'Alva Lind' }).click(),
  },
  {
    kind: 'ciba',
    userId: 'alice',
    submitLogin: submitUserId,
    request: requestFor,
    approve: tapApprove,
  },
  {
    kind: 'duo',
    userId: 'alice',
    submitLogin: submitUserId,
    request: requestFor,
    approve: tapApprove,
  },
  {
    // The app shows the push's message: the payment on one line, under "approve this action".
    kind: 'authentiq8',
    userId: 'alice',
    submitLogin: submitUserId,
    request: requestFor,
    approve: tapApprove,
  },
  {
    kind: 'secsign',
    userId: 'alice',
    submitLogin: submitUserId,
    request: requestFor,
    // The phone offers several access passes: the user picks the one the wait page shows.
    approve: async (request, login) => {
      const shown = await login.getAttribute('#push-access-pass', 'src');
      const sources = await request
        .locator('button.pass img')
        .evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')));
      const index = sources.indexOf(shown);
      expect(index).toBeGreaterThanOrEqual(0);
      await request.locator('button.pass').nth(index).click();
    },
  },
];

const PAYMENT = { amount: '500.00', currency: 'SEK', payee: 'Anna Berg', reference: 'Rent May' };

let shots: string;
let browser: Browser;

beforeAll(async () => {
  shots = screenshotDir();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The user's browser and a separate phone (its own device: JavaScript on, no shared cookies). */
interface Devices {
  running: RunningDemo;
  base: string;
  user: BrowserContext;
  login: Page;
  phone: Page;
}

async function devices(row: ProviderRow, options: { javaScript: boolean; locale: string }): Promise<Devices> {
  const running = await startDemo(row.kind, { limiter: false });
  const user = await browser.newContext({
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: options.javaScript,
    locale: options.locale,
  });
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  return {
    running,
    base: running.base,
    user,
    login: await user.newPage(),
    phone: await phoneContext.newPage(),
  };
}

/** Signs the user in through the demo's login page and the phone. */
async function signIn(row: ProviderRow, d: Devices): Promise<void> {
  await d.login.goto(`${d.base}/login`);
  await row.submitLogin(d.login, row.userId);
  await d.login.waitForURL(`${d.base}/auth/push/wait`);
  await d.phone.goto(`${d.base}/phone`);
  await row.approve(await row.request(d.phone, d.login, row.userId), d.login);
  await d.login.waitForURL(`${d.base}/`, { timeout: 20_000 });
}

/** Fills in the "send money" form and asks for approval: the wait page of the payment. */
async function askToSend(d: Devices): Promise<void> {
  await d.login.goto(`${d.base}/`);
  await d.login.click('#send-money-link');
  await d.login.waitForURL(`${d.base}/send`);
  await d.login.fill('#amount', PAYMENT.amount);
  await d.login.selectOption('#currency', PAYMENT.currency);
  await d.login.fill('#payee', PAYMENT.payee);
  await d.login.fill('#reference', PAYMENT.reference);
  await d.login.click('#send-money button[type=submit]');
  await d.login.waitForURL(`${d.base}/send/push/wait`);
}

/** A signed-in user on the wait page of the payment, and their phone. */
async function askedToSend(
  row: ProviderRow,
  options: { javaScript: boolean; locale: string },
): Promise<Devices> {
  const d = await devices(row, options);
  await signIn(row, d);
  await askToSend(d);
  return d;
}

/** The transfers the app has executed, as the "send money" page lists them. */
async function executedTransfers(d: Devices): Promise<number> {
  await d.login.goto(`${d.base}/send`);
  return d.login.locator('#transfers li').count();
}

async function closeAll(d: Devices | undefined): Promise<void> {
  await d?.user.close();
  await d?.phone.context().close();
  await d?.running.close();
}

/** The payment's details, as the wait page and the phone must both show them. */
async function expectPaymentShown(where: Locator): Promise<void> {
  const text = (await where.textContent()) ?? '';
  expect(text).toContain(`${PAYMENT.amount} ${PAYMENT.currency}`);
  expect(text).toContain(PAYMENT.payee);
  expect(text).toContain(PAYMENT.reference);
}

describe.each(PROVIDERS)('$kind', (row) => {
  let d: Devices | undefined;
  afterEach(async () => {
    await closeAll(d);
    d = undefined;
  });

  test('with JavaScript (en): the phone approves, the transfer runs once, a reload or replay runs nothing', async () => {
    d = await askedToSend(row, { javaScript: true, locale: 'en-GB' });
    const { login, phone, base } = d;
    // Wording that cannot be mistaken for a login, and the payment to compare.
    expect(await login.textContent('#push-heading')).toMatch(/this is not a login/);
    await expectPaymentShown(login.locator('#push-action'));
    expect(await login.textContent('#push-status')).not.toMatch(/log ?in/i);
    await expectAccessible(login, `${row.kind} approval wait page`);
    await login.screenshot({ path: path.join(shots, `approval-${row.kind}-1-wait.png`), fullPage: true });

    await phone.goto(`${base}/phone`);
    const request = await row.request(phone, login, row.userId);
    await expectPaymentShown(request);
    await phone.screenshot({ path: path.join(shots, `approval-${row.kind}-2-phone.png`), fullPage: true });
    await row.approve(request, login);

    await login.waitForURL(/\/send\/receipt\/[\w-]+$/, { timeout: 20_000 });
    const receiptUrl = login.url();
    expect(await login.textContent('#receipt-provider')).toBeTruthy();
    expect(await login.textContent('#receipt-hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(await login.textContent('#receipt-time')).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    await expectPaymentShown(login.locator('#receipt'));
    await expectAccessible(login, `${row.kind} receipt`);
    await login.screenshot({ path: path.join(shots, `approval-${row.kind}-3-receipt.png`), fullPage: true });

    // Reloading the receipt runs nothing again; a second tab that follows the approval (or a replay
    // of the confirm route) lands on the same receipt, and nothing is sent twice.
    await login.reload();
    const replay = await login.goto(`${base}/send/confirm`);
    expect(replay?.status()).toBe(200);
    expect(login.url()).toBe(receiptUrl);
    expect(await executedTransfers(d)).toBe(1);
  });

  test('without JavaScript (sv): the wait page refreshes itself until the approved transfer runs once', async () => {
    d = await askedToSend(row, { javaScript: false, locale: 'sv-SE' });
    const { login, phone, base } = d;
    expect(await login.textContent('#push-heading')).toMatch(/ingen inloggning/);
    await expectPaymentShown(login.locator('#push-action'));

    await phone.goto(`${base}/phone`);
    await row.approve(await row.request(phone, login, row.userId), login);
    // No poller: the <noscript> refresh brings the page to the status, which redirects to confirm.
    await login.waitForURL(/\/send\/receipt\/[\w-]+$/, { timeout: 30_000 });
    expect(await login.textContent('h1')).toMatch(/Kvitto/);
    expect(await login.textContent('#receipt-hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(await executedTransfers(d)).toBe(1);
  });

  test('denied on the phone: the pages say the payment was not approved, and nothing runs', async () => {
    d = await askedToSend(row, { javaScript: true, locale: 'en-GB' });
    const { login, phone, base } = d;
    await phone.goto(`${base}/phone`);
    const request = await row.request(phone, login, row.userId);
    await request.locator('button.danger').first().click();

    await login.locator('#push-status[data-state="denied"]').waitFor({ timeout: 20_000 });
    expect(await login.textContent('#push-status')).toMatch(/not approved/i);
    expect(await login.textContent('#push-status')).not.toMatch(/log ?in/i);
    await login.click('#push-retry-link');
    await login.waitForURL(`${base}/send?push=denied`);
    expect(await login.textContent('.alert')).toMatch(/payment was not approved/i);
    await expectAccessible(login, `${row.kind} payment not approved`);
    await login.screenshot({ path: path.join(shots, `approval-${row.kind}-4-denied.png`), fullPage: true });
    expect(await login.locator('#transfers li').count()).toBe(0);
  });
});

test('an approval that expires offers no "Send again" (that would start a login): back to the form', async () => {
  const row = PROVIDERS.find((p) => p.kind === 'bankid') as ProviderRow;
  const d = await askedToSend(row, { javaScript: true, locale: 'en-GB' });
  try {
    const simulator = d.running.demo.bankIdSimulator;
    const [order] = simulator?.orderList().filter((o) => o.status === 'pending') ?? [];
    simulator?.phone.expire(order?.orderRef ?? '');
    const { login, base } = d;
    await login.locator('#push-status[data-state="expired"]').waitFor({ timeout: 20_000 });
    expect(await login.textContent('#push-status')).toMatch(/not approved/i);
    expect(await login.isVisible('#push-send-again')).toBe(false);
    await login.click('#push-retry-link');
    await login.waitForURL(`${base}/send?push=expired`);
    expect(await login.textContent('.alert')).toMatch(/payment was not approved: the request expired/i);
  } finally {
    await closeAll(d);
  }
});

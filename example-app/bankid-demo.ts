/**
 * The BankID demo: an embedded BankID simulator (mutual TLS with its own test CA) and a simulated
 * phone that "scans" the QR code the wait page shows right now, or opens the same-device link,
 * then approves as one of the demo people. The personal numbers are fictitious (valid check
 * digits, nobody's real number).
 */
import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { BankIdProvider, type ChallengeDisplay, type PushProvider } from 'passport-push';
import { BankIdSimulator, type BankIdPerson, type BankIdSimulatedOrder } from 'passport-push/testing';
import { escapeHtml as e } from './html';
import { layout } from './pages';

/** The demo's people: fictitious personal numbers, never real ones. */
export const BANKID_DEMO_PEOPLE: readonly BankIdPerson[] = [
  { personalNumber: '198512249874', givenName: 'Alva', surname: 'Lind' },
  { personalNumber: '196408233234', givenName: 'Bo', surname: 'Ek' },
];

/** What the wait pages were last given per order: the phone reads the QR from here, as a camera would. */
export class ShownDisplays {
  private readonly byOrder = new Map<string, ChallengeDisplay>();

  /** Remembers an order's latest display (a bounded map: the demo keeps the newest 500). */
  record(orderRef: string, display: ChallengeDisplay | undefined): void {
    if (!display) return;
    this.byOrder.delete(orderRef);
    this.byOrder.set(orderRef, display);
    if (this.byOrder.size > 500) this.byOrder.delete(this.byOrder.keys().next().value ?? '');
  }

  /** The display a wait page last showed for this order. */
  latest(orderRef: string): ChallengeDisplay | undefined {
    return this.byOrder.get(orderRef);
  }
}

/** What BankIdProvider keeps per order (its handle type is not a public name). */
type BankIdHandle = Parameters<BankIdProvider['check']>[0];

/** The provider with every display it hands out recorded (what the wait page shows). */
export function recordingDisplays(
  provider: BankIdProvider,
  shown: ShownDisplays,
): PushProvider<BankIdHandle> & { close(): void } {
  return {
    name: provider.name,
    displayName: provider.displayName,
    userId: provider.userId,
    subjectRule: provider.subjectRule,
    // Signing a payment too (the demo's "send money" page).
    actions: provider.actions,
    // Its texts too: without them the page shows the English fallback of every hint.
    texts: provider.texts,
    async start(request, signal) {
      const started = await provider.start(request, signal);
      shown.record(started.handle.orderRef, started.display);
      return started;
    },
    check: (handle, signal) => provider.check(handle, signal),
    cancel: (handle, signal) => provider.cancel(handle, signal),
    currentDisplay(handle, now) {
      const display = provider.currentDisplay(handle, now);
      shown.record(handle.orderRef, display);
      return display;
    },
    close: () => provider.close(),
  };
}

/** A real BankID (BANKID_URL, BANKID_PFX, BANKID_PASSPHRASE, BANKID_CA) or the embedded simulator. */
export async function bankIdDemo(env: NodeJS.ProcessEnv): Promise<{
  provider: PushProvider;
  label: string;
  simulated?: boolean;
  phoneRouter?: Router;
  /** The embedded simulator (tests drive hint codes through it). */
  bankIdSimulator?: BankIdSimulator;
  close(): Promise<void>;
}> {
  if (env.BANKID_PFX) {
    const provider = new BankIdProvider({
      baseUrl: requiredEnv(env, 'BANKID_URL'),
      pfx: readFileSync(env.BANKID_PFX),
      passphrase: requiredEnv(env, 'BANKID_PASSPHRASE'),
      ca: readFileSync(requiredEnv(env, 'BANKID_CA')),
    });
    return { provider, label: 'BankID', close: async () => provider.close() };
  }
  const simulator = await BankIdSimulator.start();
  const shown = new ShownDisplays();
  const provider = recordingDisplays(new BankIdProvider(simulator.providerOptions()), shown);
  return {
    provider,
    label: 'BankID',
    simulated: true,
    phoneRouter: bankIdPhone(simulator, shown),
    bankIdSimulator: simulator,
    close: async () => {
      provider.close();
      await simulator.close();
    },
  };
}

/** Notices the phone page may show, by key (the query never carries free text). */
const NOTICES: Readonly<Record<string, string>> = {
  noqr: 'No QR code on a login page for this order: open the login page first.',
  stale: 'The QR code did not match (it changes every second): scan again.',
  gone: 'That order is over.',
};

/** The simulated BankID app: scan, open with the link, enter the security code, approve or cancel. */
export function bankIdPhone(simulator: BankIdSimulator, shown: ShownDisplays): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '2kb' }));
  const pending = () =>
    simulator
      .orderList()
      .filter((order) => order.status === 'pending')
      .reverse();

  router.get('/', (req, res) => {
    const notice = typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined;
    res.type('html').send(
      layout({
        lang: 'en',
        title: 'BankID app',
        scripts: ['/static/phone.js'],
        body: `<h1>Simulated BankID app</h1>
<p class="muted">This page plays the BankID app: scan the QR code on the login page, or open the app with the login page's link.</p>
${notice ? `<p class="alert" role="alert">${e(notice)}</p>` : ''}
<div id="phone-requests" aria-live="polite">
${bankIdOrders(pending())}
</div>`,
      }),
    );
  });
  router.get('/requests', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(bankIdOrders(pending()));
  });

  /** Runs one app action on the posted order; the simulator's refusal becomes a notice. */
  const action = (
    run: (orderRef: string, body: Readonly<Record<string, unknown>>) => void,
    refused: keyof typeof NOTICES,
  ) =>
    ((req, res) => {
      const body = (req.body ?? {}) as Readonly<Record<string, unknown>>;
      const orderRef = body['orderRef'];
      if (typeof orderRef !== 'string') return res.status(400).send('missing orderRef');
      try {
        run(orderRef, body);
        res.redirect(303, '/phone');
      } catch {
        res.redirect(303, `/phone?notice=${refused}`);
      }
    }) satisfies express.RequestHandler;

  router.post(
    '/scan',
    action((orderRef) => {
      const qr = shown.latest(orderRef)?.qr;
      if (!qr) throw new Error('no QR shown');
      simulator.scanQr(qr);
    }, 'stale'),
  );
  router.post(
    '/autostart',
    action((orderRef) => {
      const link = shown.latest(orderRef)?.launchUrl;
      const token = link ? new URL(link).searchParams.get('autostarttoken') : null;
      if (!token) throw new Error('no link shown');
      simulator.openWithAutostart(token);
    }, 'noqr'),
  );
  router.post(
    '/sign',
    action((orderRef) => simulator.userSign(orderRef), 'gone'),
  );
  router.post(
    '/approve',
    action((orderRef, body) => {
      const person = BANKID_DEMO_PEOPLE.find((p) => p.personalNumber === body['personalNumber']);
      if (!person) throw new Error('not a demo person');
      simulator.approve(orderRef, person);
    }, 'gone'),
  );
  router.post(
    '/cancel',
    action((orderRef) => simulator.cancelByUser(orderRef), 'gone'),
  );
  return router;
}

/** The app's list of orders; `data-request-id` changes with the order's step so the page refreshes. */
export function bankIdOrders(orders: BankIdSimulatedOrder[]): string {
  if (orders.length === 0)
    return '<p class="empty">No BankID orders right now. Start one on the sign-in page.</p>';
  return orders.map(renderOrder).join('\n');
}

function renderOrder(order: BankIdSimulatedOrder): string {
  const button = (path: string, text: string, cls: string, extra = '') =>
    `<form method="post" action="/phone/${path}" class="inline"><input type="hidden" name="orderRef" value="${e(order.orderRef)}">${extra}<button type="submit" class="${cls}">${e(text)}</button></form>`;
  const signing = signedText(order);
  const people = BANKID_DEMO_PEOPLE.filter(
    (p) => order.personalNumber === undefined || p.personalNumber === order.personalNumber,
  );
  const steps = order.started
    ? [
        order.hintCode === 'userSign' ? '' : button('sign', 'Enter security code', 'secondary'),
        ...people.map((p) =>
          button(
            'approve',
            `${signing === undefined ? 'Identify' : 'Sign'} as ${p.givenName} ${p.surname}`,
            'primary',
            `<input type="hidden" name="personalNumber" value="${e(p.personalNumber)}">`,
          ),
        ),
        button('cancel', 'Cancel', 'danger'),
      ]
    : [
        button('scan', 'Scan the QR code on the login page', 'primary'),
        button('autostart', 'Open with the link on the login page', 'secondary'),
      ];
  return `<section class="request" data-request-id="${e(`${order.orderRef}:${order.started}:${order.hintCode ?? ''}`)}">
<h2>${signing === undefined ? 'BankID login' : 'BankID signing'}</h2>
<p class="muted small">${e(orderStep(order))}${order.personalNumber ? ` · for ${e(order.personalNumber)}` : ''}</p>
${signing === undefined ? '' : `<p>You are asked to sign:</p>\n<pre class="signed-text">${e(signing)}</pre>\n`}${steps.join('\n')}
</section>`;
}

/**
 * The text an order asks the person to sign, decoded; undefined for a login. Only `/sign` carries
 * `userNonVisibleData` (the simulator refuses it on `/auth`), so it tells the two apart.
 */
function signedText(order: BankIdSimulatedOrder): string | undefined {
  const { userVisibleData, userNonVisibleData } = order.request;
  if (userNonVisibleData === undefined || typeof userVisibleData !== 'string') return undefined;
  return Buffer.from(userVisibleData, 'base64').toString('utf8');
}

/** Where the order is, in the app's words (never its raw hint code). */
function orderStep(order: BankIdSimulatedOrder): string {
  if (!order.started) return 'Waiting for the app to start';
  if (order.hintCode === 'userSign') return 'Enter your security code';
  return signedText(order) === undefined ? 'Identify yourself in the app' : 'Check the text, then sign';
}

function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required with PUSH_PROVIDER=bankid and BANKID_PFX.`);
  return value;
}

/**
 * The demo's "send money" routes: the signed-in user describes a payment, the server keeps it and
 * makes the intent from what it kept, `approve` asks the phone, and the confirm route sends it only
 * with an unused approval of exactly that payment by that user (`useApproval`), once.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { ActionIntent, PushLoginRouter, PushProvider, PushStrategy } from 'passport-push';
import {
  CURRENCIES,
  nothingToConfirmPage,
  receiptPage,
  sendPage,
  type Payment,
  type SentPayment,
} from './send-money-pages';

declare module 'express-session' {
  interface SessionData {
    /**
     * The payment this session last asked the phone to approve, by id (its content stays on the
     * server). Kept once sent, so a second tab that follows the approval finds its receipt.
     */
    payment?: string;
  }
}

/** The signed-in user, as far as sending money needs them. */
interface Payer {
  /** The subject the provider confirmed at login. */
  id: string;
  /** The ID the user signed in with (the provider's user ID: a login hint, a personal number). */
  loginId?: string;
}

/** What the routes are built from. */
export interface SendMoneyOptions {
  /** The router `approve` answers through: its wait page, status and cancel routes follow the payment. */
  push: PushLoginRouter;
  strategy: Pick<PushStrategy, 'useApproval'>;
  provider: PushProvider;
  providerLabel: string;
  /** The page language for a request. */
  langOf(req: Request): string;
}

/** Most payments the demo keeps (oldest first out): it is a demo, not a ledger. */
const MAX_PAYMENTS = 1000;
const AMOUNT = /^(?:0|[1-9]\d{0,8})(?:\.\d{1,2})?$/;
const TEXT = /^[^\p{Cc}\p{Cf}]{1,70}$/u;

/** The "send money" routes, for an app whose users are signed in with passport-push. */
export function sendMoneyRoutes(options: SendMoneyOptions): Router {
  const router = express.Router();
  const asked = new Map<string, { owner: string; payment: Payment }>();
  const sent = new Map<string, SentPayment & { owner: string }>();
  const supported = options.provider.actions !== undefined;
  const payerOf = (req: Request) => req.user as Payer | undefined;
  const sentBy = (owner: string) => [...sent.values()].filter((s) => s.owner === owner);
  // The user the phone must confirm: the ID they signed in with, and (CIBA) the subject it confirmed.
  const approverOf = (payer: Payer) => ({
    userId: payer.loginId ?? payer.id,
    ...(options.provider.subjectRule === 'provider' ? { subject: payer.id } : {}),
  });

  // Each route on its own (not a prefix): the approval's router lives under /send/push.
  const signedIn: express.RequestHandler = (req, res, next) =>
    payerOf(req) ? next() : res.redirect(303, '/login');
  const form = express.urlencoded({ extended: false, limit: '2kb' });

  router.get('/send', signedIn, (req, res) => {
    const payer = payerOf(req) as Payer;
    const reason = typeof req.query.push === 'string' ? req.query.push : undefined;
    res.type('html').send(
      sendPage({
        lang: options.langOf(req),
        providerLabel: options.providerLabel,
        supported,
        ...(reason ? { reason } : {}),
        sent: sentBy(payer.id),
      }),
    );
  });

  router.post('/send', signedIn, form, (req, res, next) => {
    const payer = payerOf(req) as Payer;
    const payment = paymentFrom(req.body);
    if (!supported || !payment) {
      return res
        .status(400)
        .type('html')
        .send(
          sendPage({
            lang: options.langOf(req),
            providerLabel: options.providerLabel,
            supported,
            invalid: true,
            values: formValues(req.body),
            sent: sentBy(payer.id),
          }),
        );
    }
    // Kept on the server: from here on the payment is read from this record, never from a request.
    const id = randomUUID();
    asked.set(id, { owner: payer.id, payment });
    if (asked.size > MAX_PAYMENTS) asked.delete(asked.keys().next().value ?? '');
    req.session.payment = id;
    options.push.approve(req, res, intentOf(payment), approverOf(payer)).catch(next);
  });

  // Where an approval lands (`approvedRedirect`): sends the payment once, then shows its receipt.
  // A second tab (or a replay) that lands here after the payment was sent sees that receipt again:
  // the session keeps the payment's id, and nothing is sent twice.
  router.get('/send/confirm', signedIn, async (req, res, next) => {
    try {
      const payer = payerOf(req) as Payer;
      const id = req.session.payment;
      const nothingToConfirm = () => {
        const done = id !== undefined ? sent.get(id) : undefined;
        if (done && done.owner === payer.id) return res.redirect(303, `/send/receipt/${done.id}`);
        return res
          .status(403)
          .type('html')
          .send(nothingToConfirmPage(options.langOf(req)));
      };
      const kept = id !== undefined ? asked.get(id) : undefined;
      if (id === undefined || !kept || kept.owner !== payer.id) return nothingToConfirm();
      let used;
      try {
        // The final gate: an unused approval of exactly this payment, by this user, in this session.
        used = await options.strategy.useApproval(req, intentOf(kept.payment), approverOf(payer));
      } catch {
        return nothingToConfirm();
      }
      asked.delete(id);
      sent.set(id, {
        id,
        owner: payer.id,
        payment: kept.payment,
        receipt: { provider: options.provider.name, ...used },
      });
      if (sent.size > MAX_PAYMENTS) sent.delete(sent.keys().next().value ?? '');
      res.redirect(303, `/send/receipt/${id}`);
    } catch (error) {
      next(error);
    }
  });

  router.get('/send/receipt/:id', signedIn, (req, res) => {
    const payer = payerOf(req) as Payer;
    const id = req.params['id'];
    const payment = typeof id === 'string' ? sent.get(id) : undefined;
    if (!payment || payment.owner !== payer.id) return res.sendStatus(404);
    res.type('html').send(receiptPage(options.langOf(req), payment));
  });
  return router;
}

/** The intent the phone shows and the approval must match: always made from the kept payment. */
function intentOf(payment: Payment): ActionIntent {
  return {
    type: 'payment',
    amount: payment.amount,
    currency: payment.currency,
    payee: { name: payment.payee },
    ...(payment.reference ? { reference: payment.reference } : {}),
  };
}

/** The form's payment, checked; undefined when anything is off. */
function paymentFrom(body: unknown): Payment | undefined {
  const { amount, currency, payee, reference } = formValues(body);
  if (amount === undefined || !AMOUNT.test(amount) || !/[1-9]/.test(amount)) return undefined;
  if (!CURRENCIES.some((c) => c === currency)) return undefined;
  if (payee === undefined || !TEXT.test(payee)) return undefined;
  if (reference !== undefined && !TEXT.test(reference)) return undefined;
  return { amount, currency: currency as string, payee, ...(reference ? { reference } : {}) };
}

/** The form's fields as typed (trimmed), for checking and for showing the form again. */
function formValues(body: unknown): Partial<Payment> {
  const field = (name: string): string | undefined => {
    const value = (body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const [amount, currency, payee, reference] = ['amount', 'currency', 'payee', 'reference'].map(field);
  return {
    ...(amount ? { amount } : {}),
    ...(currency ? { currency } : {}),
    ...(payee ? { payee } : {}),
    ...(reference ? { reference } : {}),
  };
}

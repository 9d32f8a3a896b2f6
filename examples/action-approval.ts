// action-approval.ts — "send money" approved on the phone with BankID (docs/action-approval.md).
// The app as a module that starts nothing: sign in with BankID, ask to approve a payment, and send
// it only with an unused approval of exactly that payment by the signed-in user.
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import {
  BankIdProvider,
  PushStrategy,
  pushLogin,
  type ActionApproval,
  type ActionIntent,
  type BankIdProviderOptions,
  type PushStrategyOptions,
} from 'passport-push';

interface User {
  id: string;
  name: string;
  /** The user's personal number: who must sign on the phone. */
  personalNumber: string;
}

/** Your user store: one customer, found by the personal number BankID confirms. */
const users = new Map<string, User>([
  ['198512249874', { id: 'alva', name: 'Alva', personalNumber: '198512249874' }],
]);

/** A payment as your own records keep it: the intent is always made from these, never from a form. */
interface Payment {
  amount: string;
  currency: string;
  payee: string;
  account: string;
  reference: string;
  sent: boolean;
}

/** What the app is built from. */
export interface ActionAppOptions {
  sessionSecret: string;
  /** More PushStrategy options (shared stores for several instances, the clock in tests…). */
  strategy?: Omit<PushStrategyOptions, 'provider' | 'passReqToCallback' | 'approval'>;
  /** Where each approval record goes: your audit log. */
  audit?: (approval: ActionApproval) => void;
}

/** The app, with BankID for signing in and for approving payments. */
export function createApp(bankId: BankIdProviderOptions, options: ActionAppOptions) {
  const payments = new Map<string, Payment>([
    [
      'p1',
      {
        amount: '500.00',
        currency: 'SEK',
        payee: 'Anna Berg',
        account: '5491-0000003',
        reference: 'Rent',
        sent: false,
      },
    ],
  ]);
  const intentOf = (payment: Payment): ActionIntent => ({
    type: 'payment',
    amount: payment.amount,
    currency: payment.currency,
    payee: { name: payment.payee, account: payment.account },
    reference: payment.reference,
  });

  const passport = new Passport();
  const strategy = new PushStrategy(
    {
      ...options.strategy,
      provider: new BankIdProvider(bankId),
      // PSD2 dynamic linking: amount and payee shown, and signed by the user. A provider that
      // cannot do that is refused here, at startup.
      approval: {
        require: { shows: 'amount-and-payee', proves: 'user-signature' },
        onApproved: (approval) => options.audit?.(approval),
      },
    },
    async (personalNumber) => users.get(personalNumber) ?? false,
  );
  passport.use(strategy);
  passport.serializeUser<string>((user, done) => done(null, (user as User).personalNumber));
  passport.deserializeUser<string>((id, done) => done(null, users.get(id) ?? false));

  const app = express();
  app.use(session({ secret: options.sessionSecret, resave: false, saveUninitialized: false }));
  app.use(passport.session());
  const push = pushLogin({ strategy, successRedirect: '/', failureRedirect: '/', approvedRedirect: '/' });
  app.use('/auth/push', push);

  const signedIn = (req: express.Request) => req.user as User | undefined;

  app.get('/', (req, res) => {
    const user = signedIn(req);
    if (!user) {
      return res.send(`<!doctype html><title>Sign in</title>
        <form method="post" action="/auth/push/start">
          <label>Personal number <input name="username" required></label>
          <button type="submit">Sign in with BankID</button>
        </form>`);
    }
    const rows = [...payments].map(
      ([id, p]) =>
        `<li>${p.amount} ${p.currency} to ${escape(p.payee)}: ${
          p.sent
            ? 'sent'
            : `<form method="post" action="/payments/${id}/approve"><button>Approve with BankID</button></form>
             <form method="post" action="/payments/${id}/send"><button>Send</button></form>`
        }</li>`,
    );
    res.send(
      `<!doctype html><title>Payments</title><p id="user">Hello ${escape(user.name)}</p><ul>${rows.join('')}</ul>`,
    );
  });

  // Your own POST routes need the same CSRF protection as the rest of your app.
  app.post('/payments/:id/approve', (req, res, next) => {
    const user = signedIn(req);
    const payment = payments.get(req.params.id);
    if (!user || !payment || payment.sent) return res.sendStatus(404);
    push.approve(req, res, intentOf(payment), { userId: user.personalNumber }).catch(next);
  });

  app.post('/payments/:id/send', async (req, res) => {
    const user = signedIn(req);
    const payment = payments.get(req.params.id);
    if (!user || !payment || payment.sent) return res.sendStatus(404);
    try {
      // The final gate: an unused approval of exactly this payment, by this user, in this session.
      await strategy.useApproval(req, intentOf(payment), { userId: user.personalNumber });
    } catch {
      return res.status(403).send('Approve the payment on your phone first.');
    }
    payment.sent = true;
    res.redirect(303, '/');
  });
  return app;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

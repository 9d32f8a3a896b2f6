/**
 * The demo app: what a user of passport-push writes (session, passport, PushStrategy, pushLogin),
 * plus a simulated phone page when the provider runs embedded.
 */
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { PushStrategy, pushLogin, type PushProvider } from 'passport-push';
import { catalogueFor, pickLocale } from 'passport-push/messages';
import type { Phone } from 'passport-push/testing';
import { demoMessages } from './demo-messages';
import { sendMoneyRoutes } from './send-money';
import {
  loginPage,
  phoneLook,
  phonePage,
  phoneRequests,
  profilePage,
  waitPage,
  type DemoHint,
} from './pages';

export interface DemoUser {
  id: string;
  provider: string;
  loggedInAt: string;
  /** The name the provider vouches for (BankID's `name` claim), when it gives one. */
  name?: string;
  /** The ID the user signed in with, when it is not `id` (CIBA's login hint): the phone to approve on. */
  loginId?: string;
}

export interface DemoOptions {
  provider: PushProvider;
  /** The embedded simulator's phone; absent against a real service. */
  phone?: Phone;
  /** A provider's own simulated app at /phone (BankID scans the wait page's QR), instead of the generic phone page. */
  phoneRouter?: Router;
  providerLabel: string;
  /** The provider runs on an embedded simulator: the login page says so. */
  simulated?: boolean;
  /** Which demo IDs (or BankID's demo people) exist, shown under the login form. */
  hint?: DemoHint;
  sessionSecret: string;
  /** Strategy option overrides (the e2e test turns off the start cooldown). */
  strategy?: Partial<ConstructorParameters<typeof PushStrategy>[0]>;
}

export function createDemoApp(options: DemoOptions): Express {
  const passport = new Passport();
  const strategy = new PushStrategy<DemoUser>(
    {
      serviceName: 'passport-push demo',
      serviceAddress: 'localhost',
      pollIntervalMs: 1000,
      ...options.strategy,
      provider: options.provider,
      passReqToCallback: false,
    },
    // A real app looks the user up here; the demo accepts every ID the provider confirmed.
    async (subject, info) => ({
      id: subject,
      provider: info.provider,
      loggedInAt: signedInAt(),
      ...(typeof info.claims['name'] === 'string' ? { name: info.claims['name'] } : {}),
      ...(info.requestedUserId !== undefined && info.requestedUserId !== subject
        ? { loginId: info.requestedUserId }
        : {}),
    }),
  );
  passport.use(strategy);
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));

  const app = express();
  app.disable('x-powered-by');
  app.use('/static', express.static(path.join(__dirname, 'public')));
  app.use(
    session({
      secret: options.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  // The wait page in the demo's own layout. "Try again" keeps the demo IDs, but never a BankID
  // personal number: it would travel in the URL, into logs and the browser's history.
  app.use(
    '/auth/push',
    pushLogin({
      strategy,
      successRedirect: '/',
      failureRedirect: '/login',
      renderPage: waitPage,
      retryWithUserId: options.provider.name !== 'bankid',
    }),
  );

  // Approving a payment: its own wait page, and back on /send (not the login page) when it fails.
  const approvals = pushLogin({
    strategy,
    successRedirect: '/',
    failureRedirect: '/send',
    approvedRedirect: '/send/confirm',
    mountPath: '/send/push',
    renderPage: waitPage,
  });
  app.use('/send/push', approvals);
  app.use(
    sendMoneyRoutes({
      push: approvals,
      strategy,
      provider: options.provider,
      providerLabel: options.providerLabel,
      langOf,
    }),
  );

  app.get('/', (req, res) => {
    if (!req.user) return res.redirect('/login');
    res.type('html').send(profilePage(langOf(req), req.user as DemoUser));
  });
  app.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    const reason = typeof req.query.push === 'string' ? req.query.push : undefined;
    const retryAfter = typeof req.query.retryAfter === 'string' ? Number(req.query.retryAfter) : undefined;
    const userId = typeof req.query.id === 'string' ? req.query.id.slice(0, 254) : undefined;
    const lang = langOf(req);
    res.type('html').send(
      loginPage({
        lang,
        // The provider's texts too: an unknown ID is then named in its own words.
        catalogue: catalogueFor(lang, {}, options.provider.texts),
        reason,
        ...(retryAfter !== undefined && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
        ...(userId ? { userId } : {}),
        providerLabel: options.providerLabel,
        ...(options.simulated ? { simulated: true } : {}),
        ...(options.hint ? { hint: options.hint } : {}),
        phoneLink: !!options.phone || !!options.phoneRouter,
        userIdOptional: options.provider.userId === 'optional',
      }),
    );
  });
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.redirect('/login')));
  });

  if (options.phoneRouter) app.use('/phone', options.phoneRouter);
  const phone = options.phoneRouter ? undefined : options.phone;
  // Duo's phone can also report a push as fraud.
  const reportFraud =
    phone && 'reportFraud' in phone && typeof phone.reportFraud === 'function'
      ? (phone.reportFraud as (id: string) => void).bind(phone)
      : undefined;
  if (phone) {
    const look = phoneLook(options.provider.name, !!reportFraud);
    app.use('/phone', express.urlencoded({ extended: false, limit: '2kb' }));
    app.get('/phone', (req, res) => {
      const requests = phone.pending();
      // Opening the app fetches the requests: the wait page then says "opened on your phone".
      for (const request of requests) if (!request.fetched) phone.fetch(request.id);
      const notice =
        req.query.notice === 'wrong' ? 'That is not the access pass shown on the login page.' : undefined;
      res.type('html').send(phonePage(phone.pending(), look, notice));
    });
    // The phone page's script swaps this list in, so the page never reloads under the user's focus.
    app.get('/phone/requests', (_req, res) => {
      const requests = phone.pending();
      for (const request of requests) if (!request.fetched) phone.fetch(request.id);
      res.set('Cache-Control', 'no-store').type('html').send(phoneRequests(phone.pending(), look));
    });
    app.post('/phone/approve', (req, res) => {
      const { id, choice } = req.body as { id?: unknown; choice?: unknown };
      if (typeof id !== 'string') return res.status(400).send('missing id');
      const picked = typeof choice === 'string' && /^\d{1,2}$/.test(choice) ? Number(choice) : undefined;
      res.redirect(303, phone.approve(id, picked) ? '/phone' : '/phone?notice=wrong');
    });
    app.post('/phone/deny', (req, res) => {
      const { id } = req.body as { id?: unknown };
      if (typeof id === 'string') phone.deny(id);
      res.redirect(303, '/phone');
    });
    if (reportFraud) {
      app.post('/phone/fraud', (req, res) => {
        const { id } = req.body as { id?: unknown };
        if (typeof id === 'string' && phone.pending().some((request) => request.id === id)) reportFraud(id);
        res.redirect(303, '/phone');
      });
    }
  }
  return app;
}

/** The demo's page language, chosen like the wait page's (`Accept-Language`). */
function langOf(req: express.Request): string {
  return pickLocale(req.get('accept-language'), Object.keys(demoMessages), 'en');
}

function signedInAt(): string {
  return `${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

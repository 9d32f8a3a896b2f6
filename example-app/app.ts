/**
 * The demo app: what a user of passport-push writes (session, passport, PushStrategy, pushLogin),
 * plus a simulated phone page when the provider runs embedded.
 */
import path from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { PushStrategy, pushLogin, type PushProvider } from '../lib';
import type { Phone } from '../lib/testing';
import { loginPage, phonePage, profilePage } from './pages';

export interface DemoUser {
  id: string;
  provider: string;
  loggedInAt: string;
}

export interface DemoOptions {
  provider: PushProvider;
  /** The embedded simulator's phone; absent against a real service. */
  phone?: Phone;
  providerLabel: string;
  /** HTML shown under the login form (e.g. which demo IDs exist). */
  hint?: string;
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
  app.use('/auth/push', pushLogin({ strategy, successRedirect: '/', failureRedirect: '/login' }));

  app.get('/', (req, res) => {
    if (!req.user) return res.redirect('/login');
    res.type('html').send(profilePage(req.user as DemoUser));
  });
  app.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    const reason = typeof req.query.push === 'string' ? req.query.push : undefined;
    res.type('html').send(
      loginPage({
        reason,
        providerLabel: options.providerLabel,
        hint: options.hint,
        phoneLink: !!options.phone,
      }),
    );
  });
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.redirect('/login')));
  });

  const phone = options.phone;
  if (phone) {
    app.use('/phone', express.urlencoded({ extended: false, limit: '2kb' }));
    app.get('/phone', (req, res) => {
      const requests = phone.pending();
      // Opening the app fetches the requests: the wait page then says "opened on your phone".
      for (const request of requests) if (!request.fetched) phone.fetch(request.id);
      const notice =
        req.query.notice === 'wrong' ? 'That is not the access pass shown on the login page.' : undefined;
      res.type('html').send(phonePage(phone.pending(), notice));
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
  }
  return app;
}

function signedInAt(): string {
  return `${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

// minimal.ts — npm install passport-push express express-session passport
// The app as a module that starts nothing (serve.ts runs it), so it works as CommonJS and as ESM.
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import {
  PushStrategy,
  pushLogin,
  SecSignIdProvider,
  type PushProvider,
  type PushStrategyOptions,
  type SecSignIdProviderOptions,
} from 'passport-push';

interface User {
  id: string;
  name: string;
}

/** Your user store: here two users, found by their SecSign ID. */
const users = new Map<string, User>([
  ['alice', { id: 'alice', name: 'Alice' }],
  ['bob', { id: 'bob', name: 'Bob' }],
]);

/** What the app is built from. */
export interface AppOptions {
  sessionSecret: string;
  /** SecSign ID settings beyond the defaults (an on-premise `endpoint`, …). */
  secsign?: Partial<SecSignIdProviderOptions>;
  /** express-session store; default MemoryStore (one process only). */
  sessionStore?: session.Store;
  /** More PushStrategy options (shared stores for several instances, limits…). */
  strategy?: Omit<PushStrategyOptions, 'provider' | 'passReqToCallback'>;
}

/** The app, with SecSign ID as the provider. */
export function createApp(options: AppOptions): express.Express {
  const provider = new SecSignIdProvider({
    serviceName: 'Example',
    serviceAddress: 'http://localhost:3000',
    ...options.secsign,
  });
  return loginApp(provider, options);
}

/** A login form, "approve on your phone" through `provider`, a home page and sign-out. */
export function loginApp(provider: PushProvider, options: AppOptions): express.Express {
  const passport = new Passport();
  const strategy = new PushStrategy(
    { ...options.strategy, provider },
    async (subject) => users.get(subject.toLowerCase()) ?? false,
  );
  passport.use(strategy);
  // The session keeps only the user's id.
  passport.serializeUser<string>((user, done) => done(null, (user as User).id));
  passport.deserializeUser<string>((id, done) => done(null, users.get(id) ?? false));

  const app = express();
  app.use(
    session({
      secret: options.sessionSecret,
      store: options.sessionStore,
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.use(passport.session());
  app.use('/auth/push', pushLogin({ strategy, successRedirect: '/', failureRedirect: '/login' }));

  app.get('/login', (req, res) => {
    const failed =
      typeof req.query.push === 'string' ? `<p>Not signed in (${escape(req.query.push)}).</p>` : '';
    res.send(`<!doctype html><title>Sign in</title>${failed}
      <form method="post" action="/auth/push/start">
        <label>SecSign ID <input name="username" autocomplete="username" required></label>
        <button type="submit">Sign in with your phone</button>
      </form>`);
  });
  app.get('/', (req, res) => {
    if (!req.user) return res.redirect('/login');
    res.send(`<!doctype html><title>Home</title><p id="user">Hello ${escape((req.user as User).name)}</p>
      <form method="post" action="/logout"><button>Sign out</button></form>`);
  });
  app.post('/logout', (req, res, next) =>
    req.logout((error) => (error ? next(error) : res.redirect('/login'))),
  );
  return app;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

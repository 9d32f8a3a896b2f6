/**
 * Builds the app a user of the library would write: express-session (MemoryStore, resave false),
 * a fresh passport instance, PushStrategy around the given provider, and pushLogin() at /auth/push.
 * In the Express 4 jest project, `express` resolves to Express 4 (moduleNameMapper).
 */
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import request from 'supertest';
import { Passport } from 'passport';
import {
  PushStrategy,
  pushLogin,
  type PushLoginOptions,
  type PushLoginRouter,
  type PushStrategyOptions,
} from '../../lib';
import type { PushProvider } from '../../lib';
import type { PushVerifyInfo, VerifyFunction } from '../../lib';

export interface TestUser {
  id: string;
  claims?: Readonly<Record<string, unknown>>;
}

export interface TestAppOptions {
  provider: PushProvider;
  /** Strategy options; tests default to no poll interval and no rate limits unless they set them. */
  strategy?: Partial<PushStrategyOptions>;
  verify?: VerifyFunction<TestUser>;
  router?: Omit<PushLoginOptions<TestUser>, 'strategy'>;
  /**
   * Where pushLogin sits: after `passport.session()` (README's order, the default), or before
   * `passport.initialize()` with the passport instance given to it (the fastest polls).
   */
  mount?: 'after-passport' | 'before-passport';
  /** Where pushLogin is mounted. Default `/auth/push`. */
  mountPath?: string;
  /** The session store; default a fresh MemoryStore (`TestApp.store` is then that one). */
  sessionStore?: session.Store;
  /** App-wide middleware run before everything else (body parsers, helmet…), as apps often do. */
  appWide?: RequestHandler[];
}

export interface TestApp {
  app: Express;
  strategy: PushStrategy<TestUser>;
  store: session.MemoryStore;
  /** Every (subject, info) the verify callback was called with. */
  verified: { subject: string; info: PushVerifyInfo }[];
  /** The mounted pushLogin() router (its `approve` starts an action's approval). */
  router: PushLoginRouter;
}

export const defaultVerify: VerifyFunction<TestUser> = async (subject, info) => ({
  id: subject,
  claims: info.claims,
});

export function buildTestApp(options: TestAppOptions): TestApp {
  const passport = new Passport();
  const verified: TestApp['verified'] = [];
  const verify = options.verify ?? defaultVerify;
  const strategy = new PushStrategy<TestUser>(
    {
      pollIntervalMs: 0,
      limiter: false,
      ...options.strategy,
      provider: options.provider,
      passReqToCallback: false,
    },
    (subject, info, done) => {
      verified.push({ subject, info });
      return verify(subject, info, done);
    },
  );
  passport.use(strategy);
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));

  // A given store (Redis, for several instances) is only typed as the MemoryStore the tests read.
  const store = (options.sessionStore ?? new session.MemoryStore()) as session.MemoryStore;
  const app = express();
  for (const middleware of options.appWide ?? []) app.use(middleware);
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false, store }));
  const routerOptions = { strategy, successRedirect: '/me', failureRedirect: '/login', ...options.router };
  const mountPath = options.mountPath ?? '/auth/push';
  let router: PushLoginRouter;
  if (options.mount === 'before-passport') {
    router = pushLogin({ ...routerOptions, passport });
    app.use(mountPath, router);
    app.use(passport.initialize());
    app.use(passport.session());
  } else {
    app.use(passport.initialize());
    app.use(passport.session());
    router = pushLogin(routerOptions);
    app.use(mountPath, router);
  }
  app.get('/me', (req, res) => {
    if (req.user) res.json({ user: req.user });
    else res.status(401).json({ user: null });
  });
  app.get('/login', (req, res) => {
    res.type('text/plain').send(`login page ${JSON.stringify(req.query)}`);
  });
  return { app, strategy, store, verified, router };
}

/** The session ids in the store right now. */
export function sessionIds(store: session.MemoryStore): Promise<string[]> {
  return new Promise((resolve, reject) =>
    store.all?.((error, sessions) =>
      error
        ? reject(error)
        : // The wait page's displays are kept beside the sessions (SessionStoreDisplays): not sessions.
          resolve(Object.keys(sessions ?? {}).filter((sid) => !sid.startsWith('push-display:'))),
    ),
  );
}

/** The one stored session's id and the id of the challenge it holds (throws when either is missing). */
export async function storedChallenge(test: Pick<TestApp, 'store' | 'strategy'>) {
  const [sid] = await sessionIds(test.store);
  if (sid === undefined) throw new Error('no session stored');
  const data = await new Promise<Record<string, { id?: string }> | null | undefined>((resolve) =>
    test.store.get(sid, (_error, stored) => resolve(stored as never)),
  );
  const challengeId = data?.[test.strategy.login.sessionKey]?.id;
  if (challengeId === undefined) throw new Error('no challenge stored');
  return { sid, challengeId };
}

/** The `connect.sid` cookie value a supertest response set, if any. */
export function sessionCookie(setCookie: string | string[] | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((c) => c.startsWith('connect.sid='))?.split(';')[0];
}

/** An app around `options.provider`, one browser (a cookie jar), and a login started for `userId`. */
export async function startedLogin<P extends PushProvider>(
  options: TestAppOptions & { provider: P },
  userId = 'alice',
) {
  const test = buildTestApp(options);
  const agent = request.agent(test.app);
  const start = await agent
    .post('/auth/push/start')
    .set('Accept', 'application/json')
    .send({ username: userId });
  return { ...test, provider: options.provider, agent, start };
}

/**
 * The apps the benchmarks measure: a bare Express + express-session route, and the app a user of
 * passport-push would write (SecSign ID provider, pushLogin at /auth/push). Both use the same
 * session settings and a MemoryStore. Loopback only, port 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { PushStrategy, pushLogin, SecSignIdProvider, type DisplayStore, type StartLimiter } from '../lib';

export const SESSION_SECRET = 'bench secret';

function sessionMiddleware(store: session.MemoryStore) {
  return session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false, store });
}

export interface BareApp {
  app: Express;
  store: session.MemoryStore;
}

/**
 * `POST /login` creates a session; `GET /bare` reads it and answers JSON. With `passport`, the same
 * with passport.initialize() + passport.session() in front (the part of the push app's stack that
 * is not pushLogin), to split the difference between the two.
 */
export function buildBareApp(withPassport = false): BareApp {
  const store = new session.MemoryStore();
  const app = express();
  app.use(sessionMiddleware(store));
  if (withPassport) {
    const passport = new Passport();
    passport.serializeUser((user, done) => done(null, user));
    passport.deserializeUser((user: Express.User, done) => done(null, user));
    app.use(passport.initialize());
    app.use(passport.session());
  }
  app.post('/login', (req, res) => {
    (req.session as unknown as Record<string, unknown>)['visitor'] = { id: 'alice', since: Date.now() };
    res.json({ ok: true });
  });
  app.get('/bare', (req, res) => {
    const visitor = (req.session as unknown as Record<string, unknown>)['visitor'] ?? null;
    res.set('Cache-Control', 'no-store');
    res.json({ state: visitor ? 'known' : 'unknown', visitor });
  });
  return { app, store };
}

export interface PushAppOptions {
  simulatorUrl: string;
  /** The provider's interval (SecSign: 100–60 000 ms). */
  providerPollIntervalMs: number;
  /** The strategy's own minimum interval. Default 0 (the provider's wins). */
  pollIntervalMs?: number;
  challengeTimeoutMs?: number;
  longPollMs?: number;
  /** Where displays are kept; `false` keeps none. Default: the strategy's (a bounded MemoryDisplayStore). */
  displayStore?: DisplayStore | false;
  limiter?: StartLimiter | false;
  /** Deadline of each provider call (strategy and SecSign client alike). Default: their defaults. */
  providerTimeoutMs?: number;
  /**
   * Where pushLogin sits: after `passport.session()` (README's order, the default), or before
   * `passport.initialize()` with the passport instance given to it, so its polls skip passport.
   */
  mount?: 'after-passport' | 'before-passport';
}

export interface PushApp {
  app: Express;
  store: session.MemoryStore;
  strategy: PushStrategy;
}

/** A display store that keeps nothing (the memory bench's baseline). */
const NO_DISPLAYS: DisplayStore = {
  set: async () => undefined,
  get: async () => undefined,
  delete: async () => undefined,
};

export function buildPushApp(options: PushAppOptions): PushApp {
  const provider = new SecSignIdProvider({
    endpoint: options.simulatorUrl,
    fallbackEndpoint: null,
    allowInsecureHttp: true,
    serviceName: 'Bench Shop',
    serviceAddress: 'https://bench.example',
    pollIntervalMs: options.providerPollIntervalMs,
    ...(options.providerTimeoutMs !== undefined ? { timeoutMs: options.providerTimeoutMs } : {}),
  });
  const strategy = new PushStrategy(
    {
      provider,
      pollIntervalMs: options.pollIntervalMs ?? 0,
      challengeTimeoutMs: options.challengeTimeoutMs ?? 120_000,
      limiter: options.limiter ?? false,
      ...(options.displayStore === false ? { stores: { displays: NO_DISPLAYS } } : {}),
      ...(options.displayStore ? { stores: { displays: options.displayStore } } : {}),
      ...(options.providerTimeoutMs !== undefined ? { providerTimeoutMs: options.providerTimeoutMs } : {}),
    },
    async (subject: string) => ({ id: subject }),
  );
  const passport = new Passport();
  passport.use(strategy);
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));

  const store = new session.MemoryStore();
  const app = express();
  app.use(sessionMiddleware(store));
  const first = options.mount === 'before-passport';
  if (!first) {
    app.use(passport.initialize());
    app.use(passport.session());
  }
  app.use(
    '/auth/push',
    pushLogin({
      strategy,
      ...(first ? { passport } : {}),
      successRedirect: '/me',
      failureRedirect: '/login',
      ...(options.longPollMs !== undefined ? { longPollMs: options.longPollMs } : {}),
    }),
  );
  if (first) {
    app.use(passport.initialize());
    app.use(passport.session());
  }
  app.get('/me', (req, res) => {
    res.status(req.user ? 200 : 401).json({ user: req.user ?? null });
  });
  return { app, store, strategy };
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Listening> {
  const server: Server = await new Promise((resolve) => {
    // A surge opens thousands of connections at once: past Node's default backlog (511) the kernel
    // drops them, and each client waits 1, 3, then 7 s to try again (docs/multi-instance.md).
    const s = app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(s));
  });
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every stored session, as the MemoryStore keeps it (parsed). */
export function storedSessions(store: session.MemoryStore): Promise<Record<string, session.SessionData>> {
  return new Promise((resolve, reject) =>
    store.all((error, sessions) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      resolve((sessions ?? {}) as Record<string, session.SessionData>);
    }),
  );
}

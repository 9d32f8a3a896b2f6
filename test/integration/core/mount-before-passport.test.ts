/**
 * pushLogin mounted before passport.initialize(), with the passport instance given to it: polls
 * skip passport's middleware, and the requests that need passport (the completing poll, a tab that
 * finds the login already done) run it themselves.
 */
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { Passport } from 'passport';
import { PushError, PushStrategy, pushLogin } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';

const json = { Accept: 'application/json' };

/** The app's error handler: shows what a developer would read. */
function showError(
  error: unknown,
  _req: express.Request,
  res: express.Response,
  _next: express.NextFunction,
) {
  res.status(500).json({
    message: error instanceof Error ? error.message : String(error),
    isError: error instanceof Error,
    kind: error instanceof PushError ? error.kind : null,
  });
}

/** An app with pushLogin before passport, and the passport instance to change its callbacks. */
function appBeforePassport() {
  const passport = new Passport();
  const provider = new ScriptedProvider();
  const strategy = new PushStrategy({ provider, limiter: false, pollIntervalMs: 0 }, async (subject) => ({
    id: subject,
  }));
  // What passport's callbacks fail with, once a test sets it (passport keeps the first callbacks given).
  const failures: { serialize?: unknown; deserialize?: unknown } = {};
  passport.serializeUser((user, done) => done(failures.serialize ?? null, user));
  passport.deserializeUser((user: Express.User, done) => done(failures.deserialize ?? null, user));
  const app = express();
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  app.use('/auth/push', pushLogin({ strategy, passport, successRedirect: '/me' }));
  app.use(passport.initialize());
  app.use(passport.session());
  app.get('/me', (req, res) => res.json({ user: req.user ?? null }));
  app.use(showError);
  return { agent: request.agent(app), provider, failures };
}

describe('pushLogin before passport.initialize(), given the passport instance', () => {
  test('a JSON login completes, and the app behind passport.session() sees the user', async () => {
    const { agent, provider } = await startedLogin({
      provider: new ScriptedProvider(),
      mount: 'before-passport',
    });
    await agent.get('/auth/push/status').set(json).expect(202);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    const me = await agent.get('/me').expect(200);
    expect(me.body.user).toMatchObject({ id: 'alice' });
  });

  test('an HTML login completes with a redirect to the app', async () => {
    const { agent, provider } = await startedLogin({
      provider: new ScriptedProvider(),
      mount: 'before-passport',
    });
    provider.answer('approved');
    const done = await agent.get('/auth/push/status').expect(303);
    expect(done.headers.location).toBe('/me');
    await agent.get('/me').expect(200);
  });

  test('a tab that polls after another tab completed the login follows to the app', async () => {
    const { agent, provider } = await startedLogin({
      provider: new ScriptedProvider(),
      mount: 'before-passport',
    });
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
  });

  test('without a login, a poll still answers that none is waiting', async () => {
    const { agent } = await startedLogin({ provider: new ScriptedProvider(), mount: 'before-passport' });
    await agent.post('/auth/push/cancel').set(json).expect(200);
    const none = await agent.get('/auth/push/status').set(json).expect(404);
    expect(none.body.state).toBe('none');
  });

  test('a session whose user passport cannot read any more is no login: the poll answers that none is waiting', async () => {
    const { agent, provider, failures } = appBeforePassport();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
    // The user was deleted meanwhile: deserializeUser fails, as passport lets it.
    failures.deserialize = new Error('no such user');
    const none = await agent.get('/auth/push/status').set(json).expect(404);
    expect(none.body.state).toBe('none');
  });

  test('a login passport cannot save (serializeUser fails) reaches the app as an Error; nobody is logged in', async () => {
    const { agent, provider, failures } = appBeforePassport();
    // Some callbacks fail with a string: the app's error handler still gets an Error.
    failures.serialize = 'session store full';
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const failed = await agent.get('/auth/push/status').set(json).expect(500);
    expect(failed.body).toEqual({ message: 'session store full', isError: true, kind: null });
    await agent.get('/me').expect(200, { user: null });
  });

  test('without the passport instance, a completion says how to fix the wiring', async () => {
    const passport = new Passport();
    const provider = new ScriptedProvider();
    const strategy = new PushStrategy({ provider, limiter: false, pollIntervalMs: 0 }, async (subject) => ({
      id: subject,
    }));
    passport.serializeUser((user, done) => done(null, user));
    const app = express();
    app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
    app.use('/auth/push', pushLogin({ strategy }));
    app.use(passport.initialize());
    // The app's error handler shows what a developer would read.
    app.use(showError);
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const failed = await agent.get('/auth/push/status').set(json).expect(500);
    expect(failed.body.message).toMatch(/passport\.initialize\(\) before it, or give pushLogin `passport`/);
    expect(failed.body.kind).toBe('config');
  });

  test('given passport but mounted behind passport.session(), a login completes just the same', async () => {
    const passport = new Passport();
    const provider = new ScriptedProvider();
    const strategy = new PushStrategy({ provider, limiter: false, pollIntervalMs: 0 }, async (subject) => ({
      id: subject,
    }));
    passport.serializeUser((user, done) => done(null, user));
    passport.deserializeUser((user: Express.User, done) => done(null, user));
    const app = express();
    app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
    app.use(passport.initialize());
    app.use(passport.session());
    app.use('/auth/push', pushLogin({ strategy, passport, successRedirect: '/me' }));
    app.get('/me', (req, res) => res.json({ user: req.user ?? null }));
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    await agent.get('/me').expect(200, { user: { id: 'alice' } });
  });

  test.each([
    ['an empty object', {}],
    ['null', null],
    ['an object with initialize() but no session()', { initialize: () => () => undefined }],
    ['an object with session() but no initialize()', { session: () => () => undefined }],
  ])('refuses a passport option that is not a passport instance: %s', (_name, passport) => {
    const strategy = new PushStrategy({ provider: new ScriptedProvider() }, async (subject) => ({
      id: subject,
    }));
    const mount = () => pushLogin({ strategy, passport: passport as never });
    expect(mount).toThrow(/must be your passport instance/);
    expect(mount).toThrow(expect.objectContaining({ kind: 'config' }));
  });
});

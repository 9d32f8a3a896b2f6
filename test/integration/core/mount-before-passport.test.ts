/**
 * pushLogin mounted before passport.initialize(), with the passport instance given to it: polls
 * skip passport's middleware, and the requests that need passport (the completing poll, a tab that
 * finds the login already done) run it themselves.
 */
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { Passport } from 'passport';
import { PushStrategy, pushLogin } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';

const json = { Accept: 'application/json' };

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
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ message: error.message });
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    const failed = await agent.get('/auth/push/status').set(json).expect(500);
    expect(failed.body.message).toMatch(/passport\.initialize\(\) before it, or give pushLogin `passport`/);
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

  test('refuses a passport option that is not a passport instance', () => {
    const strategy = new PushStrategy({ provider: new ScriptedProvider() }, async (subject) => ({
      id: subject,
    }));
    expect(() => pushLogin({ strategy, passport: {} as never })).toThrow(/passport/);
  });
});

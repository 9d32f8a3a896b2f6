import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import request from 'supertest';
import { PushStrategy, pushOutcome, type PushAuthenticateOptions } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';

/** An app that wires passport.authenticate itself, the way README shows, without pushLogin(). */
function appWith(
  routes: (app: express.Express, passport: InstanceType<typeof Passport>) => void,
  withSession = true,
) {
  const provider = new ScriptedProvider();
  const passport = new Passport();
  passport.use(
    new PushStrategy({ provider, pollIntervalMs: 0, limiter: false }, async (subject) => ({ id: subject })),
  );
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(express.json());
  if (withSession) app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  routes(app, passport);
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status((error as { status?: number }).status ?? 500)
      .json({ handler: 'error', message: error.message });
  });
  return { app, provider };
}

const poll: PushAuthenticateOptions = { action: 'poll' };

function respondPending(req: Request, res: Response) {
  const outcome = pushOutcome(req);
  res.status(outcome?.state === 'cancelled' ? 200 : 202).json({ handler: 'next', outcome });
}

describe('passport.authenticate with plain options', () => {
  function setup(options: object) {
    return appWith((app, passport) => {
      app.post('/start', passport.authenticate('push', { action: 'start', ...options }), respondPending);
      app.get(
        '/poll',
        passport.authenticate('push', { ...poll, successRedirect: '/home', ...options }),
        respondPending,
      );
    });
  }

  test.each([
    ['failureRedirect', { failureRedirect: '/login' }],
    ['failureMessage', { failureRedirect: '/login', failureMessage: true }],
    ['failWithError', { failWithError: true }],
  ])('with %s a pending poll reaches the next handler, never the failure path', async (_name, options) => {
    const { app, provider } = setup(options);
    const agent = request.agent(app);
    const start = await agent.post('/start').send({ username: 'alice' }).expect(202);
    expect(start.body.outcome).toMatchObject({
      state: 'pending',
      started: true,
      display: { bindingMessage: 'CODE-c1' },
    });
    const pending = await agent.get('/poll').expect(202);
    expect(pending.body).toMatchObject({ handler: 'next', outcome: { state: 'pending', started: false } });
    provider.answer('approved');
    await agent.get('/poll').expect(302).expect('Location', '/home');
  });

  test('a denial follows failureRedirect', async () => {
    const { app, provider } = setup({ failureRedirect: '/login' });
    const agent = request.agent(app);
    await agent.post('/start').send({ username: 'alice' });
    provider.answer('denied');
    await agent.get('/poll').expect(302).expect('Location', '/login');
  });

  test('a denial with failWithError reaches the error handler as a 401', async () => {
    const { app, provider } = setup({ failWithError: true });
    const agent = request.agent(app);
    await agent.post('/start').send({ username: 'alice' });
    provider.answer('denied');
    await agent.get('/poll').expect(401, /"handler":"error"/);
  });
});

describe('passport.authenticate with a custom callback', () => {
  test('the callback gets approvals and failures; pending outcomes reach the next given to the middleware', async () => {
    const seen: unknown[] = [];
    const { app, provider } = appWith((app, passport) => {
      app.all('/push', (req, res, next) => {
        const action = req.method === 'POST' ? 'start' : 'poll';
        passport.authenticate(
          'push',
          { action },
          (err: unknown, user: unknown, info: unknown, status: unknown) => {
            seen.push({ err: err ? String(err) : null, user, info, status });
            if (err) return next(err);
            if (user) return req.logIn(user as Express.User, (e) => (e ? next(e) : res.json({ done: true })));
            res.status(status as number).json(info);
          },
        )(req, res, () => res.status(202).json(pushOutcome(req)));
      });
    });
    const agent = request.agent(app);
    const started = await agent.post('/push').send({ username: 'alice' }).expect(202);
    expect(started.body).toMatchObject({ state: 'pending', started: true });
    await agent.get('/push').expect(202, /"started":false/);
    provider.answer('denied');
    await agent.get('/push').expect(401, /"state":"denied"/);
    await agent.post('/push').send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    await agent.get('/push').expect(200, { done: true });
    expect(seen).toEqual([
      {
        err: null,
        user: false,
        info: expect.objectContaining({ state: 'denied' }),
        status: 401,
      },
      {
        err: null,
        user: { id: 'alice' },
        info: expect.objectContaining({ method: 'push', subject: 'alice' }),
        status: undefined,
      },
    ]);
  });
});

describe('every path ends in one passport action', () => {
  test('a provider that throws a plain Error reaches the error handler (no hanging request)', async () => {
    const { app, provider } = appWith((app, passport) => {
      app.post('/start', passport.authenticate('push', { action: 'start' }), respondPending);
    });
    provider.startErrors.push(new Error('socket hang up'));
    await request(app)
      .post('/start')
      .send({ username: 'alice' })
      .expect(500, { handler: 'error', message: 'socket hang up' });
  });

  test('without express-session the error names the fix', async () => {
    const { app } = appWith((app, passport) => {
      app.get('/poll', passport.authenticate('push', poll), respondPending);
    }, false);
    const answer = await request(app).get('/poll').expect(500);
    expect(answer.body.message).toMatch(/express-session/);
  });
});

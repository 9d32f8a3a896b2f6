/**
 * pushLogin()'s router mounted as apps nest routers, and the status poll it answers before its walk
 * (router-handle.ts): where its errors go when the request passed another pushLogin router on its
 * way, and the `req.params` it sees under a mount path with parameters.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { pushLogin } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';
import { holdStatusPoll } from '../../helpers/held-long-poll';

const json = { Accept: 'application/json' };

describe('a held poll that passed another pushLogin router first', () => {
  /**
   * Two pushLogin routers, each in a router of its own under `/auth`: the first (at `/auth`)
   * walks every request of the second (at `/auth/push`) and lets it go on. The second's enclosing
   * router has an error handler, and so has the app.
   */
  function nested(handlerOnRouter = false) {
    const provider = new ScriptedProvider();
    const clock = { now: Date.now() };
    const test = buildTestApp({
      provider,
      strategy: { pollIntervalMs: 100, now: () => clock.now },
      verify: () => Promise.reject(new Error('a bug in the app')),
      mountPath: '/unused',
    });
    const options = { strategy: test.strategy, successRedirect: '/me', failureRedirect: '/login' };
    const first = express.Router();
    first.use(pushLogin({ ...options, mountPath: '/auth' }));
    test.app.use('/auth', first);
    const second = express.Router();
    const push = pushLogin({ ...options, longPollMs: 60_000 });
    second.use('/push', push);
    const seen: string[] = [];
    // A router with an error handler of its own walks its stack for every request.
    if (handlerOnRouter) {
      push.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
        res.status(418).json({ router: error.message });
      });
    }
    second.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
      seen.push(`${req.baseUrl} ${req.url}`);
      res.status(418).json({ enclosing: error.message });
    });
    test.app.use('/auth', second);
    test.app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
      seen.push(`${req.baseUrl} ${req.url}`);
      res.status(500).json({ app: error.message });
    });
    const bus = test.strategy.login.bus as { challengeCount?: number };
    return { ...test, provider, clock, bus, seen, agent: request.agent(test.app) };
  }

  /** Starts a login, holds its poll and approves it on the phone (the app's verify fails). */
  async function failedWhileHeld(test: ReturnType<typeof nested>) {
    const { agent, provider, clock, bus } = test;
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { answer } = await holdStatusPoll(agent, bus);
    provider.answer('approved');
    clock.now += 1000;
    return answer;
  }

  test('its fault reaches the error handler of the router it is in, not one it already left', async () => {
    const test = nested();
    const answer = await failedWhileHeld(test);
    expect([answer.status, answer.body]).toEqual([418, { enclosing: 'a bug in the app' }]);
    expect(test.seen).toEqual(['/auth /push/status']);
  });

  test("its router's own error handler sees its fault", async () => {
    const answer = await failedWhileHeld(nested(true));
    expect([answer.status, answer.body]).toEqual([418, { router: 'a bug in the app' }]);
  });
});

describe('mounted under a path with parameters', () => {
  test("the status poll sees the router's own `req.params`, as its other routes and a HEAD do", async () => {
    const test = buildTestApp({ provider: new ScriptedProvider(), mountPath: '/unused' });
    const params: unknown[] = [];
    const push = pushLogin({
      strategy: test.strategy,
      successRedirect: '/me',
      failureRedirect: '/login',
      mountPath: '/t/x/push',
      // An app's function of the request, called while the poll is answered.
      locale: (req) => {
        params.push({ ...req.params });
        return undefined;
      },
    });
    test.app.use('/t/:tenant/push', push);
    const agent = request.agent(test.app);
    await agent.post('/t/x/push/start').set(json).send({ username: 'alice' }).expect(202);
    await agent.get('/t/x/push/status').set(json).expect(202);
    await agent.head('/t/x/push/status').set(json).expect(202);
    await agent.get('/t/x/push/status').expect(200);
    expect(params).toEqual([{}, {}, {}, {}]);
  });
});

describe('a router traced through diagnostics_channel (an APM agent; Express 5 publishes each layer)', () => {
  test('the status poll is traced as the walk traces it', async () => {
    const { app } = buildTestApp({ provider: new ScriptedProvider(), strategy: { pollIntervalMs: 60_000 } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const traced: string[] = [];
    const channel = tracingChannel<unknown, { route?: { path?: string } }>('express.router.request');
    const subscribers = {
      start: (context: { route?: { path?: string } }) => void traced.push(context.route?.path ?? '-'),
      end: () => undefined,
      asyncStart: () => undefined,
      asyncEnd: () => undefined,
      error: () => undefined,
    };
    channel.subscribe(subscribers);
    try {
      // `/Status` is the same route, always reached by the walk.
      await agent.get('/auth/push/Status').set(json).expect(202);
      const walked = traced.splice(0);
      await agent.get('/auth/push/status').set(json).expect(202);
      expect(traced).toEqual(walked);
    } finally {
      channel.unsubscribe(subscribers);
    }
  });
});

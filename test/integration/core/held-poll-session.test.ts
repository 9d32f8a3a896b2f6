/**
 * A held long poll keeps no copy of the session while it waits: it re-reads the stored session
 * when it answers. So what another request of the same browser saved meanwhile is not overwritten
 * by the copy the poll loaded when it arrived, and the poll's own record update still lands.
 */
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';
import { holdStatusPoll } from '../../helpers/held-long-poll';

const json = { Accept: 'application/json' };

function appWithNotes(longPollMs: number, verify?: () => Promise<never>, sessionStore?: session.Store) {
  const provider = new ScriptedProvider();
  // The login's clock: moved on before the poll, so the poll's first round checks the provider
  // and updates the login's record in the session it loaded.
  const clock = { now: Date.now() };
  const test = buildTestApp({
    provider,
    strategy: { pollIntervalMs: 100, now: () => clock.now },
    router: { longPollMs },
    ...(verify ? { verify } : {}),
    ...(sessionStore ? { sessionStore } : {}),
  });
  // Another page of the app that writes to the session while the login waits.
  test.app.post('/note', (req, res) => {
    (req.session as unknown as Record<string, unknown>)['note'] = 'kept';
    res.status(204).end();
  });
  test.app.get('/note', (req, res) => {
    res.json({ note: (req.session as unknown as Record<string, unknown>)['note'] ?? null });
  });
  const agent = request.agent(test.app);
  const bus = test.strategy.login.bus as { challengeCount?: number };
  /** Sends the JSON status poll; resolves once it is held, with its answer to come. */
  const hold = () => holdStatusPoll(agent, bus);
  /** Starts a login, holds its poll, approves it on the phone: the poll's answer. */
  const approvedWhileHeld = async () => {
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { answer } = await hold();
    provider.answer('approved');
    clock.now += 1000;
    return answer;
  };
  return { ...test, provider, clock, agent, hold, approvedWhileHeld };
}

describe('a held long poll and the session', () => {
  test('what another request saved while the poll was held survives the poll’s answer', async () => {
    const { agent, hold, provider, clock } = appWithNotes(400);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    clock.now += 1000;
    const checks = provider.calls.check;
    const { answer: held } = await hold();
    expect(provider.calls.check).toBe(checks + 1);
    // Once the poll is held (subscribed), another tab of the same browser writes to the session.
    await agent.post('/note').expect(204);
    // The hold ends still pending; its answer must not write its old copy back over the note.
    const answer = await held;
    expect(answer.status).toBe(202);
    await agent.get('/note').expect(200, { note: 'kept' });
    // The login itself is still there and completes as ever.
    await agent.get('/auth/push/status').set(json).expect(202);
  });

  test('approved while held, the poll signs in: the session is saved and its cookie set', async () => {
    const { agent, provider, hold, verified, clock } = appWithNotes(60_000);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { answer: held } = await hold();
    await agent.post('/note').expect(204);
    provider.answer('approved');
    clock.now += 1000;
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ state: 'authenticated', redirect: '/me' });
    // A login regenerates the session: the browser gets the new cookie with this answer.
    expect(String(answer.headers['set-cookie'])).toMatch(/^connect\.sid=/);
    expect(verified).toHaveLength(1);
    await agent.get('/me').expect(200);
  });
});

test('a hold that ends while the session store is down answers 503 with Retry-After, and saves nothing', async () => {
  const sessions = new session.MemoryStore();
  const get = sessions.get.bind(sessions);
  let down = false;
  sessions.get = (sid, callback) => (down ? callback(new Error('store down')) : get(sid, callback));
  const set = jest.spyOn(sessions, 'set');
  const { agent, hold, clock } = appWithNotes(300, undefined, sessions);
  await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  clock.now += 1000;
  const { answer: held } = await hold();
  down = true;
  set.mockClear();
  const answer = await held;
  expect(answer.status).toBe(503);
  expect(answer.headers['retry-after']).toBe('2');
  expect(answer.body).toMatchObject({ error: 'store_unavailable', retryable: true });
  expect(set).not.toHaveBeenCalled();
  // Healed: the login is still there.
  down = false;
  await agent.get('/auth/push/status').set(json).expect(202);
});

describe("a held long poll's faults go to the app's error handler", () => {
  test('a fault the library cannot classify, met while held, reaches the handler after the router', async () => {
    // The app's own verify function has a bug: met when the approval arrives during the hold.
    const { app, approvedWhileHeld } = appWithNotes(60_000, () =>
      Promise.reject(new Error('a bug in the app')),
    );
    const seen: { url: string; baseUrl: string; message: string }[] = [];
    app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
      seen.push({ url: req.url, baseUrl: req.baseUrl, message: error.message });
      res.status(418).json({ app: 'handled' });
    });
    const answer = await approvedWhileHeld();
    expect(answer.status).toBe(418);
    expect(answer.body).toEqual({ app: 'handled' });
    // The handler sees the request as the app's own routes do: the whole path, no router prefix.
    expect(seen).toEqual([{ url: '/auth/push/status', baseUrl: '', message: 'a bug in the app' }]);
  });

  test("an error handler added to the router itself still sees the held poll's fault", async () => {
    const { router, approvedWhileHeld } = appWithNotes(60_000, () =>
      Promise.reject(new Error('a bug in the app')),
    );
    router.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(418).json({ router: error.message });
    });
    const answer = await approvedWhileHeld();
    expect(answer.status).toBe(418);
    expect(answer.body).toEqual({ router: 'a bug in the app' });
  });
});

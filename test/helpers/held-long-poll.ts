/**
 * A login whose JSON status request is held as a long poll (`longPollMs` 60 s) over a given session
 * store: resolves once the poll is really held, i.e. once the hold subscribed to its challenge (the
 * first subscription only listens while the first poll round runs).
 */
import type session from 'express-session';
import request from 'supertest';
import { MemoryNotificationBus } from '../../lib/core/notification-bus';
import { ScriptedProvider } from '../../lib/testing';
import { buildTestApp } from './app';

export async function heldLongPoll(sessionStore: session.Store, storeTimeoutMs: number) {
  const notificationBus = new MemoryNotificationBus();
  let held!: (challengeId: string) => void;
  const isHeld = new Promise<string>((resolve) => (held = resolve));
  const subscribe = notificationBus.subscribe.bind(notificationBus);
  let subscriptions = 0;
  notificationBus.subscribe = (challengeId, listener) => {
    if ((subscriptions += 1) === 2) held(challengeId);
    return subscribe(challengeId, listener);
  };
  const provider = new ScriptedProvider();
  const { app, verified } = buildTestApp({
    provider,
    sessionStore,
    strategy: { storeTimeoutMs, stores: { notificationBus } },
    router: { longPollMs: 60_000 },
  });
  const agent = request.agent(app);
  const json = { Accept: 'application/json' };
  await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  const poll = agent
    .get('/auth/push/status')
    .set(json)
    .then((answer) => answer);
  return { agent, verified, provider, notificationBus, poll, challengeId: await isHeld };
}

/**
 * Sends `agent`'s JSON status poll (at `path`) and resolves once it is held, i.e. once the bus
 * has its challenge subscribed, with its answer to come (wrapped: an async function would wait for
 * a promise it returns).
 */
export async function holdStatusPoll(
  agent: ReturnType<typeof request.agent>,
  bus: { challengeCount?: number },
  path = '/auth/push/status',
): Promise<{ answer: Promise<request.Response> }> {
  const answer = agent
    .get(path)
    .set({ Accept: 'application/json' })
    .then((response) => response);
  for (let i = 0; i < 2000 && bus.challengeCount !== 1; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(bus.challengeCount).toBe(1);
  return { answer };
}

/**
 * The per-session cooldown counts one browser, although every start regenerates its session: the
 * library keeps a random client key in the session data and carries it across the regenerate,
 * whether the app keeps its own session data (`keepSessionInfo`) or not.
 */
import request from 'supertest';
import { createStartLimiter, PushError } from '../../../lib';
import { CLIENT_KEY_FIELD } from '../../../lib/core/client-key';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const json = { Accept: 'application/json' };
const sessionCooldownOnly = () =>
  createStartLimiter({
    sessionCooldownMs: 30_000,
    userCooldownMs: 0,
    perIp: false,
    perUser: false,
    perUserCeiling: false,
  });

describe.each([true, false])('keepSessionInfo: %s', (keepSessionInfo) => {
  function browser() {
    const provider = new ScriptedProvider();
    const { app, store } = buildTestApp({
      provider,
      strategy: { keepSessionInfo, limiter: sessionCooldownOnly() },
    });
    return { agent: request.agent(app), store, provider };
  }

  test('a second start from the same browser, for another ID, waits out the session cooldown', async () => {
    const { agent, provider } = browser();
    // The push may have gone out (a timeout) and no login is left to replace: the cooldown holds.
    provider.failNext(new PushError('protocol', 'timed out', { code: 'timeout', retryable: true }));
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(503);
    const second = await agent.post('/auth/push/start').set(json).send({ username: 'bob' });
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({ error: 'rate_limited', retryAfterMs: 30_000 });
  });

  test('another browser is not held by this one’s cooldown', async () => {
    const { agent } = browser();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const other = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { keepSessionInfo, limiter: sessionCooldownOnly() },
    });
    await request(other.app).post('/auth/push/start').set(json).send({ username: 'bob' }).expect(202);
  });

  test('the key in the session is random and not the session id', async () => {
    const { agent, store } = browser();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const sessions = await new Promise<Record<string, string>>((resolve, reject) =>
      store.all((error, all) => (error ? reject(error) : resolve(all as unknown as Record<string, string>))),
    );
    // The wait page's displays are kept beside the sessions (SessionStoreDisplays): not sessions.
    const [[sid, raw]] = Object.entries(sessions).filter(([id]) => !id.startsWith('push-display:')) as [
      [string, unknown],
    ];
    const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
    expect(data[CLIENT_KEY_FIELD]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(data[CLIENT_KEY_FIELD]).not.toBe(sid);
  });
});

/**
 * How a held long poll ends besides an answer from the provider: the browser leaving (its
 * subscription must go with it, or thousands of closed tabs pile up) and the session destroyed
 * meanwhile by another request (a logout in another tab: nothing may be written back). Regular
 * checks are a minute apart and the hold outlasts the test, so only these events can end it early.
 */
import { get } from 'node:http';
import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionIds, storedChallenge } from '../../helpers/app';
import { loopbackServers } from '../../helpers/loopback-servers';

const json = { Accept: 'application/json' };

const loopback = loopbackServers();
// Also after a test that failed with a poll still held: such a poll must not keep the server open.
afterEach(() => loopback.closeAll());

/** A started login behind a real server (a browser can only hang up on a socket), by default held a minute. */
async function heldLogin(longPollMs = 60_000) {
  const test = buildTestApp({
    provider: new ScriptedProvider(),
    strategy: { pollIntervalMs: 60_000 },
    router: { longPollMs },
  });
  const { base, cookie } = await loopback.startedLogin(test.app);
  const bus = test.strategy.login.bus as { challengeCount?: number };
  /** Waits (a bounded number of event-loop turns) until `count` challenges have waiters. */
  const waiters = async (count: number) => {
    for (let i = 0; i < 2000 && bus.challengeCount !== count; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return bus.challengeCount;
  };
  return { ...test, base, cookie, waiters };
}

describe('a held long poll', () => {
  test('whose browser leaves ends, and takes its subscription with it', async () => {
    const login = await heldLogin();
    const held = get(`${login.base}/auth/push/status`, { headers: { ...json, Cookie: login.cookie } });
    held.on('error', () => undefined);
    expect(await login.waiters(1)).toBe(1);
    held.destroy();
    expect(await login.waiters(0)).toBe(0);
  });

  test('shorter than the pause before the next check ends when longPollMs is up, still pending', async () => {
    const login = await heldLogin(300);
    const answer = await request(login.base).get('/auth/push/status').set(json).set('Cookie', login.cookie);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ state: 'pending' });
    expect(await login.waiters(0)).toBe(0);
  });

  test('whose session another request destroyed answers at once and writes nothing back', async () => {
    // A hold that ends before the test's timeout: a poll that missed the end fails by its answer.
    const login = await heldLogin(3_000);
    const { sid, challengeId } = await storedChallenge(login);
    const held = request(login.base)
      .get('/auth/push/status')
      .set(json)
      .set('Cookie', login.cookie)
      .then((answer) => answer);
    expect(await login.waiters(1)).toBe(1);
    // A logout in another tab: the session goes, and the challenge's end reaches its waiters.
    await new Promise<void>((resolve) => login.store.destroy(sid, () => resolve()));
    await login.strategy.login.bus.publish(challengeId, { type: 'settled', state: 'cancelled' });
    const answer = await held;
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ state: 'pending', retryAfterMs: 0 });
    expect(await sessionIds(login.store)).toEqual([]);
  });
});

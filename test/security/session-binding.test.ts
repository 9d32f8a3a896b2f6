/**
 * A challenge belongs to the session that started it, completes once, and the login gives the
 * browser a new session id: fixation, replay and cross-session completion, for every provider.
 */
import request from 'supertest';
import { sessionFingerprint } from '../../lib/core/challenge';
import {
  appFor,
  JSON_ACCEPT,
  logIn,
  poll,
  readSession,
  recordIn,
  sessionIds,
  start,
  whoAmI,
  writeSession,
} from './browser';
import { TARGETS, type Target } from './harness';

describe.each(TARGETS)('%s', (_name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  test('session fixation: the pre-login session id is dead after the login, and the new one differs', async () => {
    const { app, store, agent } = appFor(target);
    const browser = agent();
    const before = await logIn(browser, target, 'alice');

    expect(await whoAmI(browser)).toBe('alice');
    const ids = await sessionIds(store);
    expect(ids).not.toContain(before.sid);
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe(before.sid);

    // The old cookie (say, one an attacker planted before the login) has neither user nor challenge.
    const fixed = request(app);
    const me = await fixed.get('/me').set('Cookie', before.cookie);
    expect(me.status).toBe(401);
    const status = await fixed.get('/auth/push/status').set(JSON_ACCEPT).set('Cookie', before.cookie);
    expect(status.status).toBe(404);
    expect(status.body).toMatchObject({ state: 'none' });
  });

  test('replay: the old cookie cannot complete the challenge again', async () => {
    const { app, verified, agent } = appFor(target);
    const before = await logIn(agent(), target, 'alice');
    target.due();
    const replay = await request(app).get('/auth/push/status').set(JSON_ACCEPT).set('Cookie', before.cookie);
    expect(replay.status).toBe(404);
    expect(verified).toHaveLength(1);
  });

  test('replay: a record copied into another session is refused (its fingerprint names the first)', async () => {
    const { store, verified, agent } = appFor(target);
    const victim = agent();
    const started = await start(victim, 'alice');
    const stolen = recordIn(await readSession(store, started.sid));

    const attacker = agent();
    const own = await start(attacker, 'carol');
    const attackerSession = await readSession(store, own.sid);
    if (!attackerSession || !stolen) throw new Error('no sessions');
    const key = Object.keys(attackerSession).find((k) => k.startsWith('push:')) ?? '';
    await writeSession(store, own.sid, { ...attackerSession, [key]: stolen });

    await target.approve('alice', started.display);
    target.due();
    const answer = await poll(attacker);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ state: 'invalid' });
    expect(await whoAmI(attacker)).toBeUndefined();
    // The victim's own login is untouched.
    const done = await poll(victim);
    expect(done.status).toBe(200);
    expect(await whoAmI(victim)).toBe('alice');
    expect(verified.map((v) => v.subject)).toEqual(['alice']);
  });

  test('replay: a completed record put back into the logged-in session never completes again', async () => {
    const { store, verified, agent } = appFor(target);
    const browser = agent();
    const started = await start(browser, 'alice');
    const record = recordIn(await readSession(store, started.sid));
    await target.approve('alice', started.display);
    target.due();
    expect((await poll(browser)).status).toBe(200);

    const [after] = await sessionIds(store);
    const loggedIn = after === undefined ? undefined : await readSession(store, after);
    if (!record || !after || !loggedIn) throw new Error('no session');
    const key = `push:${target.provider.name}`;

    // As copied: its fingerprint names the pre-login session.
    await writeSession(store, after, { ...loggedIn, [key]: record });
    target.due();
    const copied = await poll(browser);
    expect(copied.body).toMatchObject({ state: 'invalid' });

    // Re-fingerprinted for the new session (anyone who knows the id can): the claim refuses it.
    await writeSession(store, after, { ...loggedIn, [key]: { ...record, sid: sessionFingerprint(after) } });
    target.due();
    const refingerprinted = await poll(browser);
    // SecSign and Authentiq8 still say "approved": the lost claim answers 202 (it cannot tell a replay
    // from a concurrent poll that is completing right now); the CIBA OP refuses the used auth_req_id.
    expect([202, 401]).toContain(refingerprinted.status);
    expect(verified).toHaveLength(1);
    expect(await sessionIds(store)).toEqual([after]);
  });

  test('cross-session: agent B can neither complete nor cancel agent A’s challenge', async () => {
    const { verified, agent } = appFor(target);
    const a = agent();
    const b = agent();
    const started = await start(a, 'alice');
    await target.approve('alice', started.display);
    target.due();

    // B has no challenge: polling, cancelling and even starting its own do not touch A's.
    expect((await poll(b)).status).toBe(404);
    await b.post('/auth/push/cancel').set(JSON_ACCEPT).expect(200);
    const bStatus = await b.get('/auth/push/status').set(JSON_ACCEPT).query({ username: 'alice' });
    expect(bStatus.status).toBe(404);
    expect(await whoAmI(b)).toBeUndefined();

    const done = await poll(a);
    expect(done.status).toBe(200);
    expect(await whoAmI(a)).toBe('alice');
    expect(verified).toHaveLength(1);
  });
});

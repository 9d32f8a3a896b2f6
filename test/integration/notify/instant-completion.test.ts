/**
 * pushLogin() with a provider that sends notifications: a held long poll and the status stream
 * (`GET events`) answer the moment a notification leads to the approval, with one provider call
 * for it; the wait page offers the stream to its script. Regular checks are a minute apart here,
 * so only the notification can explain an early answer.
 */
import { ScriptedProvider } from '../../../lib/testing';
import type { PushStores } from '../../../lib';
import { MemoryDisplayStore } from '../../../lib/core/display-store';
import { sessionCookie } from '../../helpers/app';
import { listeningLogin } from '../../helpers/loopback-servers';
import { manualClock } from '../../helpers/clock';
import { openStateStream } from '../../helpers/event-stream-client';
import request from 'supertest';

const json = { Accept: 'application/json' };
const FLOOR_MS = 1000;

async function listening(
  router: Record<string, unknown> = {},
  clock = manualClock(),
  stores: Partial<PushStores> = {},
) {
  const provider = new ScriptedProvider({ notificationSecret: 's3cret', minCheckIntervalMs: FLOOR_MS });
  const login = await listeningLogin({
    provider,
    strategy: { pollIntervalMs: 60_000, now: clock.now, stores },
    router,
  });
  clock.advance(FLOOR_MS); // the floor runs from the start call
  const notify = () => {
    const { headers, body } = provider.notification();
    return request(login.base).post('/auth/push/notify').set(headers).send(body).expect(204);
  };
  return { ...login, provider, clock, notify };
}

describe('a held long poll', () => {
  test('answers the login as soon as the notification of the approval arrives, with one check', async () => {
    const login = await listening({ longPollMs: 60_000 });
    try {
      const held = request(login.base).get('/auth/push/status').set(json).set('Cookie', login.cookie);
      const answer = held.then((r) => r);
      login.provider.answer('approved');
      // Sent while the poll is held (or just before: the hint waits for it either way).
      await login.notify();
      const done = await answer;
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
      expect(login.provider.calls.check).toBe(1);
    } finally {
      await login.close();
    }
  });

  test('a denial through a notification ends the held poll with the denial', async () => {
    const login = await listening({ longPollMs: 60_000 });
    try {
      const answer = request(login.base)
        .get('/auth/push/status')
        .set(json)
        .set('Cookie', login.cookie)
        .then((r) => r);
      login.provider.answer('denied');
      await login.notify();
      const done = await answer;
      expect(done.status).toBe(401);
      expect(done.body.state).toBe('denied');
    } finally {
      await login.close();
    }
  });
});

describe("a long poll's first round", () => {
  test('a notification that arrives while it asks the provider ends the hold at once', async () => {
    const login = await listening({ longPollMs: 60_000 });
    try {
      login.clock.advance(60_000); // a regular check is due: the poll's first round asks the provider
      const check = login.provider.check.bind(login.provider);
      let first = true;
      login.provider.check = async (handle, signal) => {
        if (!first) return check(handle, signal);
        first = false;
        const status = await check(handle, signal); // still pending when asked
        // Approved on the phone a floor later, notified while this round is still under way.
        login.provider.answer('approved');
        login.clock.advance(FLOOR_MS);
        await login.notify();
        return status;
      };
      // The next regular check is a minute away: only the notification heard during the first
      // round can end the hold before longPollMs.
      const done = await request(login.base).get('/auth/push/status').set(json).set('Cookie', login.cookie);
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
      expect(login.provider.calls.check).toBe(2);
    } finally {
      await login.close();
    }
  });
});

describe('the status stream (GET events)', () => {
  test('streams pending, then approved on the notification; status then completes without another check', async () => {
    const login = await listening();
    try {
      const stream = await openStateStream(`${login.base}/auth/push/events`, login.cookie);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(await stream.nextState()).toMatchObject({ state: 'pending' });
      login.provider.answer('approved');
      await login.notify();
      expect(await stream.nextState()).toEqual({ state: 'approved' });
      expect(await stream.nextState()).toBeNull(); // a final state ends the stream
      expect(login.provider.calls.check).toBe(1);

      const done = await request(login.base).get('/auth/push/status').set(json).set('Cookie', login.cookie);
      expect(done.status).toBe(200);
      expect(done.body.state).toBe('authenticated');
      expect(login.provider.calls.check).toBe(1);
      expect(login.verified.map((v) => v.subject)).toEqual(['alice']);
      // The stream never wrote the session: the completed login is the one that counts.
      const loggedIn = sessionCookie(done.headers['set-cookie']);
      await request(login.base)
        .get('/me')
        .set('Cookie', loggedIn ?? '')
        .expect(200);
    } finally {
      await login.close();
    }
  });

  test('a stream with no challenge in the session answers 404; one for an older challenge 409', async () => {
    const login = await listening();
    try {
      await request(login.base).get('/auth/push/events').expect(404, { state: 'none' });
      await request(login.base)
        .get('/auth/push/events?challenge=older')
        .set('Cookie', login.cookie)
        .expect(409, /superseded/);
    } finally {
      await login.close();
    }
  });

  test('a newer login in the same browser ends the older stream, and its page learns it was superseded', async () => {
    const login = await listening();
    try {
      const stream = await openStateStream(`${login.base}/auth/push/events`, login.cookie);
      expect(await stream.nextState()).toMatchObject({ state: 'pending' });
      const again = await request(login.base)
        .post('/auth/push/start')
        .set(json)
        .set('Cookie', login.cookie)
        .send({ username: 'alice' })
        .expect(202);
      // The start regenerated the session and, its answer sent, announced the older login replaced.
      expect(await stream.nextState()).toEqual({ state: 'superseded' });
      expect(await stream.nextState()).toBeNull();
      const newer = sessionCookie(again.headers['set-cookie']) ?? '';
      await request(login.base)
        .get('/auth/push/status?challenge=c1-old')
        .set(json)
        .set('Cookie', newer)
        .expect(409, /superseded/);
    } finally {
      await login.close();
    }
  });

  test('a stream that reads its session while a newer start is under way waits for that start, and does not report "none"', async () => {
    // Rechecks often; the stream reads the stored session again once a provider check is due.
    const login = await listening({ eventsRecheckMs: 20 });
    let release = () => {};
    try {
      const stream = await openStateStream(`${login.base}/auth/push/events`, login.cookie);
      expect(await stream.nextState()).toMatchObject({ state: 'pending' });
      // The newer start stops at the provider: the session it regenerated is gone from the store,
      // and its answer (with the new cookie) is not sent yet.
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inProvider = new Promise<void>((resolve) => (entered = resolve));
      const start = login.provider.start.bind(login.provider);
      login.provider.start = async (req, signal) => {
        entered();
        await held;
        return start(req, signal);
      };
      const again = request(login.base)
        .post('/auth/push/start')
        .set(json)
        .set('Cookie', login.cookie)
        .send({ username: 'alice' })
        .then((r) => r);
      await inProvider;
      let read!: () => void;
      const readGone = new Promise<void>((resolve) => (read = resolve));
      const get = login.store.get.bind(login.store);
      login.store.get = (sid, callback) => {
        get(sid, (error, session) => {
          if (!session) read();
          callback(error, session);
        });
      };
      // The older login's check is due: its stream's next recheck reads the (gone) session.
      login.clock.advance(60_000);
      await readGone;
      release();
      expect((await again).status).toBe(202);
      // Not "none" (a poll with the old cookie would find no login): the stream says it was replaced.
      // A read that came before the newer start destroyed the session may repeat "pending" first.
      let next = await stream.nextState();
      while (next?.['state'] === 'pending') next = await stream.nextState();
      expect(next).toEqual({ state: 'superseded' });
      expect(await stream.nextState()).toBeNull();
    } finally {
      release();
      await login.close();
    }
  });

  test('a client that leaves takes its subscription with it', async () => {
    const login = await listening();
    try {
      const stream = await openStateStream(`${login.base}/auth/push/events`, login.cookie);
      const first = await stream.nextState();
      expect(first).toMatchObject({ state: 'pending' });
      const bus = login.strategy.login.bus as { challengeCount?: number };
      expect(bus.challengeCount).toBe(1);
      stream.close();
      for (let i = 0; i < 500 && bus.challengeCount !== 0; i++) await new Promise((r) => setImmediate(r));
      expect(bus.challengeCount).toBe(0);
    } finally {
      await login.close();
    }
  });
});

describe('the wait page', () => {
  test('names the status stream for its script, and keeps its display in the display store', async () => {
    const clock = manualClock();
    const displayStore = new MemoryDisplayStore({ now: clock.now });
    const login = await listening({}, clock, { displays: displayStore });
    try {
      const page = await request(login.base).get('/auth/push/wait').set('Cookie', login.cookie).expect(200);
      expect(page.text).toContain('data-events-url="/auth/push/events"');
      expect(page.text).toContain('CODE-c1');
      expect(displayStore.size).toBe(1);
    } finally {
      await login.close();
    }
  });
});

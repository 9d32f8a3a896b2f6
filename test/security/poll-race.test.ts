/**
 * Concurrent polls of one session racing the login (expressjs/session#935): express-session saves
 * whole sessions and the last write wins, so a poll that loaded the pre-login session must not write
 * it back after the login destroyed it. The order is forced with gates on the store, never sleeps:
 * every poll loads the pre-login session first; two go on together (one wins, one loses the claim);
 * the rest go on only after the login destroyed that session, still holding their stale copy.
 */
import type session from 'express-session';
import { appFor, pendingRecords, poll, sessionIds, start, whoAmI } from './browser';
import { TARGETS, type Target } from './harness';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

type GetCallback = (error: unknown, data?: session.SessionData | null) => void;

/**
 * Loads run at once (the data is read when asked, as a real store does), but their callbacks wait
 * for `releaseFirst` (the first `together` loads) or `releaseRest`.
 */
function gateLoads(store: session.MemoryStore, expected: number, together: number) {
  const original = store.get.bind(store);
  const arrived = deferred();
  const first = deferred();
  const rest = deferred();
  let loads = 0;
  const spy = jest.spyOn(store, 'get').mockImplementation((sid: string, callback: GetCallback) => {
    // Loads beyond the polls' own (the strategy's, the next requests') go straight through.
    if (loads >= expected) return original(sid, callback);
    const gate = loads < together ? first : rest;
    if (++loads === expected) arrived.resolve();
    original(sid, (error, data) => void gate.promise.then(() => callback(error, data)));
  });
  return {
    arrived: arrived.promise,
    releaseFirst: first.resolve,
    releaseRest: rest.resolve,
    restore: () => spy.mockRestore(),
  };
}

function destroyed(store: session.MemoryStore, sid: string): Promise<void> {
  const done = deferred();
  const original = store.destroy.bind(store);
  jest.spyOn(store, 'destroy').mockImplementation((id: string, callback?: (error?: unknown) => void) => {
    original(id, callback);
    if (id === sid) done.resolve();
  });
  return done.promise;
}

describe.each(TARGETS)('%s', (_name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());
  afterEach(() => jest.restoreAllMocks());

  test.each([2, 5])(
    '%i concurrent polls around the approval: one login, the old session stays dead, no record left',
    async (polls) => {
      const { store, verified, agent } = appFor(target);
      const browser = agent();
      const started = await start(browser, 'alice');
      await target.approve('alice', started.display);
      target.due();

      const loads = gateLoads(store, polls, 2);
      const oldSessionGone = destroyed(store, started.sid);
      const answers = Array.from({ length: polls }, () => poll(browser));
      await loads.arrived; // every poll holds the pre-login session
      loads.releaseFirst();
      await oldSessionGone; // the winner logged in: the pre-login session is destroyed
      loads.releaseRest(); // the stale polls go on with their copy of it
      const statuses = (await Promise.all(answers)).map((a) => a.status);
      loads.restore();

      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
      expect(verified).toHaveLength(1);
      const ids = await sessionIds(store);
      expect(ids).not.toContain(started.sid);
      expect(ids).toHaveLength(1);
      expect(await pendingRecords(store)).toEqual([]);
      expect(await whoAmI(browser)).toBe('alice');
      // A later poll from the logged-in browser is told so.
      expect((await poll(browser)).body).toMatchObject({ state: 'authenticated' });
    },
  );
});

/**
 * One challenge, one ending: two tabs of one browser (one instance, then two instances sharing Redis
 * for sessions and completion claims) reach the same ending together, and `onEvent` hears it once.
 * Cancel and completion are one decision too: whichever is first wins, and the other request's
 * answer says what actually happened. The race is forced by holding every request's session load
 * until all of them hold the pre-ending session, never by sleeping. Two instances run on one
 * redis-server and on a three-primary Redis Cluster, each with node-redis and ioredis (a missing
 * redis-server fails it).
 */
import type session from 'express-session';
import request from 'supertest';
import type { Response } from 'supertest';
import type { PushEvent } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionCookie, type TestApp } from '../../helpers/app';
import { manualClock } from '../../helpers/clock';
import { fileRedis, TOPOLOGIES, TOPOLOGY_CASES } from '../../helpers/redis-topology';
import { together } from '../../helpers/together';
import { twoInstances, type TwoInstances } from '../../helpers/two-instances';

const json = { Accept: 'application/json' };
const TIMEOUT_MS = 60_000;

type Ending = 'denied' | 'fraud' | 'expired' | 'cancelled';
const ENDINGS: Ending[] = ['denied', 'fraud', 'expired', 'cancelled'];
/** The audit events each ending must produce, once. */
const EXPECTED: Record<Ending, string[]> = {
  denied: ['denied'],
  fraud: ['denied', 'fraud'],
  expired: ['expired'],
  cancelled: ['cancelled'],
};
const ENDING_TYPES = new Set(['approved', 'denied', 'fraud', 'expired', 'cancelled', 'invalid', 'rejected']);

interface Instances {
  apps: TestApp[];
  stores: session.Store[];
  events: PushEvent[];
  provider: ScriptedProvider;
  clock: ReturnType<typeof manualClock>;
}

/** The two tabs' requests for an ending, the first on `apps[0]`, the second on the last app. */
function endingRequests(setup: Instances, ending: Ending, cookie: string): (() => Promise<Response>)[] {
  const tab = (app: TestApp) => () =>
    ending === 'cancelled'
      ? request(app.app)
          .post('/auth/push/cancel')
          .set(json)
          .set('Cookie', cookie)
          .then((r) => r)
      : request(app.app)
          .get('/auth/push/status')
          .set(json)
          .set('Cookie', cookie)
          .then((r) => r);
  return [tab(setup.apps[0] as TestApp), tab(setup.apps.at(-1) as TestApp)];
}

async function startOn(setup: Instances): Promise<string> {
  const start = await request((setup.apps[0] as TestApp).app)
    .post('/auth/push/start')
    .set(json)
    .send({ username: 'alice' })
    .expect(202);
  const cookie = sessionCookie(start.headers['set-cookie']);
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

function endingsHeard(events: PushEvent[]): string[] {
  return events.filter((e) => ENDING_TYPES.has(e.type)).map((e) => e.type);
}

function suite(name: string, make: () => Promise<Instances>, close: () => Promise<void>) {
  describe(name, () => {
    let setup: Instances;
    beforeEach(async () => {
      setup = await make();
    });
    afterEach(close);

    test.each(ENDINGS)('%s reached by two tabs together is reported once', async (ending) => {
      const cookie = await startOn(setup);
      if (ending === 'denied') setup.provider.answer('denied');
      if (ending === 'fraud') setup.provider.answer('denied', { reason: 'fraud' });
      if (ending === 'expired') setup.clock.advance(TIMEOUT_MS + 1);
      const answers = await together(setup.stores, endingRequests(setup, ending, cookie));
      expect(endingsHeard(setup.events)).toEqual(EXPECTED[ending]);
      // Both tabs are told how it ended.
      const state = ending === 'fraud' ? 'denied' : ending;
      for (const answer of answers) expect(answer.body.state).toBe(state);
    });

    test('cancel and completion together: one wins, and the other answer agrees with it', async () => {
      const cookie = await startOn(setup);
      setup.provider.answer('approved');
      const [first, last] = [setup.apps[0] as TestApp, setup.apps.at(-1) as TestApp];
      const [poll, cancel] = await together(setup.stores, [
        () =>
          request(first.app)
            .get('/auth/push/status')
            .set(json)
            .set('Cookie', cookie)
            .then((r) => r),
        () =>
          request(last.app)
            .post('/auth/push/cancel')
            .set(json)
            .set('Cookie', cookie)
            .then((r) => r),
      ]);
      const heard = endingsHeard(setup.events);
      expect(heard).toHaveLength(1);
      if (heard[0] === 'approved') {
        expect(poll?.body.state).toBe('authenticated');
        expect(cancel?.body).toEqual({ state: 'authenticated', redirect: '/me' });
      } else {
        expect(heard).toEqual(['cancelled']);
        expect(cancel?.body.state).toBe('cancelled');
        expect(poll?.body.state).not.toBe('authenticated');
      }
    });
  });
}

function strategyOptions(events: PushEvent[], clock: ReturnType<typeof manualClock>) {
  return {
    onEvent: (event: PushEvent) => events.push(event),
    now: clock.now,
    challengeTimeoutMs: TIMEOUT_MS,
  };
}

suite(
  'one instance, two tabs',
  async () => {
    const events: PushEvent[] = [];
    const clock = manualClock();
    const provider = new ScriptedProvider();
    const app = buildTestApp({ provider, strategy: strategyOptions(events, clock) });
    return { apps: [app], stores: [app.store], events, provider, clock };
  },
  async () => undefined,
);

const redis = fileRedis();
// Each topology once for the file (a cluster takes seconds to form), before the first test.
beforeAll(() => Promise.all(TOPOLOGIES.map((topology) => redis.target(topology))), 60_000);
afterAll(() => redis.stop());
let instances: TwoInstances | undefined;

for (const [topology, client, kind] of TOPOLOGY_CASES) {
  suite(
    `two instances sharing Redis (${topology}, stores on ${client}), one tab on each`,
    async () => {
      const events: PushEvent[] = [];
      const clock = manualClock();
      const provider = new ScriptedProvider();
      instances = await twoInstances(
        await redis.target(topology),
        { provider, strategy: strategyOptions(events, clock) },
        clock.now,
        kind,
      );
      const { apps, stores } = instances;
      return { apps, stores, events, provider, clock };
    },
    async () => {
      await instances?.close();
    },
  );
}

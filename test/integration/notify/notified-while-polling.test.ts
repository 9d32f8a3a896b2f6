/**
 * A notification that reaches another instance while this instance's long poll is still asking the
 * provider (the held request has not started listening yet) must not be lost: the held poll hears
 * it, and the login completes at the next allowed check, not a whole poll interval later.
 */
import session from 'express-session';
import request from 'supertest';
import { MemoryCompletionStore } from '../../../lib/core/completion';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionCookie } from '../../helpers/app';
import { manualClock } from '../../helpers/clock';

const json = { Accept: 'application/json' };
const FLOOR_MS = 1000;

/** Resolves once `condition` holds; turns the event loop, never a fixed sleep. */
async function until(condition: () => boolean, attempts = 2000): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error('condition never held');
}

test('a notification on B while the long poll on A is in its provider check reaches the held poll', async () => {
  const clock = manualClock();
  const provider = new ScriptedProvider({
    notificationSecret: 'notify-secret',
    minCheckIntervalMs: FLOOR_MS,
  });
  const sessionStore = new session.MemoryStore();
  const stores = {
    completions: new MemoryCompletionStore(clock.now),
    rateLimits: new MemoryRateLimitStore(),
    notificationIndex: new MemoryNotificationIndex({ now: clock.now }),
    notificationBus: new MemoryNotificationBus(),
  };
  // Checks a minute apart: only a notification makes one sooner.
  const options = {
    provider,
    sessionStore,
    strategy: {
      now: clock.now,
      pollIntervalMs: 60_000,
      secret: 'one app secret shared by both instances',
      stores,
    },
    router: { longPollMs: 300_000 },
  };
  const a = buildTestApp(options).app;
  const b = buildTestApp(options).app;

  const start = await request(a).post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
  const cookie = sessionCookie(start.headers['set-cookie']) ?? '';
  clock.advance(60_000); // the regular check is due: the status request asks the provider

  // The provider's answer to that check is "pending", and it reaches A only after the phone has
  // approved and the notification has gone to B (a slow network, a busy provider).
  let release = () => undefined as void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  const check = provider.check.bind(provider);
  provider.check = async (handle, signal) => {
    const status = await check(handle, signal);
    await answered;
    return status;
  };
  const checks = provider.calls.check;
  const held = request(a)
    .get('/auth/push/status')
    .set(json)
    .set('Cookie', cookie)
    .then((r) => r);
  await until(() => provider.calls.check === checks + 1);

  provider.answer('approved');
  const { headers, body } = provider.notification();
  clock.advance(FLOOR_MS);
  await request(b).post('/auth/push/notify').set(headers).send(body).expect(204);
  release();

  const done = await held;
  expect(done.body.state).toBe('authenticated');
  expect(provider.calls.check).toBe(checks + 2);
});

/**
 * Caps that hold: a long poll beyond the per-challenge waiter cap is answered at once (pending, with
 * Retry-After), never held; and a held poll does not re-read the session store on wakes that
 * change nothing (notifications inside the provider's floor), only when a check is due or the
 * challenge ended. The strategy's clock stands still, so no check falls due by itself.
 */
import request from 'supertest';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';
import { manualClock } from '../../helpers/clock';

const json = { Accept: 'application/json' };
const SECRET = 'provider-notification-secret';

async function heldLogin(maxListenersPerChallenge = 32) {
  const clock = manualClock();
  const provider = new ScriptedProvider({ notificationSecret: SECRET, minCheckIntervalMs: 1000 });
  const bus = new CountingBus({ maxListenersPerChallenge });
  const login = await startedLogin({
    provider,
    strategy: { pollIntervalMs: 60_000, now: clock.now, stores: { notificationBus: bus } },
    router: { longPollMs: 60_000 },
  });
  expect(login.start.status).toBe(202);
  const hold = () =>
    login.agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r);
  /** Resolves once `count` requests have subscribed to the challenge (are held). */
  const waiting = async (count: number) => {
    for (let i = 0; i < 1000 && bus.subscribed < count; i++) await new Promise((r) => setImmediate(r));
    if (bus.subscribed < count) throw new Error(`fewer than ${count} waiters`);
  };
  return { ...login, clock, bus, hold, waiting };
}

/** The memory bus, counting the subscriptions it granted. */
class CountingBus extends MemoryNotificationBus {
  subscribed = 0;
  override subscribe(...args: Parameters<MemoryNotificationBus['subscribe']>): () => void {
    const unsubscribe = super.subscribe(...args);
    this.subscribed += 1;
    return unsubscribe;
  }
}

test('a long poll beyond the waiter cap is answered at once: pending, with Retry-After', async () => {
  const { agent, hold, waiting } = await heldLogin(2);
  const held = [hold(), hold()];
  await waiting(2);
  const third = await hold();
  expect(third.status).toBe(202);
  expect(third.body.state).toBe('pending');
  expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // The two held ones end with the login.
  await agent.post('/auth/push/cancel').set(json).expect(200);
  expect((await Promise.all(held)).map((r) => r.status)).toEqual([404, 404]);
});

test('notifications inside the floor wake a held poll without a session re-read', async () => {
  const { app, agent, store, provider, hold, waiting } = await heldLogin();
  const held = hold();
  await waiting(1);
  const loads = jest.spyOn(store, 'get');
  const { headers, body } = provider.notification();
  // The provider's notifications come without the browser's cookie: only a re-read loads the session.
  for (let i = 0; i < 20; i++)
    await request(app).post('/auth/push/notify').set(headers).send(body).expect(204);
  expect(loads).not.toHaveBeenCalled();
  expect(provider.calls.check).toBe(0);
  loads.mockRestore();
  await agent.post('/auth/push/cancel').set(json).expect(200);
  expect((await held).status).toBe(404);
});

/**
 * Failures are heard: a notification index, bus or limiter store that fails while a login goes on
 * is a `store_error` audit event naming the store, the operation and what was lost (no IDs, no
 * secrets), and the login still fails closed: nothing but a provider's approval completes it.
 */
import { createStartLimiter } from '../../../lib/core/limits';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import type { NotificationRequest } from '../../../lib/providers/provider';
import { setupLogin } from '../../helpers/login-core';

const down = () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));

/** A login whose provider takes notifications, with the index and bus given. */
function notifying(strategy = {}) {
  return setupLogin({ notificationSecret: 's3cret' }, { pollIntervalMs: 0, ...strategy });
}

const asRequest = ({
  headers,
  body,
}: {
  headers: Record<string, string>;
  body: string;
}): NotificationRequest => ({
  headers,
  body: Buffer.from(body),
});

const storeErrors = (events: { type: string }[]) => events.filter((event) => event.type === 'store_error');

/** The event the app hears when `store` fails at `operation` (the test stores throw a plain Error). */
const heard = (store: string, operation: string, lost: string) => ({
  type: 'store_error',
  store,
  operation,
  lost,
  cause: 'Error',
  provider: 'scripted',
});

describe('a notification index that fails', () => {
  test('to add a key: the login goes on by polling, the app hears what was lost, a notification approves nothing', async () => {
    const notificationIndex = new MemoryNotificationIndex();
    notificationIndex.add = down;
    const { login, provider, req, events } = notifying({ stores: { notificationIndex } });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(storeErrors(events)).toEqual([
      heard(
        'notification_index',
        'add',
        'provider notifications for one challenge (it completes at its next poll)',
      ),
    ]);
    expect(JSON.stringify(storeErrors(events))).not.toContain('alice');
    expect(await login.notify(asRequest(provider.notification()))).toEqual({
      kind: 'unknown',
      secretKey: true,
    });
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
  });

  test("to remove an ended challenge's key: the ending stands, the app hears of the stale entry", async () => {
    const notificationIndex = new MemoryNotificationIndex();
    notificationIndex.remove = down;
    const { login, req, events } = notifying({ stores: { notificationIndex } });
    await login.start(req({ username: 'alice' }));
    expect(await login.cancel(req())).toMatchObject({ kind: 'cancelled' });
    await new Promise(setImmediate); // the removal is not awaited by the cancel
    expect(storeErrors(events)).toEqual([
      heard(
        'notification_index',
        'remove',
        "an ended challenge's notification entry (it stays until it expires)",
      ),
    ]);
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'none' });
  });
});

describe('a notification bus that fails to announce an ending', () => {
  test('the ending stands for this request, the app hears that other waiters learn it late', async () => {
    const notificationBus = new MemoryNotificationBus();
    notificationBus.publish = down;
    const { login, provider, req, events } = notifying({ stores: { notificationBus } });
    await login.start(req({ username: 'alice' }));
    provider.answer('denied');
    expect(await login.poll(req())).toMatchObject({ kind: 'failed', state: 'denied' });
    await new Promise(setImmediate);
    expect(storeErrors(events)).toEqual([
      heard(
        'notification_bus',
        'publish',
        "an ending's announcement (other waiting requests see it at their next check)",
      ),
    ]);
  });
});

describe('a limiter store that fails to settle a start', () => {
  test('the login goes on and the app hears that a count was lost', async () => {
    const limiter = createStartLimiter({ sessionCooldownMs: 30_000 });
    limiter.settle = down;
    const { login, req, events } = setupLogin({}, { limiter });
    expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(storeErrors(events)).toEqual([
      heard('rate_limit', 'settle', "one start's count or cooldown release (the windows end by themselves)"),
    ]);
  });
});

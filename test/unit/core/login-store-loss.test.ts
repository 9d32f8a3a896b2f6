/**
 * What a `store_error` event tells the app was lost when a shared store fails a whole request
 * (a start, a poll) or a provider notification: the operator reads it to know whether a login was
 * lost (it was not: the request is answered 503 and the login stays pending).
 */
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import type { PushEvent } from '../../../lib/core/events';
import { setupLogin } from '../../helpers/login-core';

const refused = () =>
  Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
const storeErrors = (events: PushEvent[]) => events.filter((event) => event.type === 'store_error');

test('a store fault that fails a request: that request, answered 503, the login still pending', async () => {
  const rateLimits = new MemoryRateLimitStore();
  rateLimits.hit = refused;
  const { login, req, events } = setupLogin(
    {},
    { limiter: { sessionCooldownMs: 30_000 }, stores: { rateLimits } },
  );
  expect(await login.start(req({ username: 'alice' }))).toMatchObject({
    kind: 'error',
    error: { code: 'store_unavailable' },
  });
  expect(storeErrors(events)).toEqual([
    {
      type: 'store_error',
      store: 'rate_limit',
      operation: 'hit',
      lost: 'this request (answered 503 with Retry-After; a pending login stays pending)',
      cause: 'ECONNREFUSED',
      provider: 'scripted',
    },
  ]);
});

test("a notification the index cannot look up: that notification, made up by the challenge's next check", async () => {
  const notificationIndex = new MemoryNotificationIndex();
  const { login, provider, req, events } = setupLogin(
    { notificationSecret: 's3cret' },
    { stores: { notificationIndex } },
  );
  await login.start(req({ username: 'alice' }));
  notificationIndex.find = refused;
  const { headers, body } = provider.notification();
  expect(await login.notify({ headers, body: Buffer.from(body) })).toMatchObject({ kind: 'unavailable' });
  expect(storeErrors(events)).toEqual([
    {
      type: 'store_error',
      store: 'notification_index',
      operation: 'find',
      lost: "a provider notification (answered 503; the challenge's next check makes up for it)",
      cause: 'ECONNREFUSED',
      provider: 'scripted',
    },
  ]);
});

test('a session store that fails when a poll checks the session is still there: that poll, named get', async () => {
  const { login, provider, req, session, events } = setupLogin();
  await login.start(req({ username: 'alice' }));
  provider.answer('approved');
  session.stillStored = refused;
  expect(await login.poll(req())).toMatchObject({ kind: 'error', error: { code: 'store_unavailable' } });
  expect(storeErrors(events)).toEqual([
    {
      type: 'store_error',
      store: 'session',
      operation: 'get',
      lost: 'this request (answered 503 with Retry-After; a pending login stays pending)',
      cause: 'ECONNREFUSED',
      provider: 'scripted',
    },
  ]);
});

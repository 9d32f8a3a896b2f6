/**
 * A held long poll whose browser leaves lets go of everything it held: its subscription to the
 * challenge (so its place under the per-challenge waiter cap is free again) and its wait, while the
 * login itself stays pending for the next poll. Thousands of such requests come and go at a surge.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { ScriptedProvider } from '../../../lib/testing';
import { sessionCookie, startedLogin } from '../../helpers/app';
import { manualClock } from '../../helpers/clock';

/** Waits (bounded) until the condition holds: sockets are real, so it takes a few event-loop turns. */
const settle = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

/** The memory bus, counting the subscriptions that are live. */
class CountingBus extends MemoryNotificationBus {
  live = 0;

  override subscribe(challengeId: string, listener: Parameters<MemoryNotificationBus['subscribe']>[1]) {
    const unsubscribe = super.subscribe(challengeId, listener);
    this.live += 1;
    return () => {
      this.live -= 1;
      unsubscribe();
    };
  }
}

test('a browser that leaves a held long poll frees its subscription; the login stays pending', async () => {
  const clock = manualClock();
  const bus = new CountingBus({ maxListenersPerChallenge: 2 });
  const login = await startedLogin({
    provider: new ScriptedProvider(),
    strategy: { pollIntervalMs: 60_000, now: clock.now, stores: { notificationBus: bus } },
    router: { longPollMs: 60_000 },
  });
  expect(login.start.status).toBe(202);
  const cookie = sessionCookie(login.start.headers['set-cookie']) ?? '';
  const server = login.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const hold = (): ClientRequest => {
    const req = httpRequest({
      port,
      host: '127.0.0.1',
      path: '/auth/push/status',
      headers: { Accept: 'application/json', Cookie: cookie },
    });
    req.on('error', () => undefined);
    req.end();
    return req;
  };
  try {
    // Two held polls fill the cap; both leave.
    const held = [hold(), hold()];
    await settle(() => bus.live === 2);
    expect(bus.live).toBe(2);
    for (const req of held) req.destroy();
    await settle(() => bus.live === 0);
    expect(bus.live).toBe(0);

    // Their places are free: a new poll is held again (not answered at once as over the cap)…
    const again = hold();
    await settle(() => bus.live === 1);
    expect(bus.live).toBe(1);
    again.destroy();
    await settle(() => bus.live === 0);
    // …and the login is still pending: the wait page (never held) still waits on it.
    const page = await login.agent.get('/auth/push/wait');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-challenge-id=');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

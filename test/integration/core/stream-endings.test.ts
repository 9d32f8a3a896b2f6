/**
 * How the status stream (`GET events`) ends when its login ends somewhere else: a Cancel in
 * another tab, a newer action's approval in the same signed-in session, a logout that destroyed
 * the session, or a session gone past the challenge's deadline. Its page reads the last state: a
 * wrong one sends the user to the wrong place (a "none" where another tab took over the login, a
 * stream that never ends). Regular checks are a minute apart, so only these endings explain an event.
 */
import request from 'supertest';
import type { PaymentIntent } from '../../../lib/providers/action';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionCookie, storedChallenge, type TestApp } from '../../helpers/app';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock } from '../../helpers/clock';
import { loopbackServers } from '../../helpers/loopback-servers';
import { openStateStream } from '../../helpers/event-stream-client';
import { PAYMENT } from '../../helpers/intents';

const json = { Accept: 'application/json' };

const loopback = loopbackServers();
// Also after a failed test with a stream still open: such a stream must not keep the server open.
afterEach(() => loopback.closeAll());

/** A login started behind a real server, and its status stream open with the first state read. */
async function streamedLogin(test: TestApp) {
  const { base, cookie } = await loopback.startedLogin(test.app);
  const stream = await openStateStream(`${base}/auth/push/events`, cookie);
  const first = await stream.nextState();
  return { base, cookie, stream, first };
}

describe('the status stream of a login that ends elsewhere', () => {
  test('a Cancel in another tab of the same session: the stream says "none" and ends', async () => {
    const test = buildTestApp({ provider: new ScriptedProvider(), strategy: { pollIntervalMs: 60_000 } });
    const { base, cookie, stream, first } = await streamedLogin(test);
    expect(first).toMatchObject({ state: 'pending' });
    await request(base).post('/auth/push/cancel').set(json).set('Cookie', cookie).send({}).expect(200);
    // The session is still there, without a login: the page's status request then finds none.
    expect(await stream.nextState()).toEqual({ state: 'none' });
    expect(await stream.nextState()).toBeNull();
  });

  test('a logout that destroyed the session, the challenge announced ended: "none", and the stream ends', async () => {
    const test = buildTestApp({ provider: new ScriptedProvider(), strategy: { pollIntervalMs: 60_000 } });
    const { stream, first } = await streamedLogin(test);
    expect(first).toMatchObject({ state: 'pending' });
    const { sid, challengeId } = await storedChallenge(test);
    await new Promise<void>((resolve) => test.store.destroy(sid, () => resolve()));
    await test.strategy.login.bus.publish(challengeId, { type: 'settled', state: 'cancelled' });
    expect(await stream.nextState()).toEqual({ state: 'none' });
    expect(await stream.nextState()).toBeNull();
  });

  test('a session gone, nothing announced, once the challenge is past its deadline: "none", and the stream ends', async () => {
    const clock = manualClock();
    const test = buildTestApp({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 60_000, challengeTimeoutMs: 60_000, now: clock.now },
      // Rechecks often: past the deadline the stream reads the (gone) session at its next recheck.
      router: { eventsRecheckMs: 20 },
    });
    const { stream, first } = await streamedLogin(test);
    expect(first).toMatchObject({ state: 'pending' });
    const { sid } = await storedChallenge(test);
    await new Promise<void>((resolve) => test.store.destroy(sid, () => resolve()));
    clock.advance(60_000);
    expect(await stream.nextState()).toEqual({ state: 'none' });
    expect(await stream.nextState()).toBeNull();
  });

  test("a stream named for the session's own challenge (as the wait page asks) opens; an older one is 409", async () => {
    const test = buildTestApp({ provider: new ScriptedProvider(), strategy: { pollIntervalMs: 60_000 } });
    const { base, cookie } = await loopback.startedLogin(test.app);
    const { challengeId } = await storedChallenge(test);
    const own = await openStateStream(`${base}/auth/push/events?challenge=${challengeId}`, cookie);
    expect(own.response.statusCode).toBe(200);
    expect(await own.nextState()).toMatchObject({ state: 'pending' });
    own.close();
    const older = await openStateStream(`${base}/auth/push/events?challenge=older`, cookie);
    expect(older.response.statusCode).toBe(409);
  });

  test('a pending state carries the display as the status answer does: an animated QR also as an image', async () => {
    const provider = new ScriptedProvider({ currentDisplay: () => ({ qr: 'animated-qr-frame' }) });
    const test = buildTestApp({ provider, strategy: { pollIntervalMs: 60_000 } });
    const { first } = await streamedLogin(test);
    expect(first).toMatchObject({ state: 'pending', display: { qr: 'animated-qr-frame' } });
    expect((first?.display as { qrImage?: string }).qrImage).toMatch(/^data:image\/svg\+xml/);
  });
});

describe("the status stream of an action's approval", () => {
  test('a newer approval in the same signed-in session: the older stream says "superseded" and ends', async () => {
    const provider = new ScriptedProvider();
    Object.assign(provider, { actions: { shows: 'text', proves: 'provider-yes' } });
    const other: PaymentIntent = { ...PAYMENT, amount: '20.00', reference: 'Books' };
    const bank = approvalApp(
      { provider, strategy: { pollIntervalMs: 60_000 } },
      new Map([
        ['p1', PAYMENT],
        ['p2', other],
      ]),
      { userId: 'alice' },
    );
    const base = await loopback.listen(bank.app);
    const signedIn = await request(base).post('/test-login').expect(204);
    const cookie = sessionCookie(signedIn.headers['set-cookie']) ?? '';
    await request(base).post('/pay/p1/approve').set(json).set('Cookie', cookie).expect(202);
    const stream = await openStateStream(`${base}/auth/push/events`, cookie);
    expect(await stream.nextState()).toMatchObject({ state: 'pending' });
    // A signed-in session is not regenerated: the same session now holds the newer approval.
    await request(base).post('/pay/p2/approve').set(json).set('Cookie', cookie).expect(202);
    expect(await stream.nextState()).toEqual({ state: 'superseded' });
    expect(await stream.nextState()).toBeNull();
  });
});

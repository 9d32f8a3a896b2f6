/**
 * Lockout resistance end to end: a burst of starts at somebody's ID, from many clients, uses up the
 * per-ID windows, yet the browser where that ID completed a login (it holds the signed device
 * cookie `pushLogin({ deviceSecret })` sets) still gets its push. Only a valid cookie for that very
 * ID counts: a forged, tampered, expired or someone else's cookie gives no bypass, and the bypass
 * never skips the per-session cooldown or the per-IP window.
 */
import request from 'supertest';
import { createStartLimiter, type StartLimits } from '../../lib';
import { DeviceCookie } from '../../lib/web/device-cookie';
import { ScriptedProvider } from '../../lib/testing';
import { buildTestApp } from '../helpers/app';
import { manualClock, type ManualClock } from '../helpers/clock';

const json = { Accept: 'application/json' };
const SECRET = 'a device secret of at least thirty-two characters';
const ALICE_IP = '198.51.100.7';

type Agent = ReturnType<typeof request.agent>;

let clock: ManualClock;
let provider: ScriptedProvider;
let app: ReturnType<typeof buildTestApp>['app'];
let attackers = 0;

function setUp(
  limits: StartLimits = {},
  router: { deviceSecret?: string; deviceTrustMs?: number } = { deviceSecret: SECRET },
) {
  clock = manualClock(Date.now());
  provider = new ScriptedProvider();
  const built = buildTestApp({
    provider,
    strategy: {
      now: clock.now,
      limiter: createStartLimiter({
        perUser: { max: 2, windowMs: 900_000 },
        perUserCeiling: { max: 4, windowMs: 900_000 },
        ...limits,
      }),
    },
    router,
  });
  built.app.set('trust proxy', true); // each test client is told apart by its X-Forwarded-For
  app = built.app;
}

function start(agent: Agent, userId: string, ip: string, cookie?: string) {
  const call = agent.post('/auth/push/start').set(json).set('X-Forwarded-For', ip);
  if (cookie !== undefined) call.set('Cookie', cookie);
  return call.send({ username: userId });
}

/** Alice logs in once on her browser: afterwards it holds the device cookie. */
async function aliceLogsIn(): Promise<Agent> {
  const browser = request.agent(app);
  await start(browser, 'alice', ALICE_IP).expect(202);
  provider.answer('approved');
  const done = await browser.get('/auth/push/status').set(json).set('X-Forwarded-For', ALICE_IP);
  expect(done.status).toBe(200);
  clock.advance(6_000);
  return browser;
}

/** Starts at `userId` from fresh sessions on distinct addresses, 6 s apart, until one is refused. */
async function attackerBurst(userId: string): Promise<number> {
  for (let through = 0; through < 100; through++) {
    const answer = await start(request.agent(app), userId, `203.0.113.${attackers++ % 250}`);
    clock.advance(6_000);
    if (answer.status === 429) return through;
    expect(answer.status).toBe(202);
  }
  throw new Error('the per-ID ceiling never refused');
}

test('after a completed login the browser gets a signed, HttpOnly, SameSite=Lax device cookie', async () => {
  setUp();
  const browser = request.agent(app);
  await start(browser, 'alice', ALICE_IP).expect(202);
  provider.answer('approved');
  const done = await browser.get('/auth/push/status').set(json);
  const cookie = [done.headers['set-cookie']].flat().find((c) => c?.startsWith('push-device='));
  expect(cookie).toMatch(/; Path=\//);
  expect(cookie).toMatch(/; HttpOnly/);
  expect(cookie).toMatch(/; SameSite=Lax/);
  expect(cookie).not.toMatch(/; Secure/);
  // Neither the ID nor anything else readable: an id, an expiry, keyed hashes and the MAC.
  expect(cookie).not.toMatch(/alice/i);
});

test('on HTTPS the cookie is __Host-push-device and Secure', async () => {
  setUp();
  const browser = request.agent(app);
  const https = { 'X-Forwarded-Proto': 'https' };
  await start(browser, 'alice', ALICE_IP).set(https).expect(202);
  provider.answer('approved');
  const done = await browser.get('/auth/push/status').set(json).set(https);
  const cookie = [done.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-push-device='));
  expect(cookie).toMatch(/; Path=\/.*; HttpOnly; Secure; SameSite=Lax/);
  expect(cookie).not.toMatch(/; Domain=/);
});

test("an attacker's burst from many clients exhausts the per-ID window; alice's trusted browser still gets through", async () => {
  setUp();
  const alice = await aliceLogsIn();
  expect(await attackerBurst('alice')).toBe(3); // the ceiling of 4 counts alice's own login too
  // A browser without the cookie (alice on a new laptop, or the attacker) is refused ...
  expect((await start(request.agent(app), 'alice', '192.0.2.50')).status).toBe(429);
  // ... but the browser alice logged in on is not, even right after the attacker's last push.
  await start(alice, 'alice', ALICE_IP).expect(202);
});

test('behind one address, a browser with a device cookie counts as its own client for other IDs too', async () => {
  setUp({ perUserCeiling: { max: 100, windowMs: 900_000 } });
  const shared = await aliceLogsIn(); // this browser's cookie trusts alice, not carol
  for (let i = 0; i < 2; i++) {
    await start(request.agent(app), 'carol', ALICE_IP).expect(202);
    clock.advance(6_000);
  }
  expect((await start(request.agent(app), 'carol', ALICE_IP)).status).toBe(429); // 2 per (ID, address)
  clock.advance(6_000);
  await start(shared, 'carol', ALICE_IP).expect(202); // counted by its device id, not the address
});

describe('no bypass without a valid cookie for this very ID', () => {
  async function aliceCookie(): Promise<string> {
    const alice = await aliceLogsIn();
    const cookies = (await alice.get('/me')).request.cookies as unknown as string;
    const value = /push-device=([^;]+)/.exec(cookies)?.[1];
    if (!value) throw new Error('no device cookie');
    return value;
  }

  const refused = async (cookie: string) => {
    expect(await attackerBurst('alice')).toBeGreaterThan(0);
    expect((await start(request.agent(app), 'alice', '192.0.2.50', `push-device=${cookie}`)).status).toBe(
      429,
    );
  };

  test('the genuine cookie, on another browser, gets through (the control case)', async () => {
    setUp();
    const value = await aliceCookie();
    await attackerBurst('alice');
    await start(request.agent(app), 'alice', '192.0.2.50', `push-device=${value}`).expect(202);
  });

  test('a tampered cookie (one character of the trusted IDs changed)', async () => {
    setUp();
    const [id, expires, list, mac] = (await aliceCookie()).split('.') as [string, string, string, string];
    const flipped = `${list.slice(0, -1)}${list.endsWith('A') ? 'B' : 'A'}`;
    await refused([id, expires, flipped, mac].join('.'));
  });

  test('a cookie with a later expiry but the old signature', async () => {
    setUp();
    const [id, expires, list, mac] = (await aliceCookie()).split('.') as [string, string, string, string];
    await refused([id, String(Number(expires) + 86_400), list, mac].join('.'));
  });

  test('a cookie signed with another secret', async () => {
    setUp();
    await aliceLogsIn();
    const forged = new DeviceCookie({ secret: 'somebody else’s secret, also long enough' });
    await refused(forged.issue(undefined, 'alice'));
  });

  test('an expired cookie', async () => {
    setUp();
    await aliceLogsIn();
    const past = new DeviceCookie({ secret: SECRET, maxAgeMs: 60_000, now: () => clock.now() - 120_000 });
    await refused(past.issue(undefined, 'alice'));
  });

  test('a valid cookie that trusts another ID', async () => {
    setUp();
    await aliceLogsIn();
    await refused(new DeviceCookie({ secret: SECRET }).issue(undefined, 'mallory'));
  });

  test('garbage in the cookie', async () => {
    setUp();
    await aliceLogsIn();
    await refused('not.a.device.cookie');
  });
});

test("the trust ends after deviceTrustMs on the strategy's clock (one clock for the login and its router)", async () => {
  setUp({}, { deviceSecret: SECRET, deviceTrustMs: 3_600_000 });
  const alice = await aliceLogsIn();
  clock.advance(3_600_000);
  expect(await attackerBurst('alice')).toBe(4);
  expect((await start(alice, 'alice', ALICE_IP)).status).toBe(429);
});

test('the trusted browser is still held to the per-session cooldown', async () => {
  setUp({ sessionCooldownMs: 5_000 });
  const alice = await aliceLogsIn();
  await start(alice, 'alice', ALICE_IP).expect(202);
  // The push was answered (denied) at once: nothing pending to withdraw, so the cooldown holds.
  // (A start that replaces a pending login frees it, as Cancel does.)
  provider.answer('denied');
  const ended = await alice.get('/auth/push/status').set(json).set('X-Forwarded-For', ALICE_IP);
  expect(ended.body).toMatchObject({ state: 'denied' });
  expect((await start(alice, 'alice', ALICE_IP)).status).toBe(429);
});

test('the trusted browser is still held to the per-IP window', async () => {
  setUp({ perIp: { max: 3, windowMs: 900_000 } });
  const alice = await aliceLogsIn(); // 1 start from alice's address
  for (let i = 0; i < 2; i++) {
    await start(request.agent(app), 'bob', ALICE_IP).expect(202);
    clock.advance(6_000);
  }
  expect((await start(alice, 'alice', ALICE_IP)).status).toBe(429);
});

test('without deviceSecret no cookie is set and nobody is exempt', async () => {
  setUp({}, {});
  const browser = request.agent(app);
  await start(browser, 'alice', ALICE_IP).expect(202);
  provider.answer('approved');
  const done = await browser.get('/auth/push/status').set(json).set('X-Forwarded-For', ALICE_IP);
  expect(done.status).toBe(200);
  expect([done.headers['set-cookie']].flat().join()).not.toMatch(/push-device/);
  clock.advance(6_000);
  await attackerBurst('alice');
  expect((await start(browser, 'alice', ALICE_IP)).status).toBe(429);
});

test('a deviceSecret shorter than 32 characters is a configuration error', () => {
  expect(() => setUp({}, { deviceSecret: 'short' })).toThrow(/at least 32 characters/);
});

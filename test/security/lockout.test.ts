/**
 * Locking a user out with the push-bombing limits: an attacker's burst at somebody's ID must not
 * refuse the real user. Counts are per (ID, client), a higher ceiling caps all clients together,
 * and a browser trusted for the ID (signed device cookie) is exempt from the per-ID windows.
 */
import { createStartLimiter, type StartAttempt, type StartLimiter } from '../../lib';
import { manualClock, type ManualClock } from '../helpers/clock';

let clock: ManualClock;
let limiter: StartLimiter;
let sessions = 0;

beforeEach(() => {
  clock = manualClock();
  limiter = createStartLimiter();
});

/** One start from a fresh session (unless given); true when it may reach the provider. */
async function start(attempt: Omit<StartAttempt, 'now' | 'sessionId'> & { sessionId?: string }) {
  const full = { sessionId: `s${sessions++}`, ...attempt, now: clock.now() };
  if (await limiter.check(full)) return false;
  await limiter.settle(full, true); // the push was sent
  return true;
}

/** Starts `times`, 6 s apart (past both cooldowns); how many were let through. */
async function burst(times: number, attempt: Omit<StartAttempt, 'now' | 'sessionId'>) {
  let through = 0;
  for (let i = 0; i < times; i++) {
    if (await start(attempt)) through += 1;
    clock.advance(6_000);
  }
  return through;
}

test("an attacker's burst from one address does not lock the real user out", async () => {
  expect(await burst(15, { userId: 'alice', ip: '203.0.113.9' })).toBe(10);
  expect(await start({ userId: 'alice', ip: '198.51.100.7' })).toBe(true);
  expect(await start({ userId: 'ALICE', ip: '203.0.113.9' })).toBe(false); // the attacker stays refused
});

test('the device cookie, not the address, is the client: two browsers behind one NAT count apart', async () => {
  const ip = '192.0.2.1';
  expect(await burst(12, { userId: 'alice', ip, clientId: 'device-attacker' })).toBe(10);
  expect(await start({ userId: 'alice', ip, clientId: 'device-alice' })).toBe(true);
});

test('many addresses together hit the per-ID ceiling; a trusted device still gets through, an untrusted one not', async () => {
  let through = 0;
  for (let a = 0; a < 5; a++) through += await burst(10, { userId: 'alice', ip: `203.0.113.${a}` });
  expect(through).toBe(30);
  expect(await start({ userId: 'alice', ip: '198.51.100.7' })).toBe(false);
  expect(await start({ userId: 'alice', ip: '198.51.100.7', trustedDevice: true })).toBe(true);
});

test('a trusted device is still held to the per-session cooldown and the per-IP window', async () => {
  const trusted = { userId: 'alice', ip: '198.51.100.7', trustedDevice: true };
  expect(await start({ ...trusted, sessionId: 'mine' })).toBe(true);
  expect(await start({ ...trusted, sessionId: 'mine' })).toBe(false);
  clock.advance(6_000);
  expect(await start({ ...trusted, sessionId: 'mine' })).toBe(true);
  expect(await burst(60, trusted)).toBe(48); // 50 per IP; the two starts above count, not the one the cooldown refused
});

test('a trusted device for one ID gives no pass for another: the flag applies to the ID it was set for', async () => {
  // The web layer sets trustedDevice only for the cookie's own ID; the limiter keys by the attempt's ID.
  expect(await burst(11, { userId: 'bob', ip: '203.0.113.9', clientId: 'c' })).toBe(10);
  expect(await start({ userId: 'bob', ip: '203.0.113.9', clientId: 'c', trustedDevice: false })).toBe(false);
});

test('a start without a user ID skips the per-ID rules but not the session cooldown or the IP window', async () => {
  expect(await start({ ip: '192.0.2.5', sessionId: 'x' })).toBe(true);
  expect(await start({ ip: '192.0.2.5', sessionId: 'x' })).toBe(false);
  expect(await burst(60, { ip: '192.0.2.5' })).toBe(49); // 50 per IP; the cooldown's refusal above counted nothing
});

test('IDs and clients cannot be spliced into another pair’s key', async () => {
  limiter = createStartLimiter({ perUserCeiling: false, userCooldownMs: 0 });
  expect(await burst(10, { userId: 'a:b', clientId: 'c' })).toBe(10);
  expect(await start({ userId: 'a', clientId: 'b:c' })).toBe(true);
});

test('the per-ID ceiling is an option, and can be turned off', async () => {
  limiter = createStartLimiter({ perUserCeiling: { max: 2, windowMs: 60_000 } });
  expect(await burst(3, { userId: 'alice', ip: '1' })).toBe(2);
  expect(await start({ userId: 'alice', ip: '2' })).toBe(false);
  limiter = createStartLimiter({ perUserCeiling: false, perUser: { max: 1, windowMs: 60_000 } });
  let through = 0;
  for (let a = 0; a < 40; a++) through += await burst(1, { userId: 'alice', ip: `${a}` });
  expect(through).toBe(40);
});

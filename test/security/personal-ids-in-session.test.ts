/**
 * Personal numbers are not in the session in clear while a login is pending (issue 22): for a
 * provider whose IDs are personal data the record keeps the typed ID sealed under the app's
 * `secret`. Two app instances share one session store and one secret, as two processes would:
 * the login started on one completes on the other, the subject rule still holds, and a dump of
 * the sessions names the person in no spelling.
 */
import { createHash } from 'node:crypto';
import type session from 'express-session';
import request from 'supertest';
import type { PushStrategyOptions, PushProvider } from '../../lib';
import { BankIdProvider } from '../../lib/providers/bankid';
import { ScriptedProvider } from '../../lib/testing';
import { BankIdSimulator } from '../../lib/testing/bankid-simulator';
import { buildTestApp, type TestApp } from '../helpers/app';
import { manualClock, type ManualClock } from '../helpers/clock';
import { cookieOf, JSON_ACCEPT } from './browser';

/** Fictitious personal number (valid check digit), and every spelling BankID accepts of it. */
const ALICE = '198512249874';
const SPELLINGS = [ALICE, '19851224-9874', '8512249874', '851224-9874', '851224+9874'];
const SECRET = 'one app secret shared by every instance';
const POLL_MS = 2000;

/** The 12-digit numbers around `person` (its own among them), as a dictionary attack walks them. */
function dictionary(person: string): string[] {
  const base = Number(person.slice(8));
  return Array.from(
    { length: 200 },
    (_, i) => `${person.slice(0, 8)}${String((base + i - 100 + 10_000) % 10_000).padStart(4, '0')}`,
  );
}

/** Two instances: one session store, one secret, one provider (as one remote API). */
function twoInstances(
  provider: PushProvider,
  clock: ManualClock,
  strategy: Partial<PushStrategyOptions> = {},
): { a: TestApp; b: TestApp; store: session.MemoryStore } {
  const a = buildTestApp({
    provider,
    strategy: { now: clock.now, pollIntervalMs: POLL_MS, secret: SECRET, ...strategy },
  });
  const b = buildTestApp({
    provider,
    sessionStore: a.store,
    strategy: { now: clock.now, pollIntervalMs: POLL_MS, secret: SECRET, ...strategy },
  });
  return { a, b, store: a.store };
}

/** What the express-session store holds, as the JSON it serialises. */
function dump(store: session.MemoryStore): string {
  return JSON.stringify((store as unknown as { sessions: Record<string, string> }).sessions);
}

async function startOn(app: TestApp, username: string): Promise<{ cookie: string; body: unknown }> {
  const started = await request(app.app).post('/auth/push/start').set(JSON_ACCEPT).send({ username });
  expect(started.status).toBe(202);
  return { cookie: cookieOf(started.headers['set-cookie']) ?? '', body: started.body };
}

describe('BankID: the pending login keeps the personal number sealed', () => {
  let clock: ManualClock;
  let sim: BankIdSimulator;
  let provider: BankIdProvider;
  beforeEach(async () => {
    clock = manualClock();
    sim = await BankIdSimulator.start({ now: clock.now });
    provider = new BankIdProvider({ ...sim.providerOptions(), now: clock.now, timeoutMs: 10_000 });
  });
  afterEach(async () => {
    provider.close();
    await sim.close();
  });

  test('the session names the person in no spelling; the login completes on the other instance', async () => {
    const { a, b, store } = twoInstances(provider, clock);
    const { cookie, body } = await startOn(a, '19851224-9874');
    const stored = dump(store);
    for (const spelling of SPELLINGS) expect(stored).not.toContain(spelling);
    // Nor does the start's answer or the wait page: they neither show nor need the number.
    const page = await request(a.app).get('/auth/push/wait').set('Accept', 'text/html').set('Cookie', cookie);
    expect(page.status).toBe(200);
    for (const spelling of SPELLINGS) {
      expect(JSON.stringify(body)).not.toContain(spelling);
      expect(page.text).not.toContain(spelling);
    }
    sim.approve(sim.scanQr(String((body as { display: { qr: unknown } }).display.qr)));
    clock.advance(POLL_MS);
    const done = await request(b.app).get('/auth/push/status').set(JSON_ACCEPT).set('Cookie', cookie);
    expect(done.status).toBe(200);
    expect(b.verified.map((v) => [v.subject, v.info.requestedUserId])).toEqual([[ALICE, ALICE]]);
  });

  test('a dictionary over the session dump recovers no personal number', async () => {
    const { a, store } = twoInstances(provider, clock);
    await startOn(a, '19851224-9874');
    const stored = dump(store);
    const orderRef = /orderRef\\?":\\?"([0-9a-f-]+)/.exec(stored)?.[1];
    expect(orderRef).toBeDefined();
    // What someone holding the dump would try: every unkeyed SHA-256 of a candidate number, alone
    // or salted with what the dump itself shows (the order).
    const found = dictionary(ALICE).filter((candidate) =>
      [candidate, `${orderRef}\n${candidate}`, `${orderRef}${candidate}`].some((input) =>
        (['hex', 'base64', 'base64url'] as const).some((encoding) =>
          stored.includes(createHash('sha256').update(input).digest(encoding)),
        ),
      ),
    );
    expect(found).toEqual([]);
  });
});

/** A provider whose IDs are personal data and whose subject must match the typed ID. */
class PersonalIds extends ScriptedProvider {
  readonly personalUserIds = true;
}

describe('the subject rule holds on the sealed ID', () => {
  test('a different person confirmed is refused; the person asked for completes, on the other instance', async () => {
    const clock = manualClock();
    const provider = new PersonalIds();
    const { a, b, store } = twoInstances(provider, clock);

    const first = await startOn(a, 'alice');
    expect(dump(store)).not.toContain('alice');
    provider.answer('approved', { subject: 'mallory' });
    clock.advance(POLL_MS);
    const refused = await request(b.app)
      .get('/auth/push/status')
      .set(JSON_ACCEPT)
      .set('Cookie', first.cookie);
    expect(refused.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
    expect(b.verified).toEqual([]);

    const second = await startOn(a, 'alice');
    provider.answer('approved', { subject: 'alice' });
    clock.advance(POLL_MS);
    const done = await request(b.app).get('/auth/push/status').set(JSON_ACCEPT).set('Cookie', second.cookie);
    expect(done.status).toBe(200);
    expect(b.verified.map((v) => [v.subject, v.info.requestedUserId])).toEqual([['alice', 'alice']]);
  });

  test('an instance with another secret cannot read the sealed ID: no login', async () => {
    const clock = manualClock();
    const provider = new PersonalIds();
    const { a, store } = twoInstances(provider, clock);
    const other = buildTestApp({
      provider,
      sessionStore: store,
      strategy: { now: clock.now, pollIntervalMs: POLL_MS, secret: `${SECRET}, but another` },
    });
    const { cookie } = await startOn(a, 'alice');
    provider.answer('approved', { subject: 'alice' });
    clock.advance(POLL_MS);
    const answer = await request(other.app).get('/auth/push/status').set(JSON_ACCEPT).set('Cookie', cookie);
    expect(answer.body).toMatchObject({ state: 'invalid', code: 'invalid_response' });
    expect(other.verified).toEqual([]);
  });
});

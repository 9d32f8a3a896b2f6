/**
 * The security properties for BankID, which the shared harness cannot run (its IDs are personal
 * numbers, its subject is BankID's, and it starts without any ID): session binding, replay, one
 * completion per challenge, the fault matrix, and the subject rule. Against the mTLS simulator, on
 * one manual clock shared by simulator, provider and strategy.
 */
import request from 'supertest';
import type { PushEvent, PushStrategyOptions } from '../../lib';
import { BankIdProvider } from '../../lib/providers/bankid';
import { BankIdSimulator } from '../../lib/testing/bankid-simulator';
import type { Fault } from '../../lib/testing/simulator';
import { buildTestApp, type TestApp } from '../helpers/app';
import { checkDeadline } from '../helpers/check-deadline';
import { manualClock, type ManualClock } from '../helpers/clock';
import { JSON_ACCEPT, poll, readSession, recordIn, sidOf, cookieOf, whoAmI, writeSession } from './browser';

/** Fictitious personal numbers (valid check digits). */
const ALICE = '198512249874';
const BOB = '196408233234';
const POLL_MS = 2000;

let clock: ManualClock;
let sim: BankIdSimulator;
let bankId: BankIdProvider;
/** The provider the app uses: BankID's, with a deadline the fault matrix can put on one check. */
let provider: BankIdProvider;
let limitNextCheck: (ms: number) => void;
beforeEach(async () => {
  clock = manualClock();
  sim = await BankIdSimulator.start({ now: clock.now });
  // A generous timeout: a loaded machine must not turn a healthy call into a fault.
  bankId = new BankIdProvider({ ...sim.providerOptions(), now: clock.now, timeoutMs: 10_000 });
  ({ provider, limitNextCheck } = checkDeadline(bankId));
});
afterEach(async () => {
  bankId.close();
  await sim.close();
});

function app(
  strategy: Partial<PushStrategyOptions> = {},
): TestApp & { agent(): ReturnType<typeof request.agent> } {
  const built = buildTestApp({
    provider,
    strategy: { now: clock.now, pollIntervalMs: POLL_MS, ...strategy },
  });
  return { ...built, agent: () => request.agent(built.app) };
}

/** Starts a login (with a personal number when given); returns the order and the session id. */
async function start(agent: ReturnType<typeof request.agent>, personalNumber?: string) {
  const answer = await agent
    .post('/auth/push/start')
    .set(JSON_ACCEPT)
    .send(personalNumber ? { username: personalNumber } : {});
  if (answer.status !== 202) throw new Error(`start: ${answer.status} ${JSON.stringify(answer.body)}`);
  const orderRef = sim.orderList().at(-1)?.orderRef ?? '';
  const cookie = cookieOf(answer.headers['set-cookie']) ?? '';
  return { orderRef, sid: sidOf(cookie), cookie, qr: String(answer.body.display.qr) };
}

/** The phone scans the page's QR code and the person approves. */
function approve(qr: string, person = BOB): void {
  const orderRef = sim.scanQr(qr);
  sim.approve(orderRef, { personalNumber: person, givenName: 'Bo', surname: 'Ek' });
}

const due = () => clock.advance(POLL_MS);

describe('BankID session binding and replay', () => {
  it("a record copied into another browser's session completes nothing there, and nobody logs in", async () => {
    const { store, verified, agent } = app();
    const victim = agent();
    const attacker = agent();
    const started = await start(victim);
    const own = await start(attacker);
    const stolen = recordIn(await readSession(store, started.sid));
    const attackerSession = await readSession(store, own.sid);
    const key = Object.keys(attackerSession ?? {}).find((k) => k.startsWith('push:')) ?? '';
    await writeSession(store, own.sid, { ...attackerSession, [key]: stolen } as never);
    approve(started.qr);
    due();
    const answer = await poll(attacker);
    expect(answer.status).toBe(401);
    expect(await whoAmI(attacker)).toBeUndefined();
    expect(verified).toHaveLength(0);
    // The victim's own browser still completes its login.
    expect((await poll(victim)).status).toBe(200);
    expect(await whoAmI(victim)).toBe(BOB);
  });

  it('replay: the pre-login cookie is dead after the login and cannot complete the challenge again', async () => {
    const { verified, agent, app: express } = app();
    const browser = agent();
    const started = await start(browser);
    approve(started.qr);
    due();
    expect((await poll(browser)).status).toBe(200);
    const replay = await request(express)
      .get('/auth/push/status')
      .set(JSON_ACCEPT)
      .set('Cookie', started.cookie);
    expect(replay.status).toBe(404);
    expect(replay.body).toMatchObject({ state: 'none' });
    expect(verified).toHaveLength(1);
  });

  it('one completion per challenge: two polls racing after the approval log in once', async () => {
    const { verified, agent } = app();
    const browser = agent();
    const started = await start(browser);
    approve(started.qr);
    due();
    const answers = await Promise.all([poll(browser), poll(browser)]);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    for (const answer of answers) expect([200, 202]).toContain(answer.status);
    expect(verified).toHaveLength(1);
    expect(await whoAmI(browser)).toBe(BOB);
  });
});

describe('BankID fault matrix: an approved order behind a faulty collect', () => {
  const FAULTS: [string, boolean, Fault][] = [
    // An answer that never comes: the faulted check's deadline is its only ending.
    ['timeout', true, { kind: 'delay', ms: 600_000 }],
    ['connection reset', true, { kind: 'reset' }],
    ['HTTP 500', true, { kind: 'status', status: 500, body: 'Internal Server Error' }],
    ['HTTP 503', true, { kind: 'status', status: 503, body: '' }],
    ['HTML page', false, { kind: 'status', status: 200, body: '<h1>502</h1>', contentType: 'text/html' }],
    // An empty or cut-short 200 said nothing final: a transport fault, the order kept (issue 23).
    ['empty body', true, { kind: 'body', body: '' }],
    ['truncated body', true, { kind: 'truncate' }],
    [
      'complete without completionData',
      false,
      { kind: 'body', body: '{"orderRef":"x","status":"complete"}' },
    ],
    ['10 MB body', false, { kind: 'huge', bytes: 10 * 1024 * 1024 }],
  ];

  it.each(FAULTS)(
    '%s: nobody logs in through the fault; the login goes on only when it was transient',
    async (_name, transient, fault) => {
      const { verified, agent } = app();
      const browser = agent();
      const started = await start(browser);
      approve(started.qr);
      due();
      sim.faults.inject(fault, 1);
      if (fault.kind === 'delay') limitNextCheck(400);
      const faulted = await poll(browser);
      expect(faulted.status).toBe(transient ? 503 : 401);
      expect(verified).toHaveLength(0);
      expect(await whoAmI(browser)).toBeUndefined();
      due();
      const next = await poll(browser);
      expect(next.status).toBe(transient ? 200 : 404);
      expect(await whoAmI(browser)).toBe(transient ? BOB : undefined);
    },
  );
});

describe("BankID subject rule ('match-if-typed'): the personal number BankID confirms is the subject", () => {
  it('without an ID the subject is the completion’s personal number; no requested ID is claimed', async () => {
    const { verified, agent } = app();
    const browser = agent();
    const started = await start(browser);
    approve(started.qr, BOB);
    due();
    expect((await poll(browser)).status).toBe(200);
    expect(verified.map((v) => v.subject)).toEqual([BOB]);
    expect(verified[0]?.info.requestedUserId).toBeUndefined();
  });

  it('with a personal number the order is for that person only, and verify sees what was asked', async () => {
    const { verified, agent } = app();
    const browser = agent();
    const started = await start(browser, ALICE);
    expect(sim.order(started.orderRef).personalNumber).toBe(ALICE);
    const orderRef = sim.scanQr(started.qr);
    expect(() => sim.approve(orderRef, { personalNumber: BOB })).toThrow(/another personal number/);
    sim.approve(orderRef);
    due();
    expect((await poll(browser)).status).toBe(200);
    expect(verified.map((v) => [v.subject, v.info.requestedUserId])).toEqual([[ALICE, ALICE]]);
  });

  it('a completion naming another person than the one typed is refused, though the handle holds no trace of the number', async () => {
    const { verified, agent } = app();
    const browser = agent();
    const started = await start(browser, '19851224-9874');
    const orderRef = sim.scanQr(started.qr);
    sim.approve(orderRef);
    // A collect answer that names BOB (a forged or misrouted completion).
    const real = sim.collectAnswer(orderRef) as { completionData: { user: object } };
    const forged = {
      ...real,
      completionData: { ...real.completionData, user: { ...real.completionData.user, personalNumber: BOB } },
    };
    sim.faults.inject({ kind: 'body', body: JSON.stringify(forged) }, 1);
    due();
    const answer = await poll(browser);
    expect(answer.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
    expect(verified).toEqual([]);
  });
});

describe('BankID personal numbers stay out of audit events', () => {
  /** A login for ALICE (typed), then a QR login that BankID says is BOB's; every event the app got. */
  async function twoLogins(strategy: Partial<PushStrategyOptions> = {}): Promise<PushEvent[]> {
    const events: PushEvent[] = [];
    const { agent } = app({ ...strategy, onEvent: (event) => events.push(event) });
    const typed = agent();
    const first = await start(typed, '19851224-9874');
    sim.approve(sim.scanQr(first.qr));
    due();
    expect((await poll(typed)).status).toBe(200);
    const scanned = agent();
    approve((await start(scanned)).qr, BOB);
    due();
    expect((await poll(scanned)).status).toBe(200);
    return events;
  }

  it('by default the typed and the confirmed numbers appear in no event, in any format', async () => {
    const events = await twoLogins();
    expect(events.map((event) => event.type)).toEqual(['start', 'approved', 'start', 'approved']);
    const text = JSON.stringify(events);
    for (const digits of [ALICE, BOB, '19851224-9874', '851224-9874', '8512249874']) {
      expect(text).not.toContain(digits);
    }
  });

  it('an ID is the same pseudonym in every event of a login, so an attack on one person still shows', async () => {
    const [started, approved] = await twoLogins();
    expect(started?.userId).toMatch(/^personal:[A-Za-z0-9_-]{16}$/);
    expect(approved).toMatchObject({ type: 'approved', userId: started?.userId });
    expect(approved?.type === 'approved' && approved.subject).toMatch(/^personal:/);
  });

  it('with auditPersonalIds the app gets the numbers it opted in to', async () => {
    const [started, approved, , scannedApproval] = await twoLogins({ auditPersonalIds: true });
    expect(started?.userId).toBe(ALICE); // the canonical 12 digits of the typed '19851224-9874'
    expect(approved?.type === 'approved' && approved.subject).toBe(ALICE);
    expect(scannedApproval?.type === 'approved' && scannedApproval.subject).toBe(BOB);
  });
});

/**
 * The fault matrix: each provider × the phone's state (still pending, approved, denied) × every way
 * the provider's answer can go wrong. None logs anyone in; each answers a clear 503 (retryable, the
 * challenge survives) or 401 `invalid` (the challenge is over), never a 500. Network-level faults,
 * an empty 200 and a 200 cut short among them, are always retryable, and once the fault is gone the
 * next poll completes as the phone said (except where the provider's final answer was spent: CIBA's
 * token endpoint consumes the grant it answered, so a cut-short approval or denial ends the login).
 * Provider timeouts are generous (a loaded machine never turns a healthy call into a fault); the
 * answer that never comes and the slow drip end through a 1 s deadline on the faulted check alone,
 * which is their only possible ending. The CIBA test OP has no drip fault.
 */
import type { ChallengeHandle } from '../../lib';
import type { Fault } from '../../lib/testing/simulator';
import { appFor, poll, readSession, recordIn, start, whoAmI } from './browser';
import { TARGETS, type Target } from './harness';

/** The deadline of the faulted check, for the faults a client can only give up on. */
const GIVE_UP_MS = 1000;
/** Longer than any test: an answer that never comes. */
const NEVER_MS = 600_000;

type FaultCase = [name: string, transient: boolean, make: (target: Target, handle: ChallengeHandle) => Fault];

const FAULTS: FaultCase[] = [
  ['timeout', true, () => ({ kind: 'delay', ms: NEVER_MS })],
  ['connection reset', true, () => ({ kind: 'reset' })],
  ['HTTP 500', true, () => ({ kind: 'status', status: 500, body: 'Internal Server Error' })],
  [
    'HTML error page',
    false,
    () => ({
      kind: 'status',
      status: 200,
      body: '<!doctype html><h1>502 Bad Gateway</h1>',
      contentType: 'text/html',
    }),
  ],
  // An empty or cut-short 200 said nothing final: a transport fault, the challenge kept (issue 23).
  ['empty body', true, () => ({ kind: 'body', body: '' })],
  ['truncated body', true, () => ({ kind: 'truncate' })],
  [
    'half an answer, well framed',
    false,
    (target, handle) => {
      const real = target.forgedApproval(handle, 'alice');
      return { kind: 'body', body: real.slice(0, Math.floor(real.length / 2)) };
    },
  ],
  ['10 MB body', false, () => ({ kind: 'huge', bytes: 10 * 1024 * 1024 })],
  ['slow drip', true, () => ({ kind: 'drip', chunkBytes: 1, intervalMs: GIVE_UP_MS / 2 })],
];

const STATES = ['pending', 'approved', 'denied'] as const;
type PhoneState = (typeof STATES)[number];

/** What the poll after the fault answers, by the phone's state. */
const AFTER: Record<PhoneState, { status: number; state: string }> = {
  pending: { status: 202, state: 'pending' },
  approved: { status: 200, state: 'authenticated' },
  denied: { status: 401, state: 'denied' },
};

describe.each(TARGETS)('%s', (_name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());
  afterEach(() => target.faults.clear());

  const cases = STATES.flatMap((state) => FAULTS.map((fault) => [state, ...fault] as const));
  test.each(cases)('phone %s × %s', async (state, faultName, transient, make) => {
    if (faultName === 'slow drip' && !target.drips) return;
    // A held check (Duo) that runs out is "still pending" by design: no fault to answer.
    if ((faultName === 'timeout' || faultName === 'slow drip') && target.holdsChecks) return;
    const { store, verified, agent } = appFor(target);
    const browser = agent();
    const started = await start(browser, 'alice');
    if (state === 'approved') await target.approve('alice', started.display);
    if (state === 'denied') await target.deny('alice', started.display);
    const handle = recordIn(await readSession(store, started.sid))?.handle as ChallengeHandle;

    target.due();
    target.faults.inject(make(target, handle));
    if (faultName === 'timeout' || faultName === 'slow drip') target.limitNextCheck(GIVE_UP_MS);
    const faulted = await poll(browser);
    target.faults.clear();

    expect(faulted.status === 503 || faulted.status === 401).toBe(true);
    expect(faulted.body.message).toEqual(expect.any(String));
    if (faulted.status === 503) expect(faulted.body).toMatchObject({ retryable: true });
    else expect(faulted.body).toMatchObject({ state: 'invalid' });
    if (transient) expect(faulted.status).toBe(503);
    expect(verified).toHaveLength(0);
    expect(await whoAmI(browser)).toBeUndefined();

    target.due();
    const next = await poll(browser);
    if (faultName === 'truncated body' && target.finalAnswersOnce && state !== 'pending') {
      // The OP gave its final answer and it was lost on the way: the grant is spent, the login over.
      expect(next.status).toBe(401);
      expect(await whoAmI(browser)).toBeUndefined();
    } else if (faulted.status === 503) {
      expect(next.status).toBe(AFTER[state].status);
      expect(next.body).toMatchObject({ state: AFTER[state].state });
      expect(await whoAmI(browser)).toBe(state === 'approved' ? 'alice' : undefined);
    } else {
      expect(next.status).toBe(404);
      expect(await whoAmI(browser)).toBeUndefined();
    }
  });
});

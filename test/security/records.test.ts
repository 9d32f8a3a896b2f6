/**
 * Forged, tampered and expired session records. The record is not signed: whoever can write the
 * session store can also write `passport.user` and needs no challenge at all. What the strategy
 * can and does catch is a record it did not write for this session and this provider (version,
 * shape, fingerprint, provider name), a user ID that is not the approved one (for
 * providers whose subject must match the typed ID; the others log in as the approver), a handle the provider
 * does not know, and a record past its deadline. Each ends the challenge without logging anyone in
 * and, where the record is refused as unreadable, without asking the provider.
 */
import {
  appFor,
  poll,
  readSession,
  recordIn,
  start,
  whoAmI,
  writeSession,
  type SecurityApp,
} from './browser';
import { TARGETS, type Target } from './harness';
import { RECORD_VERSION } from '../../lib/core/challenge';

type RecordValue = Record<string, unknown>;

describe.each(TARGETS)('%s', (name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  /** Starts alice's login, approves it on the phone, then rewrites the stored record. */
  async function approvedThenTampered(edit: (record: RecordValue) => unknown) {
    const app: SecurityApp = appFor(target);
    const browser = app.agent();
    const started = await start(browser, 'alice');
    await target.approve('alice', started.display);
    const stored = await readSession(app.store, started.sid);
    const record = recordIn(stored);
    if (!stored || !record) throw new Error('no record');
    await writeSession(app.store, started.sid, {
      ...stored,
      [`push:${target.provider.name}`]: edit(structuredClone(record)),
    });
    target.due();
    return { ...app, browser, started };
  }

  const unreadable: [string, (record: RecordValue) => unknown][] = [
    ['another record version', (r) => ({ ...r, v: RECORD_VERSION + 1 })],
    ['no version', ({ v: _v, ...r }) => r],
    ['another provider', (r) => ({ ...r, provider: 'other-provider' })],
    ['a missing field', ({ handle: _h, ...r }) => r],
    ['a nested handle value', (r) => ({ ...r, handle: { ...(r.handle as object), x: { y: 1 } } })],
    ['an over-long user ID', (r) => ({ ...r, userId: 'a'.repeat(600) })],
    ['a non-numeric deadline', (r) => ({ ...r, expiresAt: 'never' })],
    ['an infinite deadline (JSON null)', (r) => ({ ...r, expiresAt: null })],
    ['a fingerprint of another session', (r) => ({ ...r, sid: 'AAAAAAAAAAAAAAAA' })],
    ['a string', () => 'approved'],
    ['an array', (r) => [r]],
  ];

  test.each(unreadable)(
    'a record with %s is refused before the provider is asked, and nobody logs in',
    async (_what, edit) => {
      const { browser, verified, store, started } = await approvedThenTampered(edit);
      const requests = target.requests();
      const answer = await poll(browser);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ state: 'invalid', message: expect.stringMatching(/not valid/) });
      expect(target.requests()).toBe(requests);
      expect(recordIn(await readSession(store, started.sid))).toBeUndefined();
      expect(verified).toHaveLength(0);
      expect(await whoAmI(browser)).toBeUndefined();
    },
  );

  // Providers that vouch for the subject themselves (`subjectRule: 'provider'`) log in as the
  // person who approved; the others compare it with the record's ID. Either way, a changed ID
  // never logs anybody in as the changed ID.
  const vouchesForSubject = ['secsign-id', 'ciba'].includes(name);

  test('the provider declares the subject rule these tests assume', () => {
    expect(target.provider.subjectRule).toBe(vouchesForSubject ? 'provider' : 'must-match');
  });

  if (vouchesForSubject) {
    test('a record whose user ID was changed logs in as the approver, never as the changed ID', async () => {
      const { browser, verified } = await approvedThenTampered((r) => ({ ...r, userId: 'carol' }));
      const answer = await poll(browser);
      expect(answer.status).toBe(200);
      expect(verified).toHaveLength(1);
      expect(verified[0]?.subject).not.toBe('carol');
      // The app's verify callback sees the (tampered) typed ID for what it is: a request, not the user.
      expect(verified[0]?.info.requestedUserId).toBe('carol');
      const user = await whoAmI(browser);
      expect(user).toBe(verified[0]?.subject);
      expect(user).not.toBe('carol');
    });
  } else {
    test('a record whose user ID was changed is refused: the provider approved someone else', async () => {
      const { browser, verified } = await approvedThenTampered((r) => ({ ...r, userId: 'carol' }));
      const answer = await poll(browser);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ state: 'invalid' });
      expect(verified).toHaveLength(0);
      expect(await whoAmI(browser)).toBeUndefined();
    });
  }

  test('a record whose handle was altered is refused by the provider, nobody logs in', async () => {
    const altered = (handle: RecordValue): RecordValue =>
      Object.fromEntries(
        Object.entries(handle).map(([k, v]) => [k, typeof v === 'string' ? `${v.slice(0, -1)}X` : v]),
      );
    const { browser, verified } = await approvedThenTampered((r) => ({
      ...r,
      handle: altered(r.handle as RecordValue),
    }));
    const answer = await poll(browser);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(verified).toHaveLength(0);
    expect(await whoAmI(browser)).toBeUndefined();
  });

  test('an expired record ends as expired, even though the phone approved', async () => {
    const { browser, verified, store, started } = await approvedThenTampered((r) => ({
      ...r,
      expiresAt: target.now() - 1,
    }));
    const answer = await poll(browser);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ state: 'expired' });
    expect(recordIn(await readSession(store, started.sid))).toBeUndefined();
    expect(verified).toHaveLength(0);
    expect(await whoAmI(browser)).toBeUndefined();
  });

  test('the local deadline ends an approved challenge nobody polled in time', async () => {
    const { browser, verified } = await approvedThenTampered((r) => r);
    for (let i = 0; i < 25; i++) target.due(); // 150 s > challengeTimeoutMs (120 s)
    const answer = await poll(browser);
    expect(answer.body).toMatchObject({ state: 'expired' });
    expect(verified).toHaveLength(0);
  });
});

/**
 * A provider that answers "approved" for another ID than the one asked. The answer is forged with a
 * `body` fault: a well-formed approval naming bob, for alice's challenge. Refused for
 * every provider with a message that says why: an approval is bound to the user its start confirmed
 * (SecSign ID's canonical ID comes from the start). CIBA's forged ID token fails its signature check
 * before the subject is even compared, so CIBA also gets a genuine mismatch (an OP that maps the
 * login hint "mallory" to bob's account): `'provider'` rule, the OP's subject logs in and verify
 * gets the typed ID as `requestedUserId`, unless `subjectMatch` says otherwise.
 */
import { appFor, poll, readSession, recordIn, start, whoAmI } from './browser';
import { SUBJECT_NAMING_TARGETS, type Target } from './harness';
import type { ChallengeHandle } from '../../lib';

describe.each(SUBJECT_NAMING_TARGETS)('%s', (name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());
  afterEach(() => target.faults.clear());

  async function forgedLogin(options: Parameters<typeof appFor>[1] = {}, subject = 'bob') {
    const app = appFor(target, options);
    const browser = app.agent();
    const started = await start(browser, 'alice');
    const handle = recordIn(await readSession(app.store, started.sid))?.handle as ChallengeHandle;
    target.due();
    target.faults.inject({ kind: 'body', body: target.forgedApproval(handle, subject) }, 1);
    return { ...app, browser, answer: await poll(browser) };
  }

  // Every provider binds an approval to the user its start confirmed (issue 23, finding 6): SecSign
  // ID's canonical ID comes from the start, never from a later state answer. CIBA's forged token
  // fails its signature check before the subject is even compared.
  test('an approval naming another user is refused with a clear message; nobody logs in', async () => {
    const { browser, verified, answer } = await forgedLogin();
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ state: 'invalid' });
    const why: Record<string, RegExp> = {
      authentiq8: /not for the user asked/,
      ciba: /token response was not accepted/,
      'secsign-id': /another SecSign ID than the one this login was started for/,
    };
    // The library's words for the developer in `detail`; the user reads what happened in `message`.
    expect(answer.body.detail).toMatch(why[name] ?? /./);
    expect(answer.body.message).toMatch(/another user|not valid/);
    expect(verified).toHaveLength(0);
    expect(await whoAmI(browser)).toBeUndefined();
    // The challenge is over: a genuine approval afterwards does not revive it.
    expect((await poll(browser)).status).toBe(404);
  });

  if (name === 'ciba') {
    test('an unsigned ID token is refused even when it names the right user', async () => {
      const { browser, verified, answer } = await forgedLogin({}, 'alice');
      expect(answer.status).toBe(401);
      expect(verified).toHaveLength(0);
      expect(await whoAmI(browser)).toBeUndefined();
    });

    test('a real OP approving another account logs in as the OP’s subject, with the typed ID for verify', async () => {
      const { verified, agent } = appFor(target);
      const browser = agent();
      const started = await start(browser, 'mallory');
      await target.approve('mallory', started.display);
      target.due();
      expect((await poll(browser)).status).toBe(200);
      expect(verified).toEqual([
        { subject: 'bob', info: expect.objectContaining({ requestedUserId: 'mallory' }) },
      ]);
      expect(await whoAmI(browser)).toBe('bob');
    });

    test('with subjectMatch: case-insensitive a real OP approving another account is refused', async () => {
      const { verified, agent } = appFor(target, { strategy: { subjectMatch: 'case-insensitive' } });
      const browser = agent();
      const started = await start(browser, 'mallory');
      await target.approve('mallory', started.display);
      target.due();
      const answer = await poll(browser);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        state: 'invalid',
        message: 'The phone approved for another user than this login was started for.',
        detail: 'The provider confirmed a different user than the one asked for.',
      });
      expect(verified).toHaveLength(0);
      expect(await whoAmI(browser)).toBeUndefined();
    });

    test('with subjectMatch: false the OP’s subject is who logs in (for OPs whose sub is not the hint)', async () => {
      const { agent } = appFor(target, { strategy: { subjectMatch: false } });
      const browser = agent();
      const started = await start(browser, 'mallory');
      await target.approve('mallory', started.display);
      target.due();
      expect((await poll(browser)).status).toBe(200);
      expect(await whoAmI(browser)).toBe('bob');
    });
  }
});

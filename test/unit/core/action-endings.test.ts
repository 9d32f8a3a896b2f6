/**
 * The session's recent action endings: a second tab finds its own action's ending by challenge id,
 * the session keeps only a few (the newest), and whatever it cannot read is no ending.
 */
import { actionEndingOf, endingOf, noteActionEnding } from '../../../lib/core/action-endings';
import { PushError } from '../../../lib/errors';

const KEY = 'push:ended';

describe('the endings a session keeps', () => {
  test("each challenge's own ending, found by its id only", () => {
    const data: Record<string, unknown> = {};
    noteActionEnding(data, KEY, 'c-1', { state: 'approved', intentHash: 'h-1' });
    noteActionEnding(data, KEY, 'c-2', { state: 'invalid', code: 'subject_mismatch' });
    expect(actionEndingOf(data, KEY, 'c-1')).toEqual({ state: 'approved', intentHash: 'h-1' });
    expect(actionEndingOf(data, KEY, 'c-2')).toEqual({ state: 'invalid', code: 'subject_mismatch' });
    expect(actionEndingOf(data, KEY, 'c-3')).toBeUndefined();
    expect(actionEndingOf(data, KEY, undefined)).toBeUndefined();
    expect(actionEndingOf(data, KEY, ['c-1'])).toBeUndefined();
  });

  test('bounded: the four newest stay, a challenge noted again keeps one entry', () => {
    const data: Record<string, unknown> = {};
    for (const id of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'])
      noteActionEnding(data, KEY, id, { state: 'denied' });
    noteActionEnding(data, KEY, 'c-5', { state: 'expired' });
    expect(data[KEY]).toHaveLength(4);
    expect(actionEndingOf(data, KEY, 'c-1')).toBeUndefined();
    expect(actionEndingOf(data, KEY, 'c-2')).toEqual({ state: 'denied' });
    expect(actionEndingOf(data, KEY, 'c-5')).toEqual({ state: 'expired' });
  });

  test('an unreadable entry is no ending (never an approval)', () => {
    const data: Record<string, unknown> = {
      [KEY]: [{ i: 'c-1', s: 'authenticated' }, { i: 7, s: 'approved' }, null, 'c-2'],
    };
    expect(actionEndingOf(data, KEY, 'c-1')).toBeUndefined();
    expect(actionEndingOf({ [KEY]: 'c-1' }, KEY, 'c-1')).toBeUndefined();
  });
});

describe('the ending a final result reports', () => {
  test('approved, with the intent hash; the endings without an approval, with their code', () => {
    const approval = {
      provider: 'p',
      subject: 'alice',
      intentHash: 'h-1',
      challengeId: 'c-1',
      approvedAt: 1,
      proves: 'provider-yes' as const,
      proof: {},
    };
    expect(endingOf({ kind: 'action_approved', approval })).toEqual({ state: 'approved', intentHash: 'h-1' });
    expect(endingOf({ kind: 'cancelled', state: 'cancelled', message: '' })).toEqual({ state: 'cancelled' });
    expect(endingOf({ kind: 'failed', state: 'invalid', message: '', code: 'intent_mismatch' })).toEqual({
      state: 'invalid',
      code: 'intent_mismatch',
    });
    // An error that took the record (the app's audit hook failed): not approved, its fault not the ending.
    expect(
      endingOf({ kind: 'error', error: new PushError('state', 'x', { code: 'store_unavailable' }) }),
    ).toEqual({
      state: 'invalid',
    });
  });

  test('no challenge or an unusable request is no ending', () => {
    expect(endingOf({ kind: 'failed', state: 'none', message: '' })).toBeUndefined();
    expect(endingOf({ kind: 'failed', state: 'bad_request', message: '' })).toBeUndefined();
  });
});

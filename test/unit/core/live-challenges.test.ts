/**
 * What a process remembers of its open challenges for notifications: a hint brings the next check
 * forward but never before the provider's floor after the last call; a hint that arrived while a
 * check was in flight survives its answer; a final status kept for completion is read once.
 */
import { RECORD_VERSION, type ChallengeRecord } from '../../../lib/core/challenge';
import { LiveChallenges } from '../../../lib/core/live-challenges';

const T0 = 1_700_000_000_000;

function record(overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    v: RECORD_VERSION,
    id: 'c1',
    sid: 'sid',
    provider: 'scripted',
    handle: { id: 'c1' },
    userId: 'alice',
    expiresAt: T0 + 120_000,
    // Started (or last checked) at T0, next regular check a minute later.
    nextCheckAt: T0 + 60_000,
    intervalMs: 60_000,
    fetched: false,
    ...overrides,
  };
}

describe('hints', () => {
  test('without a hint the record is unchanged', () => {
    const live = new LiveChallenges(100, 1000);
    expect(live.merge(record()).nextCheckAt).toBe(T0 + 60_000);
  });

  test('a hint makes the check due at once, but never before the floor after the last call', () => {
    const live = new LiveChallenges(100, 1000);
    live.hint('c1', T0 + 200);
    expect(live.merge(record()).nextCheckAt).toBe(T0 + 1000);
    live.hint('c1', T0 + 5000);
    expect(live.merge(record()).nextCheckAt).toBe(T0 + 5000);
  });

  test('a check answers the hints before it; one that arrived during the call stays', () => {
    const live = new LiveChallenges(100, 1000);
    live.hint('c1', T0 + 5000);
    // The check started at T0 + 5000 and answered pending: that hint is answered.
    live.remember(record({ nextCheckAt: T0 + 65_000 }), T0 + 5000);
    expect(live.merge(record()).nextCheckAt).toBe(T0 + 65_000);
    // A hint at T0 + 7000, after the next call started (T0 + 6000): its answer may predate it.
    live.hint('c1', T0 + 7000);
    live.remember(record({ nextCheckAt: T0 + 66_000 }), T0 + 6000);
    expect(live.merge(record({ nextCheckAt: T0 + 66_000 })).nextCheckAt).toBe(T0 + 7000);
  });

  test('an older hint never replaces a newer one: the hint that arrived during the call still stays', () => {
    const live = new LiveChallenges(100, 1000);
    // A bus message at T0 + 7000, while the call that started at T0 + 6000 is in flight.
    live.hint('c1', T0 + 7000);
    // A request arriving meanwhile reads an older note another instance wrote (T0 + 3000).
    live.hint('c1', T0 + 3000);
    live.remember(record({ nextCheckAt: T0 + 66_000 }), T0 + 6000);
    expect(live.merge(record({ nextCheckAt: T0 + 66_000 })).nextCheckAt).toBe(T0 + 7000);
  });

  test('hints are bounded: past the bound the oldest goes', () => {
    const live = new LiveChallenges(2, 1000);
    for (const id of ['a', 'b', 'c']) live.hint(id, T0 + 5000);
    expect(live.merge(record({ id: 'a' })).nextCheckAt).toBe(T0 + 60_000);
    expect(live.merge(record({ id: 'c' })).nextCheckAt).toBe(T0 + 5000);
  });
});

describe('kept final statuses', () => {
  test('are read once, and not after their deadline', () => {
    const live = new LiveChallenges(100, 1000);
    live.settle('c1', { state: 'approved', subject: 'alice' }, T0 + 1000);
    expect(live.hasSettled('c1')).toBe(true);
    expect(live.takeSettled('c1', T0)).toEqual({ state: 'approved', subject: 'alice' });
    expect(live.takeSettled('c1', T0)).toBeUndefined();
    live.settle('c1', { state: 'denied' }, T0 + 1000);
    expect(live.takeSettled('c1', T0 + 1000)).toBeUndefined();
  });

  test('forget drops hints and kept statuses with the rest', () => {
    const live = new LiveChallenges(100, 1000);
    live.hint('c1', T0 + 5000);
    live.settle('c1', { state: 'approved', subject: 'alice' }, T0 + 60_000);
    live.forget('c1');
    expect(live.hasSettled('c1')).toBe(false);
    expect(live.merge(record()).nextCheckAt).toBe(T0 + 60_000);
  });
});

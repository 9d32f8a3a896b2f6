import fc from 'fast-check';
import {
  applyStatus,
  decidePoll,
  readRecord,
  RECORD_VERSION,
  sessionFingerprint,
  type ChallengeRecord,
} from '../../../lib/core/challenge';

const sessionId = 'session-1';

function record(overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    v: RECORD_VERSION,
    id: 'abc',
    sid: sessionFingerprint(sessionId),
    provider: 'secsign-id',
    handle: { secsignid: 'alice', authsessionid: '-8337412603900330717', requestid: 'F2C5' },
    userId: 'alice',
    expiresAt: 121_000,
    nextCheckAt: 3000,
    intervalMs: 2000,
    fetched: false,
    ...overrides,
  };
}

describe('readRecord', () => {
  test('reads a record this release wrote', () => {
    expect(readRecord(record(), sessionId, 'secsign-id')).toEqual({ kind: 'record', record: record() });
  });

  test('nothing stored is "none"', () => {
    expect(readRecord(undefined, sessionId, 'secsign-id')).toEqual({ kind: 'none' });
  });

  test.each([
    ['an older version', { v: RECORD_VERSION - 1 }],
    ['a newer version', { v: RECORD_VERSION + 1 }],
    ['a handle value longer than 4096 characters', { handle: { id: 'x'.repeat(4097) } }],
    [
      'a handle of more than 8192 characters in all',
      { handle: { a: 'x'.repeat(4000), b: 'y'.repeat(4000), c: 'z'.repeat(400) } },
    ],
    ['a message that is no key and text', { message: { key: 'k' } }],
    ['a handle with a nested object', { handle: { a: { b: 1 } } }],
    ['a non-numeric deadline', { expiresAt: '999999999999999' }],
    ['an empty user ID', { userId: '' }],
    ['a missing id', { id: undefined }],
  ])('refuses %s', (_name, overrides) => {
    const value = { ...record(), ...overrides };
    expect(readRecord(value, sessionId, 'secsign-id').kind).toBe('unreadable');
  });

  test("accepts a handle value of 4096 characters (Keycloak's CIBA auth_req_id is ~930)", () => {
    const long = record({ handle: { authReqId: 'k'.repeat(4096) } });
    expect(readRecord(long, sessionId, 'secsign-id').kind).toBe('record');
  });

  test('accepts a record without a user ID (providers that identify the user themselves)', () => {
    const anonymous: Partial<ChallengeRecord> = record();
    delete anonymous.userId;
    expect(readRecord(anonymous, sessionId, 'secsign-id').kind).toBe('record');
  });

  test('refuses a record copied from another session', () => {
    expect(readRecord(record(), 'session-2', 'secsign-id')).toEqual({
      kind: 'unreadable',
      reason: 'started in another session',
    });
  });

  test('refuses a record of another provider', () => {
    expect(readRecord(record(), sessionId, 'ciba').kind).toBe('unreadable');
  });

  test('never throws and never accepts junk, whatever is stored', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const reading = readRecord(value, sessionId, 'secsign-id');
        expect(['none', 'unreadable']).toContain(reading.kind);
      }),
    );
  });

  test('a record stays well under 512 bytes as JSON', () => {
    const big = record({
      userId: 'a'.repeat(64),
      handle: { secsignid: 'a'.repeat(64), authsessionid: '-9223372036854775808', requestid: 'F'.repeat(64) },
    });
    expect(Buffer.byteLength(JSON.stringify(big))).toBeLessThan(512);
  });
});

describe('decidePoll', () => {
  test('waits inside the interval, checks after it, expires at the deadline', () => {
    expect(decidePoll(record(), 2999)).toBe('wait');
    expect(decidePoll(record(), 3000)).toBe('check');
    expect(decidePoll(record(), 121_000)).toBe('expired');
  });

  test('the deadline wins over everything', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (next, now) => {
        const r = record({ nextCheckAt: next, expiresAt: 500_000 });
        if (now >= 500_000) expect(decidePoll(r, now)).toBe('expired');
      }),
    );
  });
});

describe('applyStatus', () => {
  test('pending schedules the next check one interval ahead', () => {
    expect(applyStatus(record(), { state: 'pending' }, 5000)).toEqual({
      kind: 'pending',
      record: record({ nextCheckAt: 7000 }),
    });
  });

  test('a longer retryAfterMs widens the interval from then on', () => {
    const outcome = applyStatus(record(), { state: 'pending', retryAfterMs: 10_000 }, 5000);
    expect(outcome).toEqual({ kind: 'pending', record: record({ intervalMs: 10_000, nextCheckAt: 15_000 }) });
  });

  test('fetched is remembered', () => {
    const outcome = applyStatus(record(), { state: 'fetched' }, 5000);
    expect(outcome.kind === 'pending' && outcome.record.fetched).toBe(true);
  });

  test('approved needs a subject', () => {
    expect(applyStatus(record(), { state: 'approved', subject: 'alice' }, 0)).toEqual({
      kind: 'approved',
      subject: 'alice',
    });
    expect(applyStatus(record(), { state: 'approved' } as never, 0)).toMatchObject({
      kind: 'terminal',
      state: 'invalid',
    });
    expect(applyStatus(record(), { state: 'approved', subject: '' }, 0)).toMatchObject({
      kind: 'terminal',
      state: 'invalid',
    });
  });

  test('an unknown state is never approval', () => {
    const status = { state: 'authenticated' } as unknown as Parameters<typeof applyStatus>[1];
    expect(applyStatus(record(), status, 0)).toMatchObject({ kind: 'terminal', state: 'invalid' });
  });
});

/**
 * The session record, read with no trust in its shape (a session store is writable by whoever owns
 * it), and the provider answers it turns into outcomes. Each malformed field on its own is refused,
 * each with the reason the audit log shows.
 */
import {
  applyStatus,
  newChallengeId,
  readRecord,
  RECORD_VERSION,
  sessionFingerprint,
  type ChallengeRecord,
} from '../../../lib/core/challenge';

const sessionId = 'session-1';
const good: ChallengeRecord = {
  v: RECORD_VERSION,
  id: 'abc',
  sid: sessionFingerprint(sessionId),
  provider: 'secsign-id',
  handle: { a: 'x', n: 1, b: true, z: null },
  userId: 'alice',
  expiresAt: 121_000,
  // pollIntervalMs: 0 writes these: a zero is a time like any other.
  nextCheckAt: 0,
  intervalMs: 0,
  fetched: false,
};
const read = (value: unknown) => readRecord(value, sessionId, 'secsign-id');

describe('readRecord', () => {
  test('a well-formed record of this session and provider is read; times may be 0', () => {
    expect(read(good)).toEqual({ kind: 'record', record: good });
  });

  test.each([['a string'], [42], [true], [[good]]])('%p is not an object', (value) => {
    expect(read(value)).toEqual({ kind: 'unreadable', reason: 'not an object' });
  });

  test('another version is refused, naming it', () => {
    expect(read({ ...good, v: RECORD_VERSION + 1 })).toEqual({
      kind: 'unreadable',
      reason: `version ${RECORD_VERSION + 1} is not ${RECORD_VERSION}`,
    });
  });

  test.each<[string, Partial<Record<keyof ChallengeRecord, unknown>>]>([
    ['fetched not a boolean', { fetched: 'no' }],
    ['id empty', { id: '' }],
    ['userId of 513 characters', { userId: 'a'.repeat(513) }],
    ['a negative time', { expiresAt: -1 }],
    ['a time as a string', { expiresAt: '121000' }],
    ['an infinite time', { nextCheckAt: Infinity }],
    ['a handle that is an array', { handle: ['x'] }],
    ['a handle that is null', { handle: null }],
    ['a handle that is a string', { handle: 'x' }],
    ['a handle with an object value', { handle: { a: 'x', b: { nested: 1 } } }],
    ['a handle with a function value', { handle: { a: () => 1 } }],
    ['a handle with an infinite number', { handle: { n: Infinity } }],
    ['a notification key that is no short string', { nk: 42 }],
    ['a message that is null', { message: null }],
    ['a message text of 513 characters', { message: { key: 'k', text: 'a'.repeat(513) } }],
  ])('%s: malformed', (_name, change) => {
    expect(read({ ...good, ...change })).toEqual({ kind: 'unreadable', reason: 'malformed' });
  });

  test('512 characters is still a short string', () => {
    expect(read({ ...good, userId: 'a'.repeat(512) }).kind).toBe('record');
  });

  test('a message text of 512 characters is kept', () => {
    expect(read({ ...good, message: { key: 'k', text: 'a'.repeat(512) } }).kind).toBe('record');
  });

  test('a handle of exactly 8192 characters, keys and values together, is read', () => {
    // Two keys of one character and two values: 1 + 4095 + 1 + 4095.
    const handle = { a: 'x'.repeat(4095), b: 'y'.repeat(4095) };
    expect(read({ ...good, handle }).kind).toBe('record');
    expect(read({ ...good, handle: { ...handle, c: '' } }).kind).toBe('unreadable');
  });

  test('a handle value may be an empty string (a provider field that is sometimes blank)', () => {
    expect(read({ ...good, handle: { a: '' } }).kind).toBe('record');
  });

  test('a record of another provider is refused, naming it', () => {
    expect(read({ ...good, provider: 'ciba' })).toEqual({
      kind: 'unreadable',
      reason: 'started with provider ciba',
    });
  });
});

describe('ids and fingerprints', () => {
  test('challenge ids are 16 base64url characters (96 random bits), different each time', () => {
    const ids = Array.from({ length: 50 }, newChallengeId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(50);
  });

  test('a session fingerprint is 16 base64url characters of the session id’s sha256', () => {
    expect(sessionFingerprint('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'.slice(0, 16));
  });
});

describe('applyStatus, terminal answers', () => {
  test.each(['denied', 'expired', 'cancelled', 'suspended', 'invalid'] as const)(
    '%s ends the challenge as itself, with the provider’s message and reason',
    (state) => {
      const message = { key: 'test.why', text: 'why' };
      expect(applyStatus(good, { state, reason: 'because', message }, 0)).toEqual({
        kind: 'terminal',
        state,
        reason: 'because',
        message,
      });
    },
  );

  test('a reason that is no string and a malformed message are dropped, not passed on', () => {
    const status = { state: 'denied', reason: 42, message: { key: '', text: 'x' } } as unknown as Parameters<
      typeof applyStatus
    >[1];
    expect(applyStatus(good, status, 0)).toStrictEqual({ kind: 'terminal', state: 'denied' });
  });

  test('an approval without a subject is invalid, saying so', () => {
    expect(applyStatus(good, { state: 'approved', subject: '' }, 0)).toEqual({
      kind: 'terminal',
      state: 'invalid',
      reason: 'no_subject',
    });
  });

  test('an unknown state is invalid, saying so', () => {
    const status = { state: 'maybe' } as unknown as Parameters<typeof applyStatus>[1];
    expect(applyStatus(good, status, 0)).toEqual({
      kind: 'terminal',
      state: 'invalid',
      reason: 'unknown_state',
    });
  });
});

describe('applyStatus, pending answers', () => {
  const shown = { key: 'test.open', text: 'Open the app' };

  test("the provider's message is kept in the record, for the wait page", () => {
    const outcome = applyStatus(good, { state: 'pending', message: shown }, 0);
    expect(outcome.kind === 'pending' && outcome.record.message).toEqual(shown);
  });

  test('a pending answer without a message keeps the message shown so far', () => {
    const outcome = applyStatus({ ...good, message: shown }, { state: 'pending' }, 0);
    expect(outcome.kind === 'pending' && outcome.record.message).toEqual(shown);
  });

  test('a malformed message keeps the message shown so far (nothing unchecked enters the session)', () => {
    const status = { state: 'pending', message: { key: 'k', text: 7 } } as unknown as Parameters<
      typeof applyStatus
    >[1];
    const outcome = applyStatus({ ...good, message: shown }, status, 0);
    expect(outcome.kind === 'pending' && outcome.record.message).toEqual(shown);
  });
});

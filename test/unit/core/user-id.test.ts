import fc from 'fast-check';
import { PushError } from '../../../lib';
import { DEFAULT_USER_ID_PATTERN, readUserId } from '../../../lib/core/user-id';

const rules = { field: 'username', maxLength: 32, pattern: DEFAULT_USER_ID_PATTERN };

describe('readUserId', () => {
  test('trims and prefers the body over the query', () => {
    expect(readUserId({ username: '  alice@example.com ' }, { username: 'bob' }, rules)).toBe(
      'alice@example.com',
    );
    expect(readUserId({}, { username: 'bob' }, rules)).toBe('bob');
  });

  test('accepts letters of any script', () => {
    expect(readUserId({ username: 'jörg.müller' }, undefined, rules)).toBe('jörg.müller');
  });

  test('a custom field name', () => {
    expect(readUserId({ secsignid: 'alice' }, undefined, { ...rules, field: 'secsignid' })).toBe('alice');
  });

  test('whatever arrives, it returns a valid ID or throws an input PushError', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (body, query) => {
        try {
          const id = readUserId({ username: body }, query, rules) ?? '';
          expect(id).toBe(id.trim());
          expect(id.length).toBeGreaterThan(0);
          expect(id.length).toBeLessThanOrEqual(32);
          expect(DEFAULT_USER_ID_PATTERN.test(id)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
          expect((error as PushError).kind).toBe('input');
        }
      }),
    );
  });
});

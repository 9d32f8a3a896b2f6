/**
 * The sealed form of a personal ID in the session record: it opens only with its key and for its
 * challenge, and any damage is a miss, never a wrong ID.
 */
import { randomBytes } from 'node:crypto';
import { subkey } from '../../../lib/core/app-secret';
import { openUserId, sealUserId } from '../../../lib/core/sealed-user-id';

const key = subkey('one app secret shared by every instance', 'session-user-id');

test('opens to the sealed ID with its key and challenge; holds no form of the ID', () => {
  const sealed = sealUserId(key, '198512249874', 'challenge-1');
  expect(sealed).not.toContain('9874');
  expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('9874');
  expect(openUserId(key, sealed, 'challenge-1')).toBe('198512249874');
  // A fresh IV each time: two logins of one person do not show as one value.
  expect(sealUserId(key, '198512249874', 'challenge-1')).not.toBe(sealed);
});

test('another key, another challenge, a flipped byte or a truncation: it does not open', () => {
  const sealed = sealUserId(key, '198512249874', 'challenge-1');
  expect(openUserId(subkey(randomBytes(32), 'session-user-id'), sealed, 'challenge-1')).toBeUndefined();
  expect(openUserId(key, sealed, 'challenge-2')).toBeUndefined();
  const bytes = Buffer.from(sealed, 'base64url');
  for (const at of [0, 12, 28, bytes.length - 1]) {
    const damaged = Buffer.from(bytes);
    damaged[at] = (damaged[at] ?? 0) ^ 1;
    expect(openUserId(key, damaged.toString('base64url'), 'challenge-1')).toBeUndefined();
  }
  expect(openUserId(key, bytes.subarray(0, 28).toString('base64url'), 'challenge-1')).toBeUndefined();
  expect(openUserId(key, '', 'challenge-1')).toBeUndefined();
  expect(openUserId(key, 'not base64url at all!', 'challenge-1')).toBeUndefined();
});

test('the key for sealing differs from the one for notification keys (one secret, separate uses)', () => {
  const secret = 'one app secret shared by every instance';
  expect(subkey(secret, 'session-user-id').equals(subkey(secret, 'notification-key'))).toBe(false);
  expect(subkey(secret, 'session-user-id')).toHaveLength(32);
});

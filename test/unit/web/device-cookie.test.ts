/**
 * The device cookie's parser against malformed input: whatever a browser sends, reading it never
 * throws and never trusts an ID unless the value is one this secret signed, unexpired.
 */
import fc from 'fast-check';
import type { Request } from 'express';
import { cookieValues, DeviceCookie, MAX_TRUSTED_IDS } from '../../../lib/web/device-cookie';

const SECRET = 'x'.repeat(32);
const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const requestWith = (cookie: string | undefined) => ({ headers: { cookie }, secure: false }) as Request;

test('random Cookie headers never throw and never trust anyone', () => {
  const devices = new DeviceCookie({ secret: SECRET });
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (header) => {
      const trust = devices.read(requestWith(`push-device=${header}`));
      expect(trust?.trusts('alice') ?? false).toBe(false);
    }),
  );
});

test('a genuine value with any one character changed is refused', () => {
  const devices = new DeviceCookie({ secret: SECRET });
  const genuine = devices.issue(undefined, 'alice');
  fc.assert(
    fc.property(fc.nat(genuine.length - 1), fc.constantFrom(...ALPHABET, '.', '~'), (at, c) => {
      fc.pre(genuine[at] !== c);
      const changed = genuine.slice(0, at) + c + genuine.slice(at + 1);
      expect(devices.read(requestWith(`push-device=${changed}`))).toBeUndefined();
    }),
  );
});

test('every other last character of the MAC is refused, also those that decode to the same bytes', () => {
  const devices = new DeviceCookie({ secret: SECRET });
  const genuine = devices.issue(undefined, 'alice');
  // 43 base64url characters carry 258 bits for a 256-bit MAC: the last one has two spare bits.
  for (const c of ALPHABET.filter((c) => c !== genuine.at(-1))) {
    expect(devices.read(requestWith(`push-device=${genuine.slice(0, -1)}${c}`))).toBeUndefined();
  }
});

test('IDs are trusted case-insensitively, the newest five at most, and the device id stays', () => {
  const devices = new DeviceCookie({ secret: SECRET });
  let value = devices.issue(undefined, 'Alice');
  const first = devices.read(requestWith(`push-device=${value}`));
  expect(first?.trusts('alice')).toBe(true);
  for (const id of ['b', 'c', 'd', 'e', 'f']) {
    value = devices.issue(devices.read(requestWith(`push-device=${value}`)), id);
  }
  const later = devices.read(requestWith(`push-device=${value}`));
  expect(later?.id).toBe(first?.id);
  expect(later?.trusts('f')).toBe(true);
  expect(later?.trusts('b')).toBe(true);
  expect(later?.trusts('alice')).toBe(false); // the sixth login pushed the oldest out
  expect(MAX_TRUSTED_IDS).toBe(5);
});

test('a tossed duplicate cookie does not hide the genuine one', () => {
  const devices = new DeviceCookie({ secret: SECRET });
  const genuine = devices.issue(undefined, 'alice');
  const trust = devices.read(requestWith(`push-device=forged; other=1; push-device=${genuine}`));
  expect(trust?.trusts('alice')).toBe(true);
  expect(cookieValues('a=1; push-device=x; push-devices=y', 'push-device')).toEqual(['x']);
});

import fc from 'fast-check';
import {
  BINDING_MESSAGE_ALPHABET,
  DEFAULT_BINDING_MESSAGE_LENGTH,
  MAX_BINDING_MESSAGE_LENGTH,
  MIN_BINDING_MESSAGE_LENGTH,
  generateBindingMessage,
} from '../../../lib/providers/ciba';

// oidc-provider's default validateBindingMessage; most OPs accept at least this set.
const OP_DEFAULT = /^[a-zA-Z0-9-._+/!?#]{1,20}$/;

test('any allowed length gives exactly that many characters, all from the alphabet', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: MIN_BINDING_MESSAGE_LENGTH, max: MAX_BINDING_MESSAGE_LENGTH }),
      (length) => {
        const message = generateBindingMessage(length);
        expect(message).toHaveLength(length);
        expect([...message].every((c) => BINDING_MESSAGE_ALPHABET.includes(c))).toBe(true);
        expect(message).toMatch(OP_DEFAULT);
      },
    ),
  );
});

test('the default is 5 characters', () => {
  expect(DEFAULT_BINDING_MESSAGE_LENGTH).toBe(5);
  expect(generateBindingMessage()).toHaveLength(5);
});

test('lengths outside 4..8 and non-integers are refused', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ max: MIN_BINDING_MESSAGE_LENGTH - 1 }),
        fc.integer({ min: MAX_BINDING_MESSAGE_LENGTH + 1 }),
        fc.double({ noInteger: true }),
      ),
      (length) => {
        expect(() => generateBindingMessage(length)).toThrow(RangeError);
      },
    ),
  );
});

test('the alphabet has no look-alike characters and no repeats', () => {
  expect(new Set(BINDING_MESSAGE_ALPHABET).size).toBe(BINDING_MESSAGE_ALPHABET.length);
  for (const lookAlike of '0O1IQ2Z5S6G8Bl') expect(BINDING_MESSAGE_ALPHABET).not.toContain(lookAlike);
  expect(BINDING_MESSAGE_ALPHABET).toMatch(/^[A-Z0-9]+$/);
});

test('codes are spread over the whole alphabet (a CSPRNG, not a constant)', () => {
  const seen = new Set(Array.from({ length: 400 }, () => generateBindingMessage(8)).join(''));
  expect(seen.size).toBe(BINDING_MESSAGE_ALPHABET.length);
});

/**
 * The default CIBA binding message: a short code the user compares between the login page and the
 * phone. Upper-case letters and digits without the look-alikes (0/O/Q, 1/I, 2/Z, 5/S, 6/G, 8/B), so
 * it reads the same on any font, and inside the character set OPs accept by default (oidc-provider:
 * `^[a-zA-Z0-9-._+/!?#]{1,20}$`).
 */
import { randomInt } from 'node:crypto';

/**
 * The characters of a generated binding message (no look-alikes such as 0/O, 1/I).
 */
export const BINDING_MESSAGE_ALPHABET = 'ACDEFHJKLMNPRTUVWXY3479';
export const DEFAULT_BINDING_MESSAGE_LENGTH = 5;
export const MIN_BINDING_MESSAGE_LENGTH = 4;
export const MAX_BINDING_MESSAGE_LENGTH = 8;

/**
 * A fresh code from a CSPRNG: `length` characters of {@link BINDING_MESSAGE_ALPHABET}.
 */
export function generateBindingMessage(length: number = DEFAULT_BINDING_MESSAGE_LENGTH): string {
  if (
    !Number.isInteger(length) ||
    length < MIN_BINDING_MESSAGE_LENGTH ||
    length > MAX_BINDING_MESSAGE_LENGTH
  ) {
    throw new RangeError(
      `A binding message has ${MIN_BINDING_MESSAGE_LENGTH} to ${MAX_BINDING_MESSAGE_LENGTH} characters (got ${length}).`,
    );
  }
  let code = '';
  for (let i = 0; i < length; i += 1)
    code += BINDING_MESSAGE_ALPHABET[randomInt(BINDING_MESSAGE_ALPHABET.length)];
  return code;
}

/**
 * The app's one secret: the key of every pseudonym and encryption that lands in a store (counter
 * keys, notification-index keys, personal IDs in the session). Checked once where it is given;
 * without one, a random key per process, which only works while nothing is shared.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { PushError } from '../errors';

/** Shortest secret accepted: a guessable key would make every pseudonym a dictionary lookup. */
export const MIN_SECRET_LENGTH = 32;

/**
 * The key for `secret`: the secret itself, or a random one when none is given and nothing shared
 * needs it. `sharedNeed` says why a shared store needs the secret; given, a missing secret is a
 * `config` error naming `owner`.
 */
export function secretKey(secret: string | undefined, owner: string, sharedNeed?: string): string | Buffer {
  if (secret === undefined) {
    if (sharedNeed !== undefined) {
      throw new PushError('config', `${owner}: ${sharedNeed}`, { code: 'invalid_option' });
    }
    return randomBytes(32);
  }
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new PushError('config', `${owner}: \`secret\` must be at least ${MIN_SECRET_LENGTH} characters.`, {
      code: 'invalid_option',
    });
  }
  return secret;
}

/** A 32-byte key for one use of the secret (HKDF-SHA256), so no two uses share a key. */
export function subkey(key: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `passport-push ${purpose}`, 32));
}

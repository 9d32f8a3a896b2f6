/** The committed test key pair (test/fixtures/authentiq8) and small key makers for the unit tests. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '../../fixtures/authentiq8');
export const PRIVATE_KEY_PATH = join(FIXTURES, 'test-only-private-key.pem');
export const PUBLIC_KEY_PATH = join(FIXTURES, 'test-only-public-key.pem');
export const PRIVATE_KEY_PEM = readFileSync(PRIVATE_KEY_PATH, 'utf8');
export const PUBLIC_KEY_PEM = readFileSync(PUBLIC_KEY_PATH, 'utf8');

export function rsaKey(bits: number): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

export function ecKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

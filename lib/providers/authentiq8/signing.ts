/**
 * Request signing as the guide's PHP does it: `openssl_sign($json, $sig, $key, OPENSSL_ALGO_SHA256)`
 * then `bin2hex`, i.e. RSASSA-PKCS1-v1_5 over SHA-256 of the exact body bytes, lowercase hex.
 * Errors here never quote the key (nor anything that might be the key).
 */
import { constants, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PushError } from '../../errors';

/** A PEM string, a path to a PEM file, PEM bytes, or a ready KeyObject. */
export type PrivateKeyInput = string | Buffer | KeyObject;
/** A PEM string, a path to a PEM file, PEM bytes, or a ready KeyObject, holding a public key. */
export type PublicKeyInput = string | Buffer | KeyObject;

/** [PUBLIC] "Supported key lengths: 2048 - 4096 bits RSA." */
export const MIN_KEY_BITS = 2048;
export const MAX_KEY_BITS = 4096;

const PEM_MARKER = '-----BEGIN ';

export function loadRsaPrivateKey(input: PrivateKeyInput, passphrase?: string): KeyObject {
  let key: KeyObject;
  if (isKeyObject(input)) {
    if (input.type !== 'private') throw configError('privateKey must be a private key (got a public key).');
    key = input;
  } else {
    const pem = readPem(input, 'privateKey');
    try {
      key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
    } catch {
      // OpenSSL's message is not useful and the cause must not carry anything key-related.
      throw configError(
        'privateKey is not a readable PEM private key (malformed, or encrypted without the right passphrase).',
      );
    }
  }
  return checkRsa(key, 'privateKey');
}

export function loadRsaPublicKey(input: PublicKeyInput): KeyObject {
  let key: KeyObject;
  try {
    if (!isKeyObject(input)) key = createPublicKey(readPem(input, 'publicKey'));
    else key = input.type === 'public' ? input : createPublicKey(input);
  } catch (error) {
    if (error instanceof PushError) throw error;
    throw configError('publicKey is not a readable PEM public key or certificate.');
  }
  return checkRsa(key, 'publicKey');
}

/** Hex signature over exactly these bytes (sign the same string you send). */
export function signBody(body: string | Buffer, key: KeyObject): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return sign('sha256', bytes, { key, padding: constants.RSA_PKCS1_PADDING }).toString('hex');
}

/** False for a wrong signature and for anything that is not even-length hex. */
export function verifyBody(body: Buffer, signatureHex: string, key: KeyObject): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return verify(
      'sha256',
      body,
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(signatureHex, 'hex'),
    );
  } catch {
    return false;
  }
}

function isKeyObject(input: PrivateKeyInput): input is KeyObject {
  return typeof input === 'object' && !Buffer.isBuffer(input);
}

/** A string holding a PEM block is the key itself; any other string is a file path. */
function readPem(input: string | Buffer, what: string): string {
  if (Buffer.isBuffer(input)) return input.toString('utf8');
  if (input.includes(PEM_MARKER)) return input;
  if (input.trim() === '') throw configError(`${what} is empty.`);
  try {
    const text = readFileSync(input, 'utf8');
    if (!text.includes(PEM_MARKER)) throw new Error('no PEM block');
    return text;
  } catch {
    // Do not echo the value: it may be key material in a form we did not recognise.
    throw configError(`${what} is neither a PEM string nor the path of a readable PEM file.`);
  }
}

function checkRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw configError(
      `${what} must be an RSA key (got ${key.asymmetricKeyType ?? 'an unknown type'}); Authentiq8 uses RSA-SHA256.`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined || bits < MIN_KEY_BITS || bits > MAX_KEY_BITS) {
    throw configError(
      `${what} is ${bits ?? 'an unknown number of'} bits; Authentiq8 accepts 2048–4096-bit RSA keys.`,
    );
  }
  return key;
}

function configError(message: string): PushError {
  return new PushError('config', `Authentiq8: ${message}`, { code: 'invalid_option' });
}

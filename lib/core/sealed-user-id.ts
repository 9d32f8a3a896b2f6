/**
 * A typed ID sealed for the session (AES-256-GCM): for providers whose IDs are personal data, the
 * pending record keeps the ID only this way, so a session store dump names nobody. Bound to its
 * challenge (the challenge id is the additional data): a sealed ID copied into another record
 * does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals `userId` for the challenge `challengeId` under `key` (32 bytes): base64url of iv, tag, ciphertext. */
export function sealUserId(key: Buffer, userId: string, challengeId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(challengeId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(userId, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The ID `sealUserId` sealed, or undefined when it does not open (another key or challenge, or damage). */
export function openUserId(key: Buffer, sealed: string, challengeId: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(challengeId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    return undefined;
  }
}

/** PushErrors built from an rsp_code, with messages that say what to do about the common ones. */
import { PushError, type PushErrorCode } from '../../errors';
import { rspCodeInfo } from './rsp-codes';
import type { TxnType } from './wire-fields';

/** Clearer words for the codes an integrator meets first; the rest use the guide's description. */
const HINTS: Readonly<Record<string, string>> = {
  '1004':
    'Authentiq8 refused the request (auth failure): check clientId, and that the public key registered in the portal matches privateKey.',
  '1044': 'Authentiq8 does not know this user.',
  '1046': 'This user is blocked at Authentiq8.',
  '1050': 'This user has no connected devices: link the Authentiq8 Me app first.',
  '1051': 'The Authentiq8 account has insufficient credit.',
  '1009': 'Authentiq8 was asked too early (more than once per second for this user).',
  '9998':
    'Authentiq8 refused the request (security validation error): check the signature and TransactionID.',
};

/** Codes with a code of their own in the shared vocabulary; every other one is `provider_error`. */
const CODES: Readonly<Record<string, PushErrorCode>> = {
  '1004': 'unauthorized',
  '1048': 'unauthorized',
  '1044': 'unknown_user',
  '1034': 'unknown_user',
  '1046': 'user_locked',
  '1050': 'no_device',
  '1009': 'rate_limited',
};

/** The error for a non-success rsp_code; the code itself travels in `details.providerCode`. */
export function rspCodeError(rspCode: string, txnType: TxnType): PushError {
  const code = rspCode.slice(0, 8);
  const info = rspCodeInfo(code);
  const words = HINTS[code] ?? `Authentiq8 ${txnType} failed: ${info.description}.`;
  const mapped = Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  // Unknown user, blocked user, no device: the user's to fix, not a provider fault.
  const userCaused = mapped === 'unknown_user' || mapped === 'user_locked' || mapped === 'no_device';
  return new PushError(userCaused ? 'input' : 'provider', `${words} (rsp_code ${code})`, {
    code: mapped ?? 'provider_error',
    retryable: info.retryable,
    ...(code === '1009' ? { retryAfterSeconds: 1 } : {}),
    details: { providerCode: code, txnType },
  });
}

/** A well-formed HTTP answer whose content is not what the protocol promises. */
export function malformed(txnType: TxnType, what: string): PushError {
  return new PushError('protocol', `Authentiq8 ${txnType}: malformed answer (${what}).`, {
    code: 'invalid_response',
    details: { txnType },
  });
}

/** PushErrors built from an rsp_code, with messages that say what to do about the common ones. */
import { PushError } from '../../errors';
import { rspCodeInfo } from './rsp-codes';
import type { TxnType } from './wire-fields';

/** Clearer words for the codes an integrator meets first; the rest use the guide's description. */
const HINTS: Readonly<Record<string, string>> = {
  '1004':
    'Authentiq8 refused the request (auth failure): check clientId, and that the public key registered in the portal matches privateKey.',
  '1044': 'Authentiq8 does not know this user.',
  '1050': 'This user has no connected devices: link the Authentiq8 Me app first.',
  '1051': 'The Authentiq8 account has insufficient credit.',
  '1009': 'Authentiq8 was asked too early (more than once per second for this user).',
};

/** Codes the user can fix (unknown user, no linked device): a 400, not a gateway error. */
const USER_CAUSED: ReadonlySet<string> = new Set(['1044', '1050']);

export function rspCodeError(code: string, txnType: TxnType): PushError {
  const info = rspCodeInfo(code);
  const words = HINTS[code] ?? `Authentiq8 ${txnType} failed: ${info.description}.`;
  return new PushError('provider', `${words} (rsp_code ${code.slice(0, 8)})`, {
    code: code.slice(0, 8),
    retryable: info.retryable,
    details: { rspCode: code.slice(0, 8), txnType },
    ...(USER_CAUSED.has(code) ? { status: 400 } : {}),
  });
}

/** A well-formed HTTP answer whose content is not what the protocol promises. */
export function malformed(txnType: TxnType, what: string): PushError {
  return new PushError('protocol', `Authentiq8 ${txnType}: malformed answer (${what}).`, {
    code: 'malformed',
    details: { txnType },
  });
}

/**
 * The guide's full rsp_code table. `0000` is success; 9997 (system error) and 1009 (too early) are
 * worth a later retry, which the strategy bounds; 9998 and 9999 are validation errors that the
 * same request meets again, so they are terminal like every other code. `checkState` is how a
 * status poll (get-user-status) reads a non-success code; the mapping from code to state is ours
 * (the guide only names the codes), see README, "Authentiq8 Me". Codes that name a field problem
 * (1009 too early, 1010 too late) have none: they surface as errors with their code.
 */
import type { TerminalState } from '../provider';

export type CheckOutcome = 'pending' | TerminalState;

export interface RspCodeInfo {
  /** The guide's wording, e.g. "Error user not found". */
  readonly description: string;
  readonly retryable: boolean;
  /** How get-user-status reads this code; absent: the poll throws a PushError. */
  readonly checkState?: CheckOutcome;
}

export const RSP_OK = '0000';

/**
 * Authentiq8 Me's `rsp_code` values and the error or state each becomes.
 */
export const RSP_CODES = {
  '0000': { description: 'Response ok', retryable: false },
  '1001': { description: 'Error failed 2fa', retryable: false, checkState: 'denied' },
  '1002': { description: 'Error site suspended', retryable: false, checkState: 'suspended' },
  '1003': { description: 'Error no data', retryable: false },
  '1004': { description: 'Error auth failure', retryable: false },
  '1005': { description: 'Error invalid data type', retryable: false },
  '1006': { description: 'Error invalid field count', retryable: false },
  '1007': { description: 'Error too long', retryable: false },
  '1008': { description: 'Error too short', retryable: false },
  '1009': { description: 'Error too early', retryable: true },
  '1010': { description: 'Error too late', retryable: false },
  '1011': { description: 'Error bad month', retryable: false },
  '1012': { description: 'Error not digits', retryable: false },
  '1013': { description: 'Error not numeric', retryable: false },
  '1014': { description: 'Error too small', retryable: false },
  '1015': { description: 'Error invalid ccy', retryable: false },
  '1016': { description: 'Error invalid country', retryable: false },
  '1017': { description: 'Error invalid ip address', retryable: false },
  '1018': { description: 'Error invalid activation key', retryable: false },
  '1019': { description: 'Error invalid msisdn', retryable: false },
  '1020': { description: 'Error expired', retryable: false, checkState: 'expired' },
  '1021': { description: 'Error too big', retryable: false },
  '1022': { description: 'Error invalid boolean', retryable: false },
  '1023': { description: 'Error client id not unique', retryable: false },
  '1024': { description: 'Error too many decimals', retryable: false },
  '1025': { description: 'Error not int', retryable: false },
  '1026': { description: 'Error invalid status', retryable: false },
  '1027': { description: 'Error downloads suspended', retryable: false },
  '1028': { description: 'Error invalid gender', retryable: false },
  '1029': { description: 'Error invalid address', retryable: false },
  '1030': { description: 'Error external system error', retryable: false },
  '1031': { description: 'Error invalid email', retryable: false },
  '1032': { description: 'Error email not unique', retryable: false },
  '1033': { description: 'Error device not unique', retryable: false },
  '1034': { description: 'Error invalid user', retryable: false, checkState: 'invalid' },
  '1035': { description: 'Error invalid device', retryable: false, checkState: 'invalid' },
  '1036': { description: 'Error auth rejected', retryable: false, checkState: 'denied' },
  '1037': { description: 'Error invalid message id', retryable: false, checkState: 'invalid' },
  '1038': { description: 'Error message id not found', retryable: false, checkState: 'invalid' },
  '1039': { description: 'Error nothing to do', retryable: false },
  '1040': { description: 'Error session id not found', retryable: false, checkState: 'invalid' },
  '1041': { description: 'Error invalid id', retryable: false, checkState: 'invalid' },
  '1042': { description: 'Error wrong id type', retryable: false },
  '1043': { description: 'Error auth timeout', retryable: false, checkState: 'expired' },
  '1044': { description: 'Error user not found', retryable: false, checkState: 'invalid' },
  '1045': { description: 'Error device not found', retryable: false, checkState: 'invalid' },
  '1046': { description: 'Error user blocked', retryable: false, checkState: 'suspended' },
  '1047': { description: 'Error invalid email address', retryable: false },
  '1048': { description: 'Error invalid client', retryable: false },
  '1049': { description: 'Error last connected device', retryable: false },
  '1050': { description: 'Error no connected devices', retryable: false, checkState: 'invalid' },
  '1051': { description: 'Error insufficient credit', retryable: false },
  '1052': { description: 'Error email waiting', retryable: false },
  '1053': { description: 'Error email alreadyverified', retryable: false },
  '1054': { description: 'Error no login message', retryable: false },
  '1055': { description: 'Error timeout', retryable: false, checkState: 'expired' },
  '1056': { description: 'Error pending', retryable: false, checkState: 'pending' },
  '1057': { description: 'Error login redirection', retryable: false },
  '1058': { description: 'Error pending login', retryable: false, checkState: 'pending' },
  '1059': { description: 'Error invalid affiliate', retryable: false },
  '1060': { description: 'Error auth rejected login', retryable: false, checkState: 'denied' },
  '9997': { description: 'Error system error', retryable: true },
  '9998': { description: 'Error security validation error', retryable: false },
  '9999': { description: 'Error general validation error', retryable: false },
} as const satisfies Record<string, RspCodeInfo>;

export type RspCode = keyof typeof RSP_CODES;

export function isRspCode(value: string): value is RspCode {
  return Object.prototype.hasOwnProperty.call(RSP_CODES, value);
}

/** The table entry for a code; codes outside the guide are terminal and unknown. */
export function rspCodeInfo(code: string): RspCodeInfo {
  return isRspCode(code)
    ? RSP_CODES[code]
    : { description: `Unknown response code ${JSON.stringify(code.slice(0, 8))}`, retryable: false };
}

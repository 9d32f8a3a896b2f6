/**
 * Reads an Authentiq8 answer's envelope: HTTP status, JSON object, `rsp_code`, `rsp_msg` and the
 * echoed `transaction_id`. Anything off is a PushError, never a TypeError: the property test feeds
 * it arbitrary bytes.
 */
import { PushError } from '../../errors';
import { httpStatusError } from '../http';
import { malformed } from './errors';
import { RSP_OK } from './rsp-codes';
import { ENVELOPE_FIELDS, type TxnType } from './wire-fields';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface Envelope {
  readonly txnType: TxnType;
  /** Four digits, as the guide writes them (`"0000"`); a numeric code (`1044`, `0`) is padded. */
  readonly rspCode: string;
  readonly rspMsg: string | undefined;
  readonly transactionId: string;
  /** The whole answer object, for the per-call readers. */
  readonly fields: JsonObject;
}

export interface RawAnswer {
  status: number;
  body: Buffer;
}

export function parseEnvelope(txnType: TxnType, answer: RawAnswer, expectedTransactionId: string): Envelope {
  if (answer.status !== 200) {
    throw httpStatusError(`Authentiq8 ${txnType}`, answer.status, { txnType });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw malformed(txnType, 'not JSON');
  }
  if (!isJsonObject(parsed)) throw malformed(txnType, 'not a JSON object');
  const rspCode = readRspCode(parsed[ENVELOPE_FIELDS.rspCode]);
  if (rspCode === undefined) throw malformed(txnType, 'rsp_code');
  const rspMsg = parsed[ENVELOPE_FIELDS.rspMsg];
  if (rspMsg !== undefined && typeof rspMsg !== 'string') throw malformed(txnType, 'rsp_msg');
  const transactionId = parsed[ENVELOPE_FIELDS.transactionId];
  // An error answer without the echo keeps its real code (a gateway or early-validation answer);
  // an echo that names another request, or a success without one, is never ours to act on.
  const unechoedError = transactionId === undefined && rspCode !== RSP_OK;
  if (transactionId !== expectedTransactionId && !unechoedError) {
    // An answer to some other request (a cache, a mix-up, a replay) is never ours to act on.
    throw new PushError('protocol', `Authentiq8 ${txnType}: the answer's transaction_id does not match.`, {
      code: 'transaction_mismatch',
      details: { txnType },
    });
  }
  return { txnType, rspCode, rspMsg, transactionId: expectedTransactionId, fields: parsed };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `"1044"` as the guide writes it, or a JSON number (`1044`, `0`) as a PHP back end may send it. */
function readRspCode(value: unknown): string | undefined {
  if (typeof value === 'string') return /^\d{4}$/.test(value) ? value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 9999) {
    return String(value).padStart(4, '0');
  }
  return undefined;
}

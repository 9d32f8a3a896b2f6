/**
 * Reads an Authentiq8 answer's envelope: HTTP status, JSON object, `rsp_code`, `rsp_msg` and the
 * echoed `transaction_id`. Anything off is a PushError, never a TypeError: the property test feeds
 * it arbitrary bytes.
 */
import { PushError } from '../../errors';
import { malformed } from './errors';
import { ENVELOPE_FIELDS, type TxnType } from './wire-fields';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface Envelope {
  readonly txnType: TxnType;
  /** Four digits, as the guide writes them (`"0000"`). */
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

/** Statuses worth another try later: the provider or a proxy in front of it is having a moment. */
function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function parseEnvelope(txnType: TxnType, answer: RawAnswer, expectedTransactionId: string): Envelope {
  if (answer.status !== 200) {
    throw new PushError('protocol', `Authentiq8 ${txnType}: HTTP ${answer.status} instead of 200.`, {
      code: 'http_status',
      retryable: isTransientStatus(answer.status),
      details: { httpStatus: answer.status, txnType },
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw malformed(txnType, 'not JSON');
  }
  if (!isJsonObject(parsed)) throw malformed(txnType, 'not a JSON object');
  const rspCode = parsed[ENVELOPE_FIELDS.rspCode];
  if (typeof rspCode !== 'string' || !/^\d{4}$/.test(rspCode)) throw malformed(txnType, 'rsp_code');
  const rspMsg = parsed[ENVELOPE_FIELDS.rspMsg];
  if (rspMsg !== undefined && typeof rspMsg !== 'string') throw malformed(txnType, 'rsp_msg');
  const transactionId = parsed[ENVELOPE_FIELDS.transactionId];
  if (transactionId !== expectedTransactionId) {
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

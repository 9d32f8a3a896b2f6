/**
 * Reading BankID's JSON answers. Everything is checked before it is used and anything unexpected is
 * refused (`invalid_response`): only a well-formed `complete` for the right order can log a user in.
 * No message built here contains a value from the answer, so a personal number never reaches an error.
 */
import { PushError } from '../../errors';

/** `/auth`: what identifies the order and drives the QR code and the launch link. */
export interface AuthAnswer {
  orderRef: string;
  autoStartToken: string;
  qrStartToken: string;
  qrStartSecret: string;
}

/** The user BankID vouches for in `completionData.user`. */
export interface CompletedUser {
  personalNumber: string;
  name: string;
  givenName: string;
  surname: string;
}

/** `completionData` of a complete order. */
export interface CompletionData {
  user: CompletedUser;
  device: { ipAddress: string; uhi?: string };
  bankIdIssueDate?: string;
  stepUp?: { mrtd: boolean };
  /** Base64 XML signature: large, kept for the caller who wants to store it. */
  signature: string;
  /** Base64 OCSP response: large, kept for the caller who wants to store it. */
  ocspResponse: string;
  /** Only when the order asked for it (`returnRisk`). */
  risk?: 'low' | 'moderate' | 'high';
}

/** One `/collect` answer. */
export type CollectAnswer =
  | { status: 'pending'; hintCode: string | undefined }
  | { status: 'failed'; hintCode: string }
  | { status: 'complete'; completionData: CompletionData };

/** A UUID-like reference, as BankID sends for orderRef and the tokens. */
const TOKEN = /^[0-9A-Za-z-]{8,128}$/;
/** Hint codes are identifiers; BankID may add new ones, so the format is checked, not the value. */
const HINT_CODE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const PERSONAL_NUMBER = /^\d{12}$/;
/** A date, with whatever zone or time suffix BankID adds (documented as e.g. `2020-02-01Z`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}[0-9TZ:.+-]{0,30}$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
const MAX_NAME = 256;

/** Why an answer was refused; no value from the answer goes into the message. */
export function malformed(what: string): PushError {
  return new PushError('protocol', `The BankID answer is malformed: ${what}.`, {
    code: 'invalid_response',
  });
}

type Json = Readonly<Record<string, unknown>>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(`${what} is not an object`);
  return value as Json;
}

function text(from: Json, key: string, pattern: RegExp | undefined, what: string): string {
  const value = Object.hasOwn(from, key) ? from[key] : undefined;
  if (typeof value !== 'string' || value === '') throw malformed(`${what} is missing`);
  if (pattern !== undefined && !pattern.test(value)) throw malformed(`${what} has the wrong format`);
  return value;
}

function optionalText(from: Json, key: string, pattern: RegExp, what: string): string | undefined {
  if (!Object.hasOwn(from, key) || from[key] === undefined) return undefined;
  return text(from, key, pattern, what);
}

function name(from: Json, key: string): string {
  const value = text(from, key, undefined, `user.${key}`);
  // eslint-disable-next-line no-control-regex
  if (value.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(value)) {
    throw malformed(`user.${key} has the wrong format`);
  }
  return value;
}

/** Parses JSON without letting a parser message (which quotes the input) into the error. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw malformed('not JSON');
  }
}

/** Checks an `/auth` answer. */
export function readAuthAnswer(value: unknown): AuthAnswer {
  const answer = object(value, 'the answer');
  return {
    orderRef: text(answer, 'orderRef', TOKEN, 'orderRef'),
    autoStartToken: text(answer, 'autoStartToken', TOKEN, 'autoStartToken'),
    qrStartToken: text(answer, 'qrStartToken', TOKEN, 'qrStartToken'),
    qrStartSecret: text(answer, 'qrStartSecret', TOKEN, 'qrStartSecret'),
  };
}

/** Checks a `/collect` answer for `orderRef`; an answer about another order is refused. */
export function readCollectAnswer(value: unknown, orderRef: string): CollectAnswer {
  const answer = object(value, 'the answer');
  if (text(answer, 'orderRef', TOKEN, 'orderRef') !== orderRef) {
    throw new PushError('protocol', 'The BankID answer is about another order.', {
      code: 'transaction_mismatch',
    });
  }
  const status = text(answer, 'status', undefined, 'status');
  if (status === 'pending') {
    return { status, hintCode: optionalText(answer, 'hintCode', HINT_CODE, 'hintCode') };
  }
  if (status === 'failed') return { status, hintCode: text(answer, 'hintCode', HINT_CODE, 'hintCode') };
  if (status === 'complete') {
    return { status, completionData: readCompletionData(answer['completionData']) };
  }
  throw malformed('status is not pending, failed or complete');
}

function readCompletionData(value: unknown): CompletionData {
  const data = object(value, 'completionData');
  const user = object(data['user'], 'completionData.user');
  const device = object(data['device'], 'completionData.device');
  const completion: CompletionData = {
    user: {
      personalNumber: text(user, 'personalNumber', PERSONAL_NUMBER, 'user.personalNumber'),
      name: name(user, 'name'),
      givenName: name(user, 'givenName'),
      surname: name(user, 'surname'),
    },
    device: { ipAddress: text(device, 'ipAddress', /^[0-9A-Fa-f:.]{2,45}$/, 'device.ipAddress') },
    signature: text(data, 'signature', BASE64, 'signature'),
    ocspResponse: text(data, 'ocspResponse', BASE64, 'ocspResponse'),
  };
  const uhi = optionalText(device, 'uhi', /^[\w+/=-]{1,256}$/, 'device.uhi');
  if (uhi !== undefined) completion.device.uhi = uhi;
  const issued = optionalText(data, 'bankIdIssueDate', ISO_DATE, 'bankIdIssueDate');
  if (issued !== undefined) completion.bankIdIssueDate = issued;
  const risk = optionalText(data, 'risk', /^(?:low|moderate|high)$/, 'risk');
  if (risk !== undefined) completion.risk = risk as CompletionData['risk'];
  if (Object.hasOwn(data, 'stepUp') && data['stepUp'] !== undefined) {
    const mrtd = object(data['stepUp'], 'completionData.stepUp')['mrtd'];
    if (typeof mrtd !== 'boolean') throw malformed('stepUp.mrtd is not true or false');
    completion.stepUp = { mrtd };
  }
  return completion;
}

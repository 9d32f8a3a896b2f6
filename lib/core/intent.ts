/**
 * An action intent made on the server: checked, put in one canonical JSON form (keys sorted, no
 * whitespace: RFC 8785 for these string-only values) and hashed (SHA-256), so that the same action
 * always has the same hash and any change makes another one. Also its plain-text rendering for
 * phones that show text. Nothing here takes anything from the browser.
 */
import { createHash } from 'node:crypto';
import { PushError } from '../errors';
import { canonicalJson, type ActionIntent, type ActionRequest } from '../providers/action';

const AMOUNT = /^(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_TEXT = 140;
const MAX_LINES = 20;
/** A step-up older than a day is no step-up. */
const MAX_AGE_SECONDS = 86_400;
// Control characters (newlines included) could fake extra lines on the phone.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An intent checked, hashed and rendered: what `approve` and `useApproval` work with. */
export interface CheckedIntent {
  /** The intent, validated (a copy, only its known fields). */
  readonly intent: ActionIntent;
  /** SHA-256 of its canonical JSON, lower-case hex. */
  readonly hash: string;
  /** Its plain-text rendering. */
  readonly text: string;
}

/**
 * Checks an intent: the intent (a copy, only its known fields), its hash and its text. Throws
 * `PushError` kind `'input'` (`invalid_intent`) for anything malformed: an approval is never
 * started for an action the app did not describe exactly.
 */
export function checkedIntent(value: unknown): CheckedIntent {
  const intent = checkIntent(value);
  return { intent, hash: intentHash(intent), text: intentText(intent) };
}

/** The `ActionRequest` a provider gets for a checked intent; undefined for a step-up (nothing to show). */
export function shownAction(checked: CheckedIntent): ActionRequest | undefined {
  const { intent } = checked;
  return intent.type === 'step-up' ? undefined : { ...checked, intent };
}

/** Checks an action (not a step-up) and answers the `ActionRequest` a provider gets. */
export function actionRequest(value: unknown): ActionRequest {
  const shown = shownAction(checkedIntent(value));
  if (!shown) throw invalid('a step-up shows no action');
  return shown;
}

/** SHA-256 of the intent's canonical JSON, lower-case hex. */
export function intentHash(intent: ActionIntent): string {
  return createHash('sha256').update(canonicalJson(intent), 'utf8').digest('hex');
}

/** The intent as plain lines: a title, an empty line, then one line per detail. */
export function intentText(intent: ActionIntent): string {
  if (intent.type === 'generic') return [intent.title, '', ...intent.lines].join('\n');
  if (intent.type === 'step-up') return 'Confirm that it is you';
  return [
    'Approve payment',
    '',
    `Amount: ${intent.amount} ${intent.currency}`,
    `To: ${intent.payee.name}`,
    ...(intent.payee.account !== undefined ? [`Account: ${intent.payee.account}`] : []),
    ...(intent.reference !== undefined ? [`Reference: ${intent.reference}`] : []),
  ].join('\n');
}

function checkIntent(value: unknown): ActionIntent {
  const intent = fields(value, 'The intent', [
    'type',
    'amount',
    'currency',
    'payee',
    'reference',
    'title',
    'lines',
    'acr',
    'maxAgeSeconds',
  ]);
  if (intent['type'] === 'payment') {
    only(intent, 'A payment intent', ['type', 'amount', 'currency', 'payee', 'reference']);
    const amount = text(intent['amount'], 'amount');
    if (!AMOUNT.test(amount) || !/[1-9]/.test(amount)) {
      throw invalid('amount must be a positive decimal string such as "500.00"');
    }
    const currency = text(intent['currency'], 'currency');
    if (!CURRENCY.test(currency)) throw invalid('currency must be an ISO 4217 code such as "EUR"');
    const payee = fields(intent['payee'], 'payee', ['name', 'account']);
    const account = optionalText(payee['account'], 'payee.account');
    const reference = optionalText(intent['reference'], 'reference');
    return {
      type: 'payment',
      amount,
      currency,
      payee: { name: text(payee['name'], 'payee.name'), ...(account !== undefined ? { account } : {}) },
      ...(reference !== undefined ? { reference } : {}),
    };
  }
  if (intent['type'] === 'generic') {
    only(intent, 'A generic intent', ['type', 'title', 'lines']);
    const lines = intent['lines'];
    if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES) {
      throw invalid(`lines must be 1 to ${MAX_LINES} strings`);
    }
    return {
      type: 'generic',
      title: text(intent['title'], 'title'),
      lines: lines.map((line: unknown, index) => text(line, `lines[${index}]`)),
    };
  }
  if (intent['type'] === 'step-up') {
    only(intent, 'A step-up intent', ['type', 'acr', 'maxAgeSeconds']);
    const acr = optionalText(intent['acr'], 'acr');
    if (acr !== undefined && /\s/.test(acr)) throw invalid('acr must be one value without spaces');
    const maxAge = intent['maxAgeSeconds'];
    if (
      maxAge !== undefined &&
      !(Number.isInteger(maxAge) && (maxAge as number) >= 1 && (maxAge as number) <= MAX_AGE_SECONDS)
    ) {
      throw invalid(`maxAgeSeconds must be a whole number from 1 to ${MAX_AGE_SECONDS}`);
    }
    return {
      type: 'step-up',
      ...(acr !== undefined ? { acr } : {}),
      ...(maxAge !== undefined ? { maxAgeSeconds: maxAge as number } : {}),
    };
  }
  throw invalid("type must be 'payment', 'generic' or 'step-up'");
}

function fields(value: unknown, what: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} is not an object`);
  const record = value as Record<string, unknown>;
  only(record, what, known);
  return record;
}

/** Unknown fields are refused, not dropped: the app must not believe they were approved. */
function only(record: Record<string, unknown>, what: string, known: readonly string[]): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key) && record[key] !== undefined);
  if (unknown.length > 0) throw invalid(`${what} has unknown fields (${unknown.join(', ')})`);
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value !== value.trim() || value.length > MAX_TEXT) {
    throw invalid(`${what} must be 1 to ${MAX_TEXT} characters without surrounding spaces`);
  }
  if (CONTROL.test(value)) throw invalid(`${what} must not contain control characters or line breaks`);
  return value;
}

function optionalText(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : text(value, what);
}

function invalid(what: string): PushError {
  return new PushError('input', `The action to approve is not valid: ${what}.`, { code: 'invalid_intent' });
}

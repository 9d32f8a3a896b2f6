/** Reading and validating the user ID a browser sends to start a login. */
import { PushError, type PushErrorCode } from '../errors';

/** How a typed user ID is read from a request and checked before any provider is asked. */
export interface UserIdRules {
  /** The body (or query) field holding the ID. */
  field: string;
  /** Longest accepted ID, in characters after trimming. */
  maxLength: number;
  /** Pattern a trimmed ID must match. */
  pattern: RegExp;
}

/** Letters, digits and the punctuation IDs and e-mail addresses use; no spaces, no control characters. */
export const DEFAULT_USER_ID_PATTERN = /^[\p{L}\p{N}@._+-]+$/u;
export const DEFAULT_MAX_USER_ID_LENGTH = 254;

/**
 * Body first, then query (passport-local's order). Throws `PushError('input')` with a message for
 * people. When the ID is `'optional'`, a missing or empty field is no ID (`undefined`).
 */
export function readUserId(
  body: unknown,
  query: unknown,
  rules: UserIdRules,
  need: 'required' | 'optional' = 'required',
): string | undefined {
  const raw = fieldOf(body, rules.field) ?? fieldOf(query, rules.field);
  if (raw === undefined) {
    if (need === 'optional') return undefined;
    throw invalid('missing_user_id', `Enter your ID (the "${rules.field}" field is missing).`);
  }
  if (typeof raw !== 'string') {
    throw invalid('invalid_user_id', `The "${rules.field}" field must be a single text value.`);
  }
  const userId = raw.trim();
  if (userId.length === 0) {
    if (need === 'optional') return undefined;
    throw invalid('missing_user_id', 'Enter your ID.');
  }
  if (userId.length > rules.maxLength) {
    throw invalid('invalid_user_id', `That ID is too long (at most ${rules.maxLength} characters).`);
  }
  if (!rules.pattern.test(userId))
    throw invalid('invalid_user_id', 'That ID contains characters that are not allowed.');
  return userId;
}

function fieldOf(container: unknown, field: string): unknown {
  if (typeof container !== 'object' || container === null) return undefined;
  // Own properties only: a body of `{"__proto__": …}` or "constructor" must not read inherited values.
  return Object.prototype.hasOwnProperty.call(container, field)
    ? (container as Record<string, unknown>)[field]
    : undefined;
}

function invalid(code: PushErrorCode, message: string): PushError {
  return new PushError('input', message, { code });
}

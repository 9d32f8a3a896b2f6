import { PushError } from '../../../lib';
import {
  isPushErrorCode,
  PROVIDER_ERROR_CODES,
  PUSH_ERROR_CODES,
  RETRYABLE_TRANSPORT_CODES,
  retryableCode,
  retryableHttpStatus,
} from '../../../lib/errors';
import { errorStatus, failureStatus } from '../../../lib/web/http-status';

describe('the retry rule', () => {
  test.each([500, 502, 503, 504, 599, 429])('HTTP %i is retryable', (status) => {
    expect(retryableHttpStatus(status)).toBe(true);
  });

  test.each([200, 301, 400, 401, 403, 404, 409, 422, 600])('HTTP %i is final', (status) => {
    expect(retryableHttpStatus(status)).toBe(false);
  });

  test('transport codes are retryable, answer codes are not', () => {
    for (const code of ['timeout', 'connect', 'reset', 'aborted'] as const)
      expect(retryableCode(code)).toBe(true);
    for (const code of ['invalid_response', 'http_status', 'unknown_user'] as const) {
      expect(retryableCode(code)).toBe(false);
    }
    expect(retryableCode(undefined)).toBe(false);
  });
});

describe('the one list of error codes', () => {
  test('names every code once', () => {
    expect(new Set(PUSH_ERROR_CODES).size).toBe(PUSH_ERROR_CODES.length);
  });

  test("a provider's codes and the retryable transport codes come from the same list", () => {
    for (const code of [...PROVIDER_ERROR_CODES, ...RETRYABLE_TRANSPORT_CODES]) {
      expect(isPushErrorCode(code)).toBe(true);
    }
    expect(isPushErrorCode('no_such_code')).toBe(false);
  });
});

describe('HTTP status of errors and failures (the web layer decides, not PushError)', () => {
  test('PushError carries no HTTP status', () => {
    expect(new PushError('provider', 'x')).not.toHaveProperty('status');
  });

  test.each([
    [new PushError('protocol', 'gone', { code: 'timeout', retryable: true }), 503],
    [new PushError('limit', 'slow down', { code: 'rate_limited', retryAfterSeconds: 5 }), 429],
    [new PushError('input', 'bad', { code: 'invalid_user_id' }), 400],
    [new PushError('provider', 'who?', { code: 'unknown_user' }), 400],
    [new PushError('provider', 'no credit', { code: 'provider_error' }), 502],
    [new PushError('protocol', 'garbled', { code: 'invalid_response' }), 502],
    [new PushError('config', 'wired wrong'), 500],
  ])('%s → %i', (error, status) => {
    expect(errorStatus(error)).toBe(status);
  });

  test('failures', () => {
    expect(failureStatus('none')).toBe(404);
    expect(failureStatus('bad_request')).toBe(400);
    expect(failureStatus('denied')).toBe(401);
    expect(failureStatus('rejected')).toBe(401);
  });
});

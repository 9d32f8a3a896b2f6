/** The pure pieces: handles, intervals and slow_down, Retry-After, and what each OP error means. */
import { PushError } from '../../../lib/errors';
import {
  MAX_AUTH_REQ_ID_LENGTH,
  WidenedIntervals,
  pollInterval,
  readHandle,
  toHandle,
} from '../../../lib/providers/ciba/polling';
import { retryAfterMs, startFailure, tokenFailure, type Failure } from '../../../lib/providers/ciba/outcomes';

const oauth = (code: string, retryAfter?: number, description?: string): Failure => ({
  type: 'oauth',
  code,
  description,
  status: 400,
  ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
});

test('handles round-trip; anything else is refused', () => {
  expect(readHandle(toHandle({ authReqId: 'abc', interval: 5 }))).toEqual({ authReqId: 'abc', interval: 5 });
  for (const bad of [
    {},
    { authReqId: '', interval: 5 },
    { authReqId: 'a'.repeat(MAX_AUTH_REQ_ID_LENGTH + 1), interval: 5 },
    { authReqId: 'a b', interval: 5 },
    { authReqId: 'abc' },
    { authReqId: 'abc', interval: 0 },
    { authReqId: 'abc', interval: '5' },
    { authReqId: 'abc', interval: Number.POSITIVE_INFINITY },
  ]) {
    expect(readHandle(bad as never)).toBeUndefined();
  }
});

test("accepts Keycloak's encrypted auth_req_id of about 930 characters, up to 4 KiB", () => {
  const keycloak = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${'x'.repeat(880)}.tag`;
  expect(readHandle(toHandle({ authReqId: keycloak, interval: 5 }))?.authReqId).toBe(keycloak);
  expect(MAX_AUTH_REQ_ID_LENGTH).toBeGreaterThanOrEqual(4096);
});

test('poll interval: the OP value rounded up and clamped to 1–600 s; absent or unusable, 5 s', () => {
  expect(pollInterval(undefined)).toBe(5);
  expect(pollInterval(0)).toBe(5);
  expect(pollInterval('10')).toBe(5);
  expect(pollInterval(0.2)).toBe(1);
  expect(pollInterval(2.5)).toBe(3);
  expect(pollInterval(10)).toBe(10);
  expect(pollInterval(900)).toBe(600);
  expect(pollInterval(1e9)).toBe(600);
});

test('Retry-After: seconds or a date, capped, garbage ignored', () => {
  const h = (value: string) => new Headers({ 'retry-after': value });
  expect(retryAfterMs(h('7'))).toBe(7000);
  expect(retryAfterMs(h(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString()), Date.UTC(2030, 0, 1))).toBe(
    30_000,
  );
  expect(retryAfterMs(h('Wed, 01 Jan 2020 00:00:00 GMT'))).toBe(0);
  expect(retryAfterMs(h('999999'))).toBe(600_000);
  expect(retryAfterMs(h('soon'))).toBeUndefined();
  expect(retryAfterMs(new Headers())).toBeUndefined();
  expect(retryAfterMs(undefined)).toBeUndefined();
});

test('authorization_pending waits; slow_down widens by 5 s for this and later polls', () => {
  const memory = new WidenedIntervals();
  const handle = { authReqId: 'a', interval: 5 };
  expect(memory.pending(handle, 'authorization_pending', undefined)).toEqual({ state: 'pending' });
  expect(memory.pending(handle, 'authorization_pending', 9000)).toEqual({
    state: 'pending',
    retryAfterMs: 9000,
  });
  expect(memory.pending(handle, 'slow_down', undefined)).toEqual({ state: 'pending', retryAfterMs: 10_000 });
  expect(memory.pending(handle, 'authorization_pending', undefined)).toEqual({
    state: 'pending',
    retryAfterMs: 10_000,
  });
  expect(memory.pending(handle, 'slow_down', 60_000)).toEqual({ state: 'pending', retryAfterMs: 60_000 });
  expect(memory.get('a')).toBe(15);
});

test('terminal token errors carry catalogue keys', () => {
  expect(tokenFailure(oauth('access_denied'))).toEqual({
    state: 'denied',
    message: { key: 'ciba.access_denied', text: expect.any(String) },
  });
  expect(tokenFailure(oauth('expired_token')).message?.key).toBe('ciba.expired_token');
  expect(tokenFailure(oauth('invalid_grant')).state).toBe('invalid');
});

test('other token errors throw with a shared code; only transient ones are retryable', () => {
  const thrown = (failure: Failure) => {
    try {
      tokenFailure(failure);
    } catch (error) {
      if (error instanceof PushError) return error;
    }
    throw new Error('no PushError');
  };
  expect(thrown(oauth('invalid_client'))).toMatchObject({
    kind: 'provider',
    code: 'unauthorized',
    retryable: false,
    details: { providerCode: 'invalid_client' },
  });
  expect(thrown(oauth('unauthorized_client'))).toMatchObject({ code: 'unauthorized', retryable: false });
  expect(thrown(oauth('temporarily_unavailable'))).toMatchObject({ code: 'maintenance', retryable: true });
  expect(thrown({ type: 'http', status: 503 })).toMatchObject({
    kind: 'protocol',
    code: 'http_status',
    retryable: true,
    details: { status: 503 },
  });
  expect(thrown({ type: 'http', status: 429, retryAfterMs: 2000 })).toMatchObject({
    retryable: true,
    retryAfterSeconds: 2,
  });
  expect(thrown({ type: 'http', status: 404 })).toMatchObject({ code: 'http_status', retryable: false });
  expect(thrown({ type: 'malformed', reason: 'x', code: undefined })).toMatchObject({
    kind: 'protocol',
    code: 'invalid_response',
    retryable: false,
  });
});

test('start errors use the shared vocabulary; the OAuth code is details.providerCode', () => {
  expect(startFailure(oauth('unknown_user_id'))).toMatchObject({
    kind: 'input',
    code: 'unknown_user',
    details: { providerCode: 'unknown_user_id' },
  });
  expect(startFailure(oauth('something_new'))).toMatchObject({
    kind: 'provider',
    code: 'provider_error',
    details: { providerCode: 'something_new' },
  });
  expect(startFailure(oauth('temporarily_unavailable'))).toMatchObject({ retryable: true });
});

test('Keycloak\'s unknown user (invalid_request, "invalid user") is unknown_user; other invalid_requests are not', () => {
  expect(startFailure(oauth('invalid_request', undefined, 'invalid user'))).toMatchObject({
    kind: 'input',
    code: 'unknown_user',
    details: { providerCode: 'invalid_request' },
  });
  expect(startFailure(oauth('invalid_request', undefined, 'missing scope'))).toMatchObject({
    kind: 'provider',
    code: 'provider_error',
  });
  expect(startFailure(oauth('invalid_request'))).toMatchObject({ code: 'provider_error' });
});

test('widened intervals are remembered per request, forgotten, and bounded in time', () => {
  const memory = new WidenedIntervals();
  memory.set('a', 10, 0);
  expect(memory.get('a', 1000)).toBe(10);
  expect(memory.get('b', 1000)).toBeUndefined();
  expect(memory.get('a', 16 * 60 * 1000)).toBeUndefined();
  memory.set('a', 15, 0);
  memory.forget('a');
  expect(memory.get('a', 0)).toBeUndefined();
});

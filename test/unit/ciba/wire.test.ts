/** The pure pieces: handles, Retry-After, and what each token error means. */
import { PushError } from '../../../lib/errors';
import { pollInterval, readHandle, toHandle } from '../../../lib/providers/ciba/handle';
import { WidenedIntervals } from '../../../lib/providers/ciba/intervals';
import { startFailure, tokenFailure } from '../../../lib/providers/ciba/outcomes';
import { retryAfterMs } from '../../../lib/providers/ciba/retry-after';
import type { Failure } from '../../../lib/providers/ciba/failure';

const oauth = (code: string, retryAfter?: number): Failure => ({
  type: 'oauth',
  code,
  description: undefined,
  status: 400,
  ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
});
const noop = () => undefined;

test('handles round-trip; anything else is refused', () => {
  expect(readHandle(toHandle({ authReqId: 'abc', interval: 5 }))).toEqual({ authReqId: 'abc', interval: 5 });
  for (const bad of [
    {},
    { authReqId: '', interval: 5 },
    { authReqId: 'a'.repeat(513), interval: 5 },
    { authReqId: 'abc' },
    { authReqId: 'abc', interval: 0 },
    { authReqId: 'abc', interval: '5' },
    { authReqId: 'abc', interval: Number.POSITIVE_INFINITY },
  ]) {
    expect(readHandle(bad as never)).toBeUndefined();
  }
});

test('poll interval: the OP value rounded up, else 5 s', () => {
  expect(pollInterval(undefined)).toBe(5);
  expect(pollInterval(0)).toBe(5);
  expect(pollInterval(2.5)).toBe(3);
  expect(pollInterval(10)).toBe(10);
  expect(pollInterval(1e9)).toBe(5);
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

test('token errors map to states; slow_down widens by 5 s and reports it', () => {
  expect(tokenFailure(oauth('authorization_pending'), 5, false, noop)).toEqual({ state: 'pending' });
  expect(tokenFailure(oauth('authorization_pending', 9000), 5, false, noop)).toEqual({
    state: 'pending',
    retryAfterMs: 9000,
  });
  expect(tokenFailure(oauth('authorization_pending'), 10, true, noop)).toEqual({
    state: 'pending',
    retryAfterMs: 10_000,
  });
  const widened: number[] = [];
  expect(tokenFailure(oauth('slow_down'), 5, false, (s) => widened.push(s))).toEqual({
    state: 'pending',
    retryAfterMs: 10_000,
  });
  expect(tokenFailure(oauth('slow_down', 60_000), 10, true, (s) => widened.push(s))).toEqual({
    state: 'pending',
    retryAfterMs: 60_000,
  });
  expect(widened).toEqual([10, 15]);
  expect(tokenFailure(oauth('access_denied'), 5, false, noop).state).toBe('denied');
  expect(tokenFailure(oauth('expired_token'), 5, false, noop).state).toBe('expired');
  expect(tokenFailure(oauth('invalid_grant'), 5, false, noop).state).toBe('invalid');
});

test('other token errors throw; only transient ones are retryable', () => {
  const thrown = (failure: Failure) => {
    try {
      tokenFailure(failure, 5, false, noop);
    } catch (error) {
      if (error instanceof PushError) return error;
    }
    throw new Error('no PushError');
  };
  expect(thrown(oauth('invalid_client'))).toMatchObject({
    kind: 'provider',
    code: 'invalid_client',
    retryable: false,
  });
  expect(thrown(oauth('unauthorized_client'))).toMatchObject({ kind: 'provider', retryable: false });
  expect(thrown(oauth('temporarily_unavailable'))).toMatchObject({ retryable: true });
  expect(thrown({ type: 'http', status: 503 })).toMatchObject({ kind: 'protocol', retryable: true });
  expect(thrown({ type: 'http', status: 429, retryAfterMs: 2000 })).toMatchObject({
    retryable: true,
    retryAfterSeconds: 2,
  });
  expect(thrown({ type: 'http', status: 404 })).toMatchObject({ retryable: false });
  expect(thrown({ type: 'malformed', reason: 'x', code: undefined })).toMatchObject({
    kind: 'protocol',
    retryable: false,
  });
});

test('start errors carry the OAuth code; user errors answer 400', () => {
  expect(startFailure(oauth('unknown_user_id'))).toMatchObject({
    kind: 'provider',
    code: 'unknown_user_id',
    status: 400,
  });
  expect(startFailure(oauth('invalid_binding_message'))).toMatchObject({ status: 502 });
  expect(startFailure(oauth('something_new'))).toMatchObject({ kind: 'provider', code: 'something_new' });
  expect(startFailure(oauth('temporarily_unavailable'))).toMatchObject({ retryable: true });
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

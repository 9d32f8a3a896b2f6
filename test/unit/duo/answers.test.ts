import fc from 'fast-check';
import { PushError } from '../../../lib/errors';
import { parseAuth, parseAuthStatus, parsePreauth, readEnvelope } from '../../../lib/providers/duo/answers';
import type { HttpResponse } from '../../../lib/providers/http';

function reply(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  const bytes = Buffer.from(body);
  return { status, headers: new Headers(headers), body: bytes, text: () => body };
}

function caught(work: () => unknown): PushError {
  try {
    work();
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected a PushError');
}

const fail = (code: number, message: string) => JSON.stringify({ stat: 'FAIL', code, message });

describe('Duo answers: the envelope and its HTTP status', () => {
  it('returns the response object of a 200 {stat: OK}', () => {
    expect(readEnvelope(reply(200, '{"stat":"OK","response":{"txid":"abc-123-def"}}'))).toEqual({
      txid: 'abc-123-def',
    });
  });

  it('401 is a terminal "unauthorized" that says which settings to check', () => {
    const error = caught(() =>
      readEnvelope(reply(401, fail(40103, 'Invalid signature in request credentials'))),
    );
    expect(error).toMatchObject({ kind: 'provider', code: 'unauthorized', retryable: false });
    expect(error.details).toMatchObject({ providerCode: '40103', status: 401 });
    expect(error.message).toMatch(/integrationKey, secretKey and apiHost/);
  });

  it('429 is retryable "rate_limited" and carries Retry-After', () => {
    const error = caught(() =>
      readEnvelope(reply(429, fail(42901, 'Too Many Requests'), { 'Retry-After': '7' })),
    );
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 7 });
  });

  it.each([500, 502, 503])('%i is retryable "http_status", with or without a JSON body', (status) => {
    expect(caught(() => readEnvelope(reply(status, fail(50000, 'oops'))))).toMatchObject({
      code: 'http_status',
      retryable: true,
    });
    expect(caught(() => readEnvelope(reply(status, '<html>bad gateway</html>')))).toMatchObject({
      code: 'http_status',
      retryable: true,
    });
  });

  it("400 {stat: FAIL} is a terminal provider_error with Duo's code in details.providerCode", () => {
    const error = caught(() =>
      readEnvelope(
        reply(
          400,
          JSON.stringify({
            stat: 'FAIL',
            code: 40002,
            message: 'Invalid request parameters',
            message_detail: 'username',
          }),
        ),
      ),
    );
    expect(error).toMatchObject({ kind: 'provider', code: 'provider_error', retryable: false });
    expect(error.details['providerCode']).toBe('40002');
    expect(error.message).toContain('Invalid request parameters: username');
  });

  it.each([
    ['not JSON', 'garbage'],
    ['truncated JSON', '{"stat":"OK","response":{'],
    ['no stat', '{"response":{}}'],
    ['a list', '[]'],
    ['response not an object', '{"stat":"OK","response":"allow"}'],
  ])('a 200 with %s is a terminal invalid_response', (_name, body) => {
    expect(caught(() => readEnvelope(reply(200, body)))).toMatchObject({
      kind: 'protocol',
      code: 'invalid_response',
      retryable: false,
    });
  });

  it('keeps control characters out of messages', () => {
    const error = caught(() => readEnvelope(reply(400, fail(40002, 'bad\r\nX-Injected: 1'))));
    expect(error.message).not.toMatch(/[\r\n]/);
  });
});

describe('Duo answers: the three response shapes', () => {
  it('preauth counts only devices that can receive a push', () => {
    expect(
      parsePreauth({
        result: 'auth',
        status_msg: 'Account is active',
        devices: [
          { device: 'D1', capabilities: ['sms', 'phone'] },
          { device: 'D2', capabilities: ['auto', 'push'] },
        ],
      }),
    ).toEqual({ result: 'auth', statusMsg: 'Account is active', pushDevices: 1 });
    expect(parsePreauth({ result: 'enroll' })).toEqual({ result: 'enroll', statusMsg: '', pushDevices: 0 });
  });

  it('auth_status keeps result, status and status_msg', () => {
    expect(
      parseAuthStatus({ result: 'waiting', status: 'pushed', status_msg: 'Pushed a login request' }),
    ).toEqual({ result: 'waiting', status: 'pushed', statusMsg: 'Pushed a login request' });
  });

  it.each([
    ['an unknown result', { result: 'approve', status: 'allow' }],
    ['a missing status', { result: 'allow' }],
    ['a status with odd characters', { result: 'allow', status: 'allow me' }],
    ['a non-text status_msg', { result: 'allow', status: 'allow', status_msg: 3 }],
  ])('auth_status with %s is refused, never approved', (_name, response) => {
    expect(caught(() => parseAuthStatus(response))).toMatchObject({ code: 'invalid_response' });
  });

  it('auth refuses a missing or malformed txid', () => {
    expect(parseAuth({ txid: '45f7c92b-f45f-4862-8545-e0f58e78075a' }).txid).toBe(
      '45f7c92b-f45f-4862-8545-e0f58e78075a',
    );
    for (const txid of [undefined, 42, '', 'a/b/c/d/e/f', 'x'.repeat(65)]) {
      expect(caught(() => parseAuth({ txid }))).toMatchObject({ code: 'invalid_response' });
    }
  });

  it('any JSON at all: each parser returns a well-typed answer or throws invalid_response', () => {
    const fields = fc.oneof(
      fc.constantFrom('auth', 'allow', 'deny', 'enroll', 'waiting', 'pushed', 'fraud', 'timeout'),
      fc.jsonValue(),
    );
    const response = fc.dictionary(
      fc.constantFrom('result', 'status', 'status_msg', 'devices', 'txid', 'capabilities', 'other'),
      fc.oneof(fields, fc.array(fc.record({ capabilities: fc.oneof(fc.array(fields), fields) }))),
    );
    fc.assert(
      fc.property(response, (value) => {
        for (const parse of [parsePreauth, parseAuth, parseAuthStatus]) {
          try {
            const answer = parse(value);
            if ('result' in answer) expect(value['result']).toBe(answer.result);
            if ('txid' in answer) expect(answer.txid).toMatch(/^[0-9A-Za-z-]{8,64}$/);
          } catch (error) {
            expect(error).toBeInstanceOf(PushError);
            expect((error as PushError).code).toBe('invalid_response');
          }
        }
      }),
    );
  });

  it('any body and status: readEnvelope returns an object or throws a PushError, never anything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, body) => {
        try {
          const inner = readEnvelope(reply(status, body));
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(300);
          expect(typeof inner).toBe('object');
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
          const retryable = status === 429 || status >= 500;
          expect((error as PushError).retryable).toBe(retryable);
        }
      }),
    );
  });
});

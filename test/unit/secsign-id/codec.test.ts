import fc from 'fast-check';
import { PushError } from '../../../lib/errors';
import {
  encodeRequestAuthSession,
  encodeSessionRequest,
  isAuthSessionId,
  parseResponse,
  phpUrlEncode,
  requireField,
  throwIfError,
  AUTH_SESSION_ID_PATTERN,
} from '../../../lib/providers/secsign-id/codec';

const session = {
  secsignid: 'alice',
  authsessionid: '-8337412603900330717',
  requestid: 'F2C5F138E72008AD0ABCC2E83ACCD7B71B415FF58DA35DEAA5AA79D83B939246',
};

/** Base64 with every character the server leaves raw: `+`, `/` and `==` padding. */
const ICON =
  'iVBORw0KGgoAAAANSUhEUgAAAFgAAABYCAYAAABxlTA0AAAAGXRFWHRTb2Z0d2FyZQBBZG9iZSBJbWFnZVJlYWR5ccllPAAAB1BJ+/9==';

function caught(fn: () => unknown): PushError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected a PushError');
}

describe('request encoding', () => {
  it('writes ReqRequestAuthSession in the PHP parameter order with PHP (RFC 1738) escaping', () => {
    const body = encodeRequestAuthSession({
      apiMethod: 'SecSignIDApi_Node.js',
      secsignid: 'alice@example.com',
      serviceName: "Joe's Shop (EU) ~ café",
      serviceAddress: 'https://shop.example/login?x=1&y=2',
    });
    expect(body).toBe(
      'apimethod=SecSignIDApi_Node.js&request=ReqRequestAuthSession&secsignid=alice%40example.com' +
        '&servicename=Joe%27s+Shop+%28EU%29+%7E+caf%C3%A9' +
        '&serviceaddress=https%3A%2F%2Fshop.example%2Flogin%3Fx%3D1%26y%3D2',
    );
  });

  it('appends pluginname and showaccesspass only when set, in that order', () => {
    const base = { apiMethod: 'm', secsignid: 'a', serviceName: 's', serviceAddress: 'h' };
    expect(encodeRequestAuthSession(base)).not.toMatch(/pluginname|showaccesspass/);
    expect(encodeRequestAuthSession({ ...base, pluginName: 'my app', showAccessPass: false })).toBe(
      'apimethod=m&request=ReqRequestAuthSession&secsignid=a&servicename=s&serviceaddress=h' +
        '&pluginname=my+app&showaccesspass=false',
    );
    expect(encodeRequestAuthSession({ ...base, showAccessPass: true })).toMatch(/&showaccesspass=true$/);
  });

  it('writes state and cancel requests as apimethod, secsignid, authsessionid, requestid, request', () => {
    expect(encodeSessionRequest('ReqGetAuthSessionState', 'SecSignIDApi_Node.js', session)).toBe(
      `apimethod=SecSignIDApi_Node.js&secsignid=alice&authsessionid=-8337412603900330717` +
        `&requestid=${session.requestid}&request=ReqGetAuthSessionState`,
    );
    expect(encodeSessionRequest('ReqCancelAuthSession', 'x', session)).toMatch(
      /&request=ReqCancelAuthSession$/,
    );
  });

  it('round-trips any text through a standard form decoder (what the server does)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (name, address) => {
        const body = encodeRequestAuthSession({
          apiMethod: 'm',
          secsignid: 'a',
          serviceName: name,
          serviceAddress: address,
        });
        const form = new URLSearchParams(body);
        expect(form.get('servicename')).toBe(name);
        expect(form.get('serviceaddress')).toBe(address);
        expect(body).toMatch(/^[A-Za-z0-9_.+%=&-]*$/);
      }),
    );
  });

  it('refuses broken Unicode with an input error instead of a URIError', () => {
    expect(caught(() => phpUrlEncode('\ud800')).kind).toBe('input');
  });
});

describe('response parsing', () => {
  it('reads the sample answer from SecSign’s Node example', () => {
    const fields = parseResponse(
      'authsessionid=-429097454724893700&servicename=Node.js test&secsignid=titus&authsessionstate=1' +
        '&serviceaddress=localhost&requestid=ADDE6E13ECD78B371F474E53003B1B6C4E55F5384BEF5C041530E66E2A609F98',
    );
    expect(Object.fromEntries(fields)).toEqual({
      authsessionid: '-429097454724893700',
      servicename: 'Node.js test',
      secsignid: 'titus',
      authsessionstate: '1',
      serviceaddress: 'localhost',
      requestid: 'ADDE6E13ECD78B371F474E53003B1B6C4E55F5384BEF5C041530E66E2A609F98',
    });
  });

  it('splits on the first = only, so values keep their own =', () => {
    expect(parseResponse('a=b=c&d==').get('a')).toBe('b=c');
    expect(parseResponse('a=b=c&d==').get('d')).toBe('=');
  });

  it('keeps base64 exactly: +, / and == padding are not decoded', () => {
    const fields = parseResponse(`authsessionicondata=${ICON}&x=%2B`);
    expect(fields.get('authsessionicondata')).toBe(ICON);
    expect(fields.get('x')).toBe('%2B');
  });

  it('ignores empty pairs, a trailing & and pairs without =', () => {
    expect(Object.fromEntries(parseResponse('&a=1&&junk&b=&c=3&'))).toEqual({ a: '1', b: '', c: '3' });
    expect(parseResponse('').size).toBe(0);
    expect(parseResponse('&&&').size).toBe(0);
  });

  it('trims keys and values as the JS and Node clients do (a trailing newline is harmless)', () => {
    expect(Object.fromEntries(parseResponse(' a = 1 &b=2\r\n'))).toEqual({ a: '1', b: '2' });
  });

  it('refuses a repeated field instead of picking one copy', () => {
    const error = caught(() => parseResponse('authsessionstate=1&authsessionstate=3'));
    expect(error.kind).toBe('protocol');
    expect(error.code).toBe('invalid_response');
  });

  it('round-trips raw key=value bodies as the server writes them', () => {
    const key = fc.stringMatching(/^[a-z]{1,12}$/);
    const value = fc.string({ unit: 'grapheme' }).map((s) => s.replace(/&/g, '').trim());
    fc.assert(
      fc.property(fc.dictionary(key, value), (record) => {
        const body = Object.entries(record)
          .map(([k, v]) => `${k}=${v}`)
          .join('&');
        expect(Object.fromEntries(parseResponse(body))).toEqual(record);
      }),
    );
  });

  it('never throws anything but a protocol PushError, whatever the body', () => {
    const bodies = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc
        .array(fc.constantFrom('&', '=', 'error', 'errormsg', 'a', ' ', '%', '\u0000', '__proto__'), {
          maxLength: 40,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          parseResponse(body);
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
          expect((error as PushError).kind).toBe('protocol');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('error answers', () => {
  it('turns the unknown-ID answer into a non-retryable provider error carrying its values', () => {
    const error = caught(() =>
      throwIfError(
        parseResponse('error=500&errormsg=A SecSign ID does not exist with that name.&errorcode=20000'),
      ),
    );
    expect(error.kind).toBe('input');
    expect(error.code).toBe('unknown_user');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({
      error: '500',
      errormsg: 'A SecSign ID does not exist with that name.',
      errorcode: '20000',
      providerCode: '20000',
    });
    expect(error.message).toContain('does not exist');
  });

  it('treats a server-side system error as retryable and a bad request as final', () => {
    const system = caught(() => throwIfError(parseResponse('error=500&errormsg=System error')));
    expect(system.retryable).toBe(true);
    expect(system.code).toBe('provider_error');
    expect(system.details['providerCode']).toBe('500');
    expect(caught(() => throwIfError(parseResponse('error=500&errormsg=x&errorcode=10001'))).retryable).toBe(
      true,
    );
    expect(
      caught(() => throwIfError(parseResponse('error=500&errormsg=frozen&errorcode=20006'))).retryable,
    ).toBe(false);
    expect(caught(() => throwIfError(parseResponse('error=400&errormsg=no session'))).retryable).toBe(false);
  });

  it('still fails on an error field without a message, and strips control characters', () => {
    expect(caught(() => throwIfError(parseResponse('error='))).kind).toBe('provider');
    expect(caught(() => throwIfError(parseResponse('error=500&errormsg=a\u0007b'))).details['errormsg']).toBe(
      'a b',
    );
  });

  it('passes answers without an error field', () => {
    expect(() => throwIfError(parseResponse('authsessionstate=1'))).not.toThrow();
  });
});

describe('field formats', () => {
  it('accepts exactly the signed 64-bit decimals as authsessionid', () => {
    for (const ok of [
      '0',
      '6821477223339041056',
      '-8337412603900330717',
      '9223372036854775807',
      '-9223372036854775808',
    ]) {
      expect(isAuthSessionId(ok)).toBe(true);
    }
    for (const bad of [
      '',
      '-',
      '-0',
      '01',
      '9223372036854775808',
      '-9223372036854775809',
      '1e5',
      ' 1',
      '+1',
      '0x1',
    ]) {
      expect(isAuthSessionId(bad)).toBe(false);
    }
  });

  it('reports missing and malformed fields as protocol errors', () => {
    expect(
      caught(() => requireField(parseResponse('a=1'), 'authsessionid', AUTH_SESSION_ID_PATTERN)).code,
    ).toBe('invalid_response');
    expect(
      caught(() => requireField(parseResponse('authsessionid='), 'authsessionid', AUTH_SESSION_ID_PATTERN))
        .code,
    ).toBe('invalid_response');
    expect(
      caught(() =>
        requireField(parseResponse('authsessionid=%2D1'), 'authsessionid', AUTH_SESSION_ID_PATTERN),
      ).code,
    ).toBe('invalid_response');
  });
});

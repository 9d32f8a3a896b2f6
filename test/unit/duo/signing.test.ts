import fc from 'fast-check';
import * as vendor from '@duosecurity/duo_api/lib/duo_sig';
import {
  authorizationHeader,
  canonicalParams,
  canonicalRequest,
  duoSignature,
  type DuoRequestToSign,
} from '../../../lib/providers/duo/signing';

// The known vector from the vendor's own test suite (duo_api_nodejs tests/duo_sig.js, "V2 signature").
const VECTOR: DuoRequestToSign = {
  date: 'Tue, 21 Aug 2012 17:29:18 -0000',
  method: 'POST',
  host: 'test.duosecurity.com',
  path: '/test/v1',
  params: { realname: 'First Last', username: 'root' },
};
const VECTOR_HEADER =
  'Basic dGVzdF9pa2V5OjA0MmEzMGM2ODJiZDgzNmZjNWJhNDY3ODkxYTk1NmVhYTEwMDkxY2EwZjczYTdmYjM5NmFlZmQ1NmEzNTI5ZTU2OTMyZGVhNDI3YTY3MjEzYWY2NjRiYTY4NDE2ODlmZjIzMzZiN2EzNzM3NjZlYTVhYjdhYjlmZTI2MzgyMjZi';

const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const params = fc.dictionary(text, text, { maxKeys: 6 });
const request = fc.record({
  date: fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
  host: fc.constantFrom('api-1234abcd.duosecurity.com', 'API-XYZ.DuoSecurity.com', '127.0.0.1:8443'),
  path: fc.constantFrom('/auth/v2/preauth', '/auth/v2/auth', '/auth/v2/auth_status'),
  params,
});

describe('Duo request signing', () => {
  it('matches the vendor test suite known vector', () => {
    expect(authorizationHeader('test_ikey', 'test_skey', VECTOR)).toBe(VECTOR_HEADER);
  });

  it("canonicalises sorted, RFC 3986-encoded parameters (common prefix first, !'()* escaped)", () => {
    expect(canonicalParams({ foo_bar: '2', foo: '1', z: "a b!'()*~" })).toBe(
      'foo=1&foo_bar=2&z=a%20b%21%27%28%29%2A~',
    );
    expect(canonicalParams({})).toBe('');
  });

  it('writes the five canonical lines with the method upper- and the host lowercased', () => {
    expect(canonicalRequest({ ...VECTOR, host: 'Test.DuoSecurity.com' })).toBe(
      'Tue, 21 Aug 2012 17:29:18 -0000\nPOST\ntest.duosecurity.com\n/test/v1\nrealname=First%20Last&username=root',
    );
  });

  it('is byte-equal with the vendor client for any parameters, host, path and date', () => {
    fc.assert(
      fc.property(request, (r) => {
        expect(canonicalParams(r.params)).toBe(vendor._canonParams(r.params));
        expect(canonicalRequest(r)).toBe(vendor._canonicalize(r.method, r.host, r.path, r.params, r.date));
        expect(authorizationHeader('DIABCDEFGHIJKLMNOPQR', 'secret', r)).toBe(
          vendor.sign('DIABCDEFGHIJKLMNOPQR', 'secret', r.method, r.host, r.path, r.params, r.date),
        );
      }),
    );
  });

  it('changes with every signed part, so the server notices any tampering', () => {
    const base = duoSignature('s', VECTOR);
    expect(duoSignature('t', VECTOR)).not.toBe(base);
    expect(duoSignature('s', { ...VECTOR, date: 'Tue, 21 Aug 2012 17:29:19 -0000' })).not.toBe(base);
    expect(duoSignature('s', { ...VECTOR, method: 'GET' })).not.toBe(base);
    expect(duoSignature('s', { ...VECTOR, host: 'other.duosecurity.com' })).not.toBe(base);
    expect(duoSignature('s', { ...VECTOR, path: '/test/v2' })).not.toBe(base);
    expect(duoSignature('s', { ...VECTOR, params: { realname: 'First Last', username: 'roo' } })).not.toBe(
      base,
    );
  });
});

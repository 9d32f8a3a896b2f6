import { PushError } from '../../../lib/errors';
import { rspCodeError } from '../../../lib/providers/authentiq8/errors';
import { RSP_CODES, isRspCode, rspCodeInfo, type RspCode } from '../../../lib/providers/authentiq8/rsp-codes';

const codes = Object.keys(RSP_CODES) as RspCode[];

describe('Authentiq8 rsp_code table', () => {
  it('holds exactly 0000, 1001–1060 and 9997–9999', () => {
    const expected = [
      '0000',
      ...Array.from({ length: 60 }, (_, i) => String(1001 + i)),
      '9997',
      '9998',
      '9999',
    ];
    expect(codes.sort()).toEqual(expected.sort());
  });

  it.each([
    ['0000', 'Response ok'],
    ['1004', 'Error auth failure'],
    ['1009', 'Error too early'],
    ['1036', 'Error auth rejected'],
    ['1044', 'Error user not found'],
    ['1050', 'Error no connected devices'],
    ['1051', 'Error insufficient credit'],
    ['1053', 'Error email alreadyverified'],
    ['1060', 'Error auth rejected login'],
    ['9997', 'Error system error'],
    ['9998', 'Error security validation error'],
    ['9999', 'Error general validation error'],
  ])('%s is "%s" as in the guide', (code, description) => {
    expect(rspCodeInfo(code).description).toBe(description);
  });

  it('only 9997 (system error) and 1009 (too early) are retryable; 9998/9999 are validation errors', () => {
    const retryable = codes.filter((code) => rspCodeInfo(code).retryable);
    expect(retryable.sort()).toEqual(['1009', '9997']);
  });

  it('reads poll codes as states: pending waits, rejections deny, timeouts expire', () => {
    expect(rspCodeInfo('1009').checkState).toBeUndefined();
    expect(rspCodeInfo('1010').checkState).toBeUndefined();
    expect(rspCodeInfo('1056').checkState).toBe('pending');
    expect(rspCodeInfo('1036').checkState).toBe('denied');
    expect(rspCodeInfo('1060').checkState).toBe('denied');
    expect(rspCodeInfo('1043').checkState).toBe('expired');
    expect(rspCodeInfo('1020').checkState).toBe('expired');
    expect(rspCodeInfo('1046').checkState).toBe('suspended');
    expect(rspCodeInfo('1044').checkState).toBe('invalid');
    // Nothing maps to approval, and configuration/system faults are not states.
    expect(codes.map((code) => rspCodeInfo(code).checkState)).not.toContain('approved');
    for (const code of ['0000', '1004', '1051', '9997', '9998', '9999']) {
      expect(rspCodeInfo(code).checkState).toBeUndefined();
    }
  });

  it('treats codes outside the guide as unknown and terminal', () => {
    expect(isRspCode('1061')).toBe(false);
    expect(rspCodeInfo('1061')).toEqual({ description: 'Unknown response code "1061"', retryable: false });
  });

  it('makes typed PushErrors: provider kind, the code, retryable only for 999x, clear words', () => {
    const noDevice = rspCodeError('1050', 'authenticate');
    expect(noDevice).toBeInstanceOf(PushError);
    expect(noDevice).toMatchObject({ kind: 'input', code: 'no_device', retryable: false });
    expect(noDevice.message).toMatch(/no connected devices/);
    expect(noDevice.details).toEqual({ providerCode: '1050', txnType: 'authenticate' });
    expect(rspCodeError('1004', 'ping').message).toMatch(/public key registered.*matches privateKey/);
    expect(rspCodeError('9997', 'ping')).toMatchObject({ retryable: true, code: 'provider_error' });
    expect(rspCodeError('1027', 'ping').message).toBe(
      'Authentiq8 ping failed: Error downloads suspended. (rsp_code 1027)',
    );
  });
});

import {
  BANKID_MESSAGES,
  FAILURE_HINTS,
  PENDING_HINTS,
  bankIdMessage,
  type BankIdMessageKey,
} from '../../../lib/providers/bankid';

describe('BankID user messages', () => {
  it('every key has English and Swedish text', () => {
    for (const [key, text] of Object.entries(BANKID_MESSAGES)) {
      expect(key).toMatch(/^bankid\.(?:rfa\.\d+[ab]?|hint\.[A-Za-z]+)$/);
      expect(text.en.length).toBeGreaterThan(5);
      expect(text.sv.length).toBeGreaterThan(5);
      expect(text.sv).not.toBe(text.en);
    }
  });

  it('every hint code maps to a key in the table', () => {
    for (const { key } of [...Object.values(PENDING_HINTS), ...Object.values(FAILURE_HINTS)]) {
      expect(Object.keys(BANKID_MESSAGES)).toContain(key);
    }
  });

  it('covers the hint codes of the RP API v6 documentation', () => {
    expect(Object.keys(PENDING_HINTS).sort()).toEqual(
      ['noClient', 'outstandingTransaction', 'started', 'userCallConfirm', 'userMrtd', 'userSign'].sort(),
    );
    expect(Object.keys(FAILURE_HINTS)).toEqual(
      expect.arrayContaining([
        'expiredTransaction',
        'certificateErr',
        'userCancel',
        'cancelled',
        'startFailed',
        'userDeclinedCall',
      ]),
    );
  });

  it('a message carries its key and the English text as fallback', () => {
    const key: BankIdMessageKey = 'bankid.rfa.9';
    expect(bankIdMessage(key)).toEqual({ key, text: BANKID_MESSAGES[key].en });
  });
});

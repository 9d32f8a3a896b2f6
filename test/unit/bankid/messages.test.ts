import { FAILURE_HINTS, PENDING_HINTS, bankIdMessage, bankIdTexts } from '../../../lib/providers/bankid';
import { UNKNOWN_FAILURE, UNKNOWN_PENDING } from '../../../lib/providers/bankid/messages';

describe('BankID user messages', () => {
  it('every hint code, known or not, sends a key its texts have', () => {
    const sent = [
      ...Object.values(PENDING_HINTS),
      ...Object.values(FAILURE_HINTS),
      UNKNOWN_PENDING,
      UNKNOWN_FAILURE,
    ];
    for (const { key } of sent) expect(Object.keys(bankIdTexts.en)).toContain(key);
  });

  it('its keys are the guidelines’ RFA numbers, or hint codes that have none, and the wait page instruction', () => {
    for (const key of Object.keys(bankIdTexts.en)) {
      expect(key).toMatch(/^bankid\.(?:rfa\.\d+[ab]?|hint\.[A-Za-z]+|instruction)$/);
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

  it('a message carries its key and the English text of the one table as fallback', () => {
    expect(bankIdMessage('bankid.rfa.9')).toEqual({
      key: 'bankid.rfa.9',
      text: bankIdTexts.en['bankid.rfa.9'],
    });
  });
});

import fc from 'fast-check';
import { normalisePersonalNumber } from '../../../lib/providers/bankid';

describe('Swedish personal numbers', () => {
  it.each([
    ['198512249874', '198512249874'],
    ['19851224-9874', '198512249874'],
    [' 196408233234 ', '196408233234'],
    ['197003724569', '197003724569'], // samordningsnummer: day + 60
  ])('%s → %s', (typed, sent) => {
    expect(normalisePersonalNumber(typed)).toBe(sent);
  });

  it.each(['198512249875', '8512249874', '19851324-9874', '198512009874', 'abc', '', '1985122498741'])(
    'refuses %j without quoting it',
    (typed) => {
      const error = (() => {
        try {
          normalisePersonalNumber(typed);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toMatchObject({ kind: 'input', code: 'invalid_user_id' });
      if (typed !== '') expect((error as Error).message).not.toContain(typed.trim());
    },
  );

  it('any input either yields 12 digits or an input error', () => {
    fc.assert(
      fc.property(fc.string(), (typed) => {
        try {
          expect(normalisePersonalNumber(typed)).toMatch(/^\d{12}$/);
        } catch (error) {
          expect(error).toMatchObject({ kind: 'input', code: 'invalid_user_id' });
        }
      }),
    );
  });
});

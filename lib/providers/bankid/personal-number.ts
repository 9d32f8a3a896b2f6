/**
 * Swedish personal numbers (personnummer, and samordningsnummer with day + 60) as BankID takes
 * them: 12 digits, YYYYMMDDNNNN. The value is personal data: it is checked and passed on, never
 * quoted in an error, a log line or the challenge handle.
 */
import { PushError } from '../../errors';

const FORMAT = /^(\d{8})-?(\d{4})$/;

/** Luhn over the last ten digits, as the Swedish tax agency defines the check digit. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i += 1) {
    let digit = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** `YYYYMMDDNNNN` from `YYYYMMDDNNNN` or `YYYYMMDD-NNNN`; anything else is an input error. */
export function normalisePersonalNumber(value: string): string {
  const match = FORMAT.exec(value.trim());
  const digits = match === null ? '' : `${match[1]}${match[2]}`;
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  // Samordningsnummer add 60 to the day.
  const dayOk = (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
  if (digits === '' || month < 1 || month > 12 || !dayOk || !luhnValid(digits.slice(2))) {
    throw new PushError(
      'input',
      'The personal number must be 12 digits (YYYYMMDDNNNN) with a valid check digit.',
      {
        code: 'invalid_user_id',
      },
    );
  }
  return digits;
}

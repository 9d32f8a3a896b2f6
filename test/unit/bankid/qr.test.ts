import { launchUrl, qrAuthCode, qrData, qrSeconds } from '../../../lib/providers/bankid';

// The worked example in BankID's QR code documentation.
const TOKEN = '67df3917-fa0d-44e5-b327-edcc928297f8';
const SECRET = 'd28db9a7-4cde-429e-a983-359be676944c';

describe('BankID animated QR code', () => {
  it.each([
    [0, 'dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8'],
    [1, '949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2'],
    [2, 'a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3'],
  ])('second %i has the documented qrAuthCode', (seconds, code) => {
    expect(qrAuthCode(SECRET, seconds)).toBe(code);
  });

  it('builds bankid.<token>.<seconds>.<code> from the order start, a new frame each whole second', () => {
    const start = 1_700_000_000_000;
    expect(qrData(TOKEN, SECRET, start, start + 999)).toBe(
      `bankid.${TOKEN}.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8`,
    );
    expect(qrData(TOKEN, SECRET, start, start + 1000)).toBe(
      `bankid.${TOKEN}.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2`,
    );
  });

  it('a clock that steps back shows frame 0, never a negative second', () => {
    expect(qrSeconds(10_000, 4_000)).toBe(0);
  });

  it('the launch link carries the autostart token and redirect=null', () => {
    expect(launchUrl('7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6')).toBe(
      'bankid:///?autostarttoken=7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6&redirect=null',
    );
  });
});

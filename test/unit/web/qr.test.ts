/** The QR codes the library draws (BankID's animated QR, Authentiq8's enrolment link) scan back to their text. */
import { qrSvgDataUrl } from '../../../lib/qr';
import { decodeQrDataUrl } from '../../helpers/qr-decode';

describe('qrSvgDataUrl', () => {
  test.each([
    [
      'a BankID animated QR frame',
      'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8',
    ],
    ['an Authentiq8 link', 'authentiq8me://link?code=abc'],
    ['text beyond ASCII, as UTF-8', 'Anmälan för Åsa, ½ € 漢字'],
  ])('%s scans back to exactly its text', (_name, text) => {
    const url = qrSvgDataUrl(text);
    expect(url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(decodeQrDataUrl(url)).toBe(text);
  });

  test('has a quiet zone of four modules on every side and draws at the width asked for', () => {
    const svg = Buffer.from(qrSvgDataUrl('x', 256).split(',')[1] ?? '', 'base64').toString();
    const size = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
    expect(size).toBe(21 + 8); // version 1
    expect(svg).toContain('width="256" height="256"');
    const xs = [...svg.matchAll(/M(\d+) (\d+)h/g)].flatMap(([, x, y]) => [Number(x), Number(y)]);
    expect(Math.min(...xs)).toBe(4);
    expect(Math.max(...xs)).toBe(size - 5);
  });
});

import QRCode from 'qrcode';
import { PushError } from '../../../lib/errors';
import { DEFAULT_QR_WIDTH, qrToDataUrl } from '../../../lib/providers/authentiq8/qr-image';

const PREFIX = 'data:image/png;base64,';
/** Small: PNG encoding is slow under jest's VM. */
const WIDTH = 120;
const options = { errorCorrectionLevel: 'M', margin: 2, width: WIDTH } as const;

/** Width from the PNG's IHDR chunk. */
function pngWidth(dataUrl: string): number {
  return Buffer.from(dataUrl.slice(PREFIX.length), 'base64').readUInt32BE(16);
}

describe('Authentiq8 enrolment QR image', () => {
  it('renders a payload as a PNG QR code of exactly that text', async () => {
    const payload = 'authentiq8me://link?code=abc';
    const url = await qrToDataUrl({ image: undefined, payload, expiresInS: undefined }, WIDTH);
    expect(url.startsWith(PREFIX)).toBe(true);
    expect(url).toBe(await QRCode.toDataURL(payload, options));
    expect(pngWidth(url)).toBe(WIDTH);
    expect(DEFAULT_QR_WIDTH).toBe(256);
  });

  it('passes an API PNG through, as data URL or bare base64', async () => {
    const png = await QRCode.toDataURL('x');
    expect(await qrToDataUrl({ image: png, payload: undefined, expiresInS: undefined })).toBe(png);
    const bare = png.slice(PREFIX.length);
    expect(await qrToDataUrl({ image: bare, payload: undefined, expiresInS: undefined })).toBe(png);
  });

  it('encodes an image field that holds a URL instead of a PNG', async () => {
    const url = 'https://authentiq8.me/link/abc';
    expect(await qrToDataUrl({ image: url, payload: undefined, expiresInS: undefined }, WIDTH)).toBe(
      await QRCode.toDataURL(url, options),
    );
  });

  it('refuses a data URL that is not a PNG, and text too long for a QR code', async () => {
    const notPng = PREFIX + Buffer.from('GIF89a not a png').toString('base64');
    await expect(
      qrToDataUrl({ image: notPng, payload: undefined, expiresInS: undefined }),
    ).rejects.toBeInstanceOf(PushError);
    await expect(
      qrToDataUrl({ image: undefined, payload: 'x'.repeat(3000), expiresInS: undefined }),
    ).rejects.toMatchObject({ kind: 'protocol' });
  });
});

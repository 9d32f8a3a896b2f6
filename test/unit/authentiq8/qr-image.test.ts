import { PNG } from 'pngjs';
import { PushError } from '../../../lib/errors';
import { DEFAULT_QR_WIDTH, qrToDataUrl } from '../../../lib/providers/authentiq8/qr-image';
import { decodeQrDataUrl } from '../../helpers/qr-decode';

const PNG_PREFIX = 'data:image/png;base64,';
const SVG_PREFIX = 'data:image/svg+xml;base64,';
const WIDTH = 120;

/** A PNG as the API might send it (any picture: the provider only passes it through). */
const apiPng = () => PNG_PREFIX + PNG.sync.write(new PNG({ width: 2, height: 2 })).toString('base64');

describe('Authentiq8 enrolment QR image', () => {
  it('renders a payload as a QR code of exactly that text, at the width asked for', async () => {
    const payload = 'authentiq8me://link?code=abc';
    const url = await qrToDataUrl({ image: undefined, payload, expiresInS: undefined }, WIDTH);
    expect(url.startsWith(SVG_PREFIX)).toBe(true);
    expect(decodeQrDataUrl(url)).toBe(payload);
    expect(Buffer.from(url.slice(SVG_PREFIX.length), 'base64').toString()).toContain(
      `width="${WIDTH}" height="${WIDTH}"`,
    );
    expect(DEFAULT_QR_WIDTH).toBe(256);
  });

  it('passes an API PNG through, as data URL or bare base64', async () => {
    const png = apiPng();
    expect(await qrToDataUrl({ image: png, payload: undefined, expiresInS: undefined })).toBe(png);
    const bare = png.slice(PNG_PREFIX.length);
    expect(await qrToDataUrl({ image: bare, payload: undefined, expiresInS: undefined })).toBe(png);
  });

  it('encodes an image field that holds a URL instead of a PNG', async () => {
    const url = 'https://authentiq8.me/link/abc';
    const rendered = await qrToDataUrl({ image: url, payload: undefined, expiresInS: undefined }, WIDTH);
    expect(decodeQrDataUrl(rendered)).toBe(url);
  });

  it('refuses a data URL that is not a PNG, and text too long for a QR code', async () => {
    const notPng = PNG_PREFIX + Buffer.from('GIF89a not a png').toString('base64');
    await expect(
      qrToDataUrl({ image: notPng, payload: undefined, expiresInS: undefined }),
    ).rejects.toBeInstanceOf(PushError);
    await expect(
      qrToDataUrl({ image: undefined, payload: 'x'.repeat(3000), expiresInS: undefined }),
    ).rejects.toMatchObject({ kind: 'protocol' });
    // 1,500 characters, 3,000 UTF-8 bytes: more than a QR code holds.
    await expect(
      qrToDataUrl({ image: undefined, payload: 'é'.repeat(1500), expiresInS: undefined }),
    ).rejects.toMatchObject({ kind: 'protocol' });
  });
});

/**
 * Turns a get-qr-code answer into something an <img> can show: the API's PNG when it sends one,
 * otherwise its text or URL rendered as a QR code with the `qrcode` package.
 */
import QRCode from 'qrcode';
import type { QrAnswer } from './answers';
import { malformed } from './errors';

const DATA_URL_PREFIX = 'data:image/png;base64,';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Longest text we would encode as a QR code (version 40, byte mode, level M holds 2331). */
const MAX_QR_TEXT = 2000;

/** Default edge length of a QR code we render, in pixels. */
export const DEFAULT_QR_WIDTH = 256;

export async function qrToDataUrl(answer: QrAnswer, width = DEFAULT_QR_WIDTH): Promise<string> {
  if (answer.image !== undefined) {
    const png = pngFrom(answer.image);
    if (png) return DATA_URL_PREFIX + png.toString('base64');
    if (answer.image.startsWith('data:')) throw malformed('get-qr-code', 'qr_code is not a PNG');
  }
  // An image field that is not a PNG is read as the text to encode (the API may send a URL there).
  const text = answer.payload ?? answer.image;
  if (text === undefined || text.length > MAX_QR_TEXT) throw malformed('get-qr-code', 'no usable QR content');
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width });
}

/** The PNG bytes in a data URL or bare base64, or undefined when it is not a PNG. */
function pngFrom(value: string): Buffer | undefined {
  const base64 = value.startsWith(DATA_URL_PREFIX) ? value.slice(DATA_URL_PREFIX.length) : value;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC) ? bytes : undefined;
}

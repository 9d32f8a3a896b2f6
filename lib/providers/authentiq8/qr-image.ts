/**
 * Turns a get-qr-code answer into something an <img> can show: the API's PNG when it sends one,
 * otherwise its text or URL rendered as an SVG QR code (the library's one QR renderer).
 */
import { qrSvgDataUrl } from '../../qr';
import type { QrAnswer } from './answers';
import { pngDataUrl } from '../png';
import { malformed } from './errors';

/** Most UTF-8 bytes we would encode as a QR code (version 40, byte mode, level M holds 2331). */
const MAX_QR_TEXT = 2000;

/** Default edge length of a QR code we render, in pixels. */
export const DEFAULT_QR_WIDTH = 256;

export async function qrToDataUrl(answer: QrAnswer, width = DEFAULT_QR_WIDTH): Promise<string> {
  if (answer.image !== undefined) {
    const png = pngDataUrl(answer.image);
    if (png.ok) return png.dataUrl;
    if (answer.image.startsWith('data:')) throw malformed('get-qr-code', 'qr_code is not a PNG');
  }
  // An image field that is not a PNG is read as the text to encode (the API may send a URL there).
  const text = answer.payload ?? answer.image;
  if (text === undefined || Buffer.byteLength(text, 'utf8') > MAX_QR_TEXT)
    throw malformed('get-qr-code', 'no usable QR content');
  return qrSvgDataUrl(text, width);
}

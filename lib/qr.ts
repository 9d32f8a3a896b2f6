/**
 * QR codes drawn on the server as SVG data URLs, so the strict CSP (`img-src data:`) still holds:
 * BankID's animated QR on the wait page and Authentiq8's enrolment link. The encoder is
 * `qrcode-generator` (no dependencies of its own), at error correction level M.
 */
import qrcode from 'qrcode-generator';

/** Modules of quiet zone around the code, as the QR standard asks. */
const QUIET_ZONE = 4;

/** A QR code's modules: `size` on each side, `dark(x, y)` false outside them (the quiet zone). */
export interface QrMatrix {
  readonly size: number;
  dark(x: number, y: number): boolean;
}

/** The QR code of `text`, encoded as UTF-8 bytes at level M; throws when the text does not fit. */
export function qrMatrix(text: string): QrMatrix {
  const code = qrcode(0, 'M');
  // The encoder's default takes one byte per character: hand it the UTF-8 bytes as such characters.
  code.addData(Buffer.from(text, 'utf8').toString('latin1'), 'Byte');
  code.make();
  const size = code.getModuleCount();
  return { size, dark: (x, y) => x >= 0 && y >= 0 && x < size && y < size && code.isDark(y, x) };
}

/**
 * A `data:image/svg+xml;base64,…` QR code for `text` (a provider's URL or token); `width` sets its
 * size in pixels (else the page's CSS does).
 */
export function qrSvgDataUrl(text: string, width?: number): string {
  const code = qrMatrix(text);
  const size = code.size + QUIET_ZONE * 2;
  let path = '';
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (code.dark(x, y)) path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const sized = width === undefined ? '' : ` width="${width}" height="${width}"`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"${sized} viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

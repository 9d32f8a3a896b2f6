/** QR codes drawn on the server as SVG data URLs, so the strict CSP (`img-src data:`) still holds. */
import QRCode from 'qrcode';

/** Modules of quiet zone around the code, as the QR standard asks. */
const QUIET_ZONE = 4;

/** An `data:image/svg+xml;base64,…` QR code for `text` (a provider's URL or token). */
export function qrSvgDataUrl(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size + QUIET_ZONE * 2;
  let path = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(x, y)) path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

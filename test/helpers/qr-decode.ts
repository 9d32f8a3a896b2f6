/**
 * Reads a QR code back from the data URL an <img> would show, as a phone's camera would: the
 * library's SVG (its module path) or a PNG. Tests compare what the code says, never the bytes of
 * one encoder's output.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Pixels per module when an SVG is rasterised: enough for the decoder to find the finder patterns. */
const PIXELS_PER_MODULE = 4;

/** The text a QR data URL (`data:image/svg+xml` or `data:image/png`) encodes, or undefined. */
export function decodeQrDataUrl(dataUrl: string): string | undefined {
  const [header, base64 = ''] = dataUrl.split(',', 2);
  const bytes = Buffer.from(base64, 'base64');
  if (header === 'data:image/png;base64') {
    const png = PNG.sync.read(bytes);
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  }
  if (header === 'data:image/svg+xml;base64') return decodeSvg(bytes.toString('utf8'));
  return undefined;
}

function decodeSvg(svg: string): string | undefined {
  const modules = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  if (!Number.isInteger(modules)) return undefined;
  const side = modules * PIXELS_PER_MODULE;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y] of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < PIXELS_PER_MODULE; dy++) {
      for (let dx = 0; dx < PIXELS_PER_MODULE; dx++) {
        const px = Number(x) * PIXELS_PER_MODULE + dx;
        const py = Number(y) * PIXELS_PER_MODULE + dy;
        rgba.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
      }
    }
  }
  return jsQR(rgba, side, side)?.data;
}

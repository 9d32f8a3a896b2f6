/**
 * The one base64 rule and the one PNG check for images a provider sends (SecSign's access pass,
 * Authentiq8's enrolment QR). Such an image ends up in an `<img>` on our page, so it must be a
 * real PNG: signature, IHDR first with a plausible size, IEND last.
 */

/** Canonical padded base64 (RFC 4648 §4): no whitespace, no URL alphabet, length a multiple of 4. */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IEND_CHUNK = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const MAX_EDGE = 4096;

/** The prefix of every image URL this library puts on a page. */
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** True for non-empty canonical padded base64. */
export function isBase64(value: string): boolean {
  return value.length > 0 && BASE64_PATTERN.test(value);
}

/** Why `bytes` is not a usable PNG, or undefined when it is one. */
export function pngProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 8 + 25 + 12 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'no PNG signature';
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') return 'no IHDR';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width < 1 || height < 1 || width > MAX_EDGE || height > MAX_EDGE) return 'implausible size';
  if (!bytes.subarray(bytes.length - 12).equals(IEND_CHUNK)) return 'truncated';
  return undefined;
}

/**
 * Base64 (bare, or as a PNG data URL) → a PNG data URL, or the reason it is not a PNG.
 */
export function pngDataUrl(value: string): { ok: true; dataUrl: string } | { ok: false; why: string } {
  const base64 = value.startsWith(PNG_DATA_URL_PREFIX) ? value.slice(PNG_DATA_URL_PREFIX.length) : value;
  if (!isBase64(base64)) return { ok: false, why: 'not base64' };
  const problem = pngProblem(Buffer.from(base64, 'base64'));
  return problem === undefined
    ? { ok: true, dataUrl: PNG_DATA_URL_PREFIX + base64 }
    : { ok: false, why: problem };
}

/** Reads an HTTP `Retry-After` header (delta seconds or an HTTP date) as milliseconds from now. */
const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (!Number.isFinite(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  // A hostile or broken header must not park a login for hours.
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * A small `Accept-Language` reader (RFC 9110 §12.5.4): language ranges with q-values, best first.
 * Malformed parts are skipped, never thrown on; the header is the user's, not the app's.
 */

/**
 * One language range from the header, lower-cased, with its weight.
 */
export interface LanguageRange {
  range: string;
  q: number;
}

/** Longest header read; anything past it is ignored (a browser sends well under 200 characters). */
const MAX_HEADER = 1024;
const RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
const WEIGHT = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses the header into ranges with q > 0, highest q first (ties keep the header's order).
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (!header) return [];
  const ranges: LanguageRange[] = [];
  for (const part of header.slice(0, MAX_HEADER).split(',')) {
    const [rawRange, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!rawRange || !RANGE.test(rawRange)) continue;
    let q = 1;
    const weight = params.find((p) => p.startsWith('q='));
    if (weight !== undefined) {
      const match = WEIGHT.exec(weight.replace(/\s+/g, ''));
      if (!match) continue;
      q = Number(match[1]);
    }
    if (q > 0) ranges.push({ range: rawRange, q });
  }
  return ranges
    .map((r, index) => ({ r, index }))
    .sort((a, b) => b.r.q - a.r.q || a.index - b.index)
    .map(({ r }) => r);
}

/**
 * The best of `available` (e.g. `['en', 'de', 'sv']`) for the header, or `fallback`. A range
 * matches a locale when one is a prefix of the other at a `-` boundary (`de-CH` picks `de`).
 *
 * @example
 * ```ts
 * import { pickLocale } from 'passport-push/messages';
 *
 * pickLocale('de-CH,de;q=0.9,en;q=0.8', ['en', 'de', 'sv'], 'en'); // 'de'
 * ```
 */
export function pickLocale(
  header: string | undefined,
  available: readonly string[],
  fallback: string,
): string {
  const lower = available.map((tag) => tag.toLowerCase());
  for (const { range } of parseAcceptLanguage(header)) {
    if (range === '*') return fallback;
    const exact = lower.indexOf(range);
    if (exact >= 0) return available[exact] as string;
    const prefix = lower.findIndex((tag) => range.startsWith(`${tag}-`) || tag.startsWith(`${range}-`));
    if (prefix >= 0) return available[prefix] as string;
  }
  return fallback;
}

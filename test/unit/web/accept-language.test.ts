/** Choosing the page language from Accept-Language (q-values, prefixes, malformed headers). */
import fc from 'fast-check';
import { parseAcceptLanguage, pickLocale } from '../../../lib/web/messages';

const available = ['en', 'de', 'sv'];

test('orders ranges by q-value, keeping the header order for ties', () => {
  expect(parseAcceptLanguage('fr;q=0.5, sv-SE, de;q=0.9, en;q=0.9')).toEqual([
    { range: 'sv-se', q: 1 },
    { range: 'de', q: 0.9 },
    { range: 'en', q: 0.9 },
    { range: 'fr', q: 0.5 },
  ]);
});

test('drops ranges refused with q=0 and skips malformed parts', () => {
  expect(parseAcceptLanguage('de;q=0, sv;q=2, 12, en-US;q=0.8, ;q=1, <script>')).toEqual([
    { range: 'en-us', q: 0.8 },
  ]);
});

test.each([
  ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
  ['de-CH', 'de'],
  ['fr-FR, de;q=0.3', 'de'],
  ['fr', 'en'],
  ['*', 'en'],
  ['de;q=0, sv;q=0.1', 'sv'],
  [undefined, 'en'],
  ['', 'en'],
])('%j → %s', (header, locale) => {
  expect(pickLocale(header, available, 'en')).toBe(locale);
});

test('an app locale with a region is matched by the bare language', () => {
  expect(pickLocale('de', ['en', 'de-AT'], 'en')).toBe('de-AT');
});

test('never throws, and always answers one of the available locales', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (header) => {
      const ranges = parseAcceptLanguage(header);
      for (let i = 1; i < ranges.length; i++) {
        expect((ranges[i - 1] as { q: number }).q).toBeGreaterThanOrEqual((ranges[i] as { q: number }).q);
      }
      for (const r of ranges) expect(r.q > 0 && r.q <= 1).toBe(true);
      expect([...available, 'x']).toContain(pickLocale(header, available, 'x'));
    }),
  );
});

test('a huge header is read only up to its first kilobyte', () => {
  const header = `${'xx;q=0.1,'.repeat(200)}de`;
  expect(pickLocale(header, available, 'en')).toBe('en');
});

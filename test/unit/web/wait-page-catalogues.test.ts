/**
 * The router builds each locale's catalogue once (every JSON poll answers in the request's
 * language): a kept catalogue never answers another language, never loses the app's overrides,
 * and an app's `locale` function that returns any string cannot grow it without bound; nor can
 * browsers, whose `Accept-Language` choice the router remembers.
 */
import type { Request } from 'express';
import { catalogueFor } from '../../../lib/web/messages';
import { waitPages } from '../../../lib/web/wait-page-options';

const asking = (language: string) => ({ get: () => language }) as unknown as Request;

test('each request gets its own language, the first time and every time after', () => {
  const pages = waitPages({ messages: { sv: { 'page.title': 'Logga in på butiken' } } });
  const first = ['de', 'sv', 'en', 'de', 'sv'].map((language) => pages.catalogue(asking(language)));
  const again = ['de', 'sv', 'en', 'de', 'sv'].map((language) => pages.catalogue(asking(language)));
  expect(again).toEqual(first);
  expect(first.map((catalogue) => catalogue['page.title'])).toEqual([
    catalogueFor('de')['page.title'],
    'Logga in på butiken',
    catalogueFor('en')['page.title'],
    catalogueFor('de')['page.title'],
    'Logga in på butiken',
  ]);
});

test('a kept catalogue cannot be changed by one request for the next', () => {
  const pages = waitPages({});
  const kept = pages.catalogue(asking('de'));
  expect(() => {
    (kept as Record<string, string>)['page.title'] = 'changed';
  }).toThrow(TypeError);
  expect(pages.catalogue(asking('de'))['page.title']).toBe(catalogueFor('de')['page.title']);
});

test("an app's locale function returning any tag still answers each correctly", () => {
  const tags = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `de-X${i}` : `sv-X${i}`));
  let next = 0;
  const pages = waitPages({ locale: () => tags[next++ % tags.length] });
  const titles = tags.map(() => pages.catalogue(asking('en'))['page.title']);
  expect(new Set(titles)).toEqual(
    new Set([catalogueFor('de')['page.title'], catalogueFor('sv')['page.title']]),
  );
  expect(titles[198]).toBe(catalogueFor('de')['page.title']);
  expect(titles[199]).toBe(catalogueFor('sv')['page.title']);
});

test('the choice for a header is remembered, yet every header, new or long, still gets its own language', () => {
  const pages = waitPages({});
  const header = (i: number) => (i % 2 === 0 ? `de-CH,de;q=0.9,x-${i}` : `sv-SE,sv;q=0.9,x-${i}`);
  // More distinct headers than the router remembers, each asked twice.
  const titles = Array.from({ length: 600 }, (_, i) => [
    pages.catalogue(asking(header(i)))['page.title'],
    pages.catalogue(asking(header(i)))['page.title'],
  ]);
  titles.forEach(([first, again], i) => {
    const expected = catalogueFor(i % 2 === 0 ? 'de' : 'sv')['page.title'];
    expect([first, again]).toEqual([expected, expected]);
  });
  // A header longer than any remembered one, and none at all.
  const long = `${'x-pad;q=0.1,'.repeat(40)}sv;q=0.9`;
  expect(pages.locale(asking(long))).toBe('sv');
  expect(pages.locale({ get: () => undefined } as unknown as Request)).toBe('en');
  expect(pages.locale(asking('de'))).toBe('de');
});

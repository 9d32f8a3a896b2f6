/** The message catalogue: complete in every language, overridable, and safe to look up. */
import {
  BUILT_IN_CATALOGUES,
  catalogueFor,
  failureText,
  format,
  providerText,
} from '../../../lib/web/messages';
import { en } from '../../../lib/web/messages/en';
import type { ProviderTexts } from '../../../lib/providers/provider';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(Object.keys(BUILT_IN_CATALOGUES))('the %s catalogue', (locale) => {
  const catalogue = BUILT_IN_CATALOGUES[locale] as Record<string, string>;

  test('has every key of the English one, and no others', () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
  });

  test('has a text for every key, with the same placeholders as English', () => {
    for (const [key, text] of Object.entries(en)) {
      expect({ key, text: catalogue[key]?.trim() || undefined }).toEqual({ key, text: expect.any(String) });
      expect({ key, placeholders: placeholders(catalogue[key] ?? '') }).toEqual({
        key,
        placeholders: placeholders(text),
      });
    }
  });
});

/** A provider's texts as any provider declares them (in English, German, and no Swedish). */
const texts: ProviderTexts = {
  en: { 'myid.denied': 'You said no in My ID.', 'error.unknown_user': 'My ID does not know that ID.' },
  de: { 'myid.denied': 'Sie haben in My ID abgelehnt.', 'error.unknown_user': 'My ID kennt diese ID nicht.' },
};

describe("a provider's texts", () => {
  test("go over the neutral catalogue in the page's language, and under the app's overrides", () => {
    expect(catalogueFor('de-CH', {}, texts)['myid.denied']).toBe('Sie haben in My ID abgelehnt.');
    expect(catalogueFor('de', {}, texts)['error.unknown_user']).toBe('My ID kennt diese ID nicht.');
    expect(catalogueFor('de', { de: { 'myid.denied': 'Abgelehnt.' } }, texts)['myid.denied']).toBe(
      'Abgelehnt.',
    );
    expect(catalogueFor('de', {}, texts)['action.cancel']).toBe('Abbrechen');
  });

  test('fall back to their English, but never push a translated neutral text out with it', () => {
    const sv = catalogueFor('sv', {}, texts);
    expect(sv['myid.denied']).toBe('You said no in My ID.');
    expect(sv['error.unknown_user']).toBe(BUILT_IN_CATALOGUES['sv']?.['error.unknown_user']);
    expect(catalogueFor('en', {}, texts)['error.unknown_user']).toBe('My ID does not know that ID.');
  });
});

describe('catalogueFor', () => {
  test('picks the language by its base tag, and English for unknown ones', () => {
    expect(catalogueFor('de-CH')['action.cancel']).toBe('Abbrechen');
    expect(catalogueFor('sv')['action.cancel']).toBe('Avbryt');
    expect(catalogueFor('fi')['action.cancel']).toBe('Cancel');
  });

  test("applies the app's overrides, the exact tag over the base language", () => {
    const overrides = {
      de: { 'page.title': 'Bitte bestätigen' },
      'de-AT': { 'action.cancel': 'Abbruch' },
    };
    expect(catalogueFor('de-AT', overrides)['page.title']).toBe('Bitte bestätigen');
    expect(catalogueFor('de-AT', overrides)['action.cancel']).toBe('Abbruch');
    expect(catalogueFor('de', overrides)['action.cancel']).toBe('Abbrechen');
  });

  test('a language only the app adds falls back to English for what it leaves out', () => {
    const fr = catalogueFor('fr', { fr: { 'action.cancel': 'Annuler' } });
    expect(fr['action.cancel']).toBe('Annuler');
    expect(fr['action.retry']).toBe('Try again');
  });
});

describe('texts for codes', () => {
  const sv = catalogueFor('sv');

  test('the rate-limit text says when to try again once the wait is known', () => {
    expect(failureText(sv, 'rate_limited', { retryAfterSeconds: 42 })).toBe(
      'För många inloggningsförsök. Försök igen om 42 sekunder.',
    );
    expect(failureText(sv, 'rate_limited')).toBe(sv['error.rate_limited']);
  });

  test('states, errors and provider codes have their texts; anything else the generic one', () => {
    expect(failureText(sv, 'denied')).toBe(sv['state.denied']);
    expect(failureText(sv, 'missing_user_id')).toBe(sv['error.missing_user_id']);
    expect(failureText(sv, 'unknown_user')).toBe(sv['error.unknown_user']);
    expect(failureText(catalogueFor('de', {}, texts), 'unknown_user')).toBe('My ID kennt diese ID nicht.');
    expect(failureText(catalogueFor('de', {}, texts), 'denied', { provider: 'myid' })).toBe(
      catalogueFor('de')['state.denied'],
    );
    expect(failureText(sv, 'toString')).toBe(sv['error.generic']);
    expect(failureText(sv, '__proto__')).toBe(sv['error.generic']);
  });

  test("a provider message uses the catalogue's text for a known key, else its own", () => {
    const de = catalogueFor('de', {}, texts);
    expect(providerText(de, { key: 'myid.denied', text: 'You said no in My ID.' })).toBe(
      'Sie haben in My ID abgelehnt.',
    );
    expect(providerText(de, { key: 'myid.new', text: 'Something new' })).toBe('Something new');
    expect(providerText(sv, { key: 'constructor', text: 'fallback' })).toBe('fallback');
  });

  test('format fills known placeholders and leaves the others', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

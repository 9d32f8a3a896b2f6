/** The message catalogue: complete in every language, overridable, and safe to look up. */
import {
  BUILT_IN_CATALOGUES,
  catalogueFor,
  failureText,
  format,
  providerText,
} from '../../../lib/web/messages';
import { en } from '../../../lib/web/messages/en';
import { BANKID_MESSAGES } from '../../../lib/providers/bankid/messages';
import { DUO_AUTH_STATUSES } from '../../../lib/providers/duo/states';

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

test('ships the provider keys the provider engineers use', () => {
  const prefixes = ['secsign.', 'authentiq8.', 'ciba.', 'bankid.hint.', 'bankid.rfa.', 'duo.status.'];
  for (const prefix of prefixes) expect(Object.keys(en).some((k) => k.startsWith(prefix))).toBe(true);
});

test('knows every message key BankID and Duo send, in every language', () => {
  const sent = [
    ...Object.keys(BANKID_MESSAGES),
    ...DUO_AUTH_STATUSES.map((status) => `duo.status.${status}`),
  ];
  for (const [locale, catalogue] of Object.entries(BUILT_IN_CATALOGUES)) {
    const missing = sent.filter((key) => !Object.hasOwn(catalogue, key));
    expect({ locale, missing }).toEqual({ locale, missing: [] });
  }
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
    expect(failureText(sv, '20000', { provider: 'secsign' })).toBe(sv['secsign.20000']);
    expect(failureText(sv, 'toString')).toBe(sv['error.generic']);
    expect(failureText(sv, '__proto__')).toBe(sv['error.generic']);
  });

  test("a provider message uses the catalogue's text for a known key, else its own", () => {
    expect(providerText(sv, { key: 'bankid.rfa.1', text: 'Start your BankID app.' })).toBe(
      'Starta BankID-appen.',
    );
    expect(providerText(sv, { key: 'bankid.rfa.99', text: 'Something new' })).toBe('Something new');
    expect(providerText(sv, { key: 'constructor', text: 'fallback' })).toBe('fallback');
  });

  test('format fills known placeholders and leaves the others', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

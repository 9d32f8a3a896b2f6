/**
 * Every built-in provider owns its texts: each key in every built-in language, with the same
 * placeholders, and a text for every message it sends. The web layer's catalogue stays neutral.
 */
import { authentiq8Texts } from '../../../lib/providers/authentiq8/texts';
import { FAILURE_HINTS, PENDING_HINTS } from '../../../lib/providers/bankid/messages';
import { bankIdTexts } from '../../../lib/providers/bankid/texts';
import { cibaTexts } from '../../../lib/providers/ciba/texts';
import { DUO_AUTH_STATUSES } from '../../../lib/providers/duo/states';
import { duoTexts } from '../../../lib/providers/duo/texts';
import type { ProviderTexts } from '../../../lib/providers/provider';
import { SECSIGN_STATES } from '../../../lib/providers/secsign-id/states';
import { secSignIdTexts } from '../../../lib/providers/secsign-id/texts';
import { BUILT_IN_CATALOGUES } from '../../../lib/web/messages';
import { en as neutral } from '../../../lib/web/messages/en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const providers: Record<string, { prefix: string; texts: ProviderTexts; sent: string[] }> = {
  'SecSign ID': {
    prefix: 'secsign.',
    texts: secSignIdTexts,
    sent: Object.values(SECSIGN_STATES).flatMap((entry) => (entry.message ? [entry.message.key] : [])),
  },
  'Authentiq8 Me': {
    prefix: 'authentiq8.',
    texts: authentiq8Texts,
    sent: ['authentiq8.status.declined', 'authentiq8.status.expired', 'authentiq8.status.cancelled'],
  },
  CIBA: {
    prefix: 'ciba.',
    texts: cibaTexts,
    sent: ['ciba.access_denied', 'ciba.expired_token', 'ciba.invalid_grant', 'ciba.invalid_handle'],
  },
  BankID: {
    prefix: 'bankid.',
    texts: bankIdTexts,
    sent: [...Object.values(PENDING_HINTS), ...Object.values(FAILURE_HINTS)].map(({ key }) => key),
  },
  Duo: { prefix: 'duo.', texts: duoTexts, sent: DUO_AUTH_STATUSES.map((status) => `duo.status.${status}`) },
};

describe.each(Object.entries(providers))('%s', (_name, { prefix, texts, sent }) => {
  test.each(Object.keys(BUILT_IN_CATALOGUES))(
    'has every key in %s, no others, each with the English placeholders',
    (locale) => {
      const table = texts[locale] ?? {};
      expect(Object.keys(table).sort()).toEqual(Object.keys(texts.en).sort());
      for (const [key, text] of Object.entries(texts.en)) {
        expect({ key, text: table[key]?.trim() || undefined }).toEqual({ key, text: expect.any(String) });
        expect({ key, placeholders: placeholders(table[key] ?? '') }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
    },
  );

  test('has a text for every message it sends', () => {
    expect(sent.filter((key) => !Object.hasOwn(texts.en, key))).toEqual([]);
  });

  test('its keys are its own (by prefix) or replace a neutral text that exists', () => {
    const stray = Object.keys(texts.en).filter(
      (key) => !key.startsWith(prefix) && !Object.hasOwn(neutral, key),
    );
    expect(stray).toEqual([]);
  });

  test('names the cause of an unknown ID in its own words (BankID has no unknown ID)', () => {
    if (prefix === 'bankid.') return;
    for (const locale of Object.keys(BUILT_IN_CATALOGUES)) {
      expect(texts[locale]?.['error.unknown_user']).not.toBe(
        BUILT_IN_CATALOGUES[locale]?.['error.unknown_user'],
      );
    }
  });
});

test('the neutral catalogue names no provider', () => {
  for (const catalogue of Object.values(BUILT_IN_CATALOGUES)) {
    const named = Object.entries(catalogue).filter(([key, text]) =>
      /secsign|authentiq|ciba|bankid|duo/i.test(`${key} ${text}`),
    );
    expect(named).toEqual([]);
  }
});

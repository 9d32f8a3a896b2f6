/**
 * The message catalogue: every user-facing string of the wait page, its states and errors, in
 * English, German and Swedish. Apps pick the language per request and may replace any message.
 */
import type { ProviderMessage } from '../../providers/provider';
export type { ProviderMessage };
import { de } from './de';
import { en, type MessageKey } from './en';
import { sv } from './sv';

export type { MessageKey } from './en';
export { parseAcceptLanguage, pickLocale, type LanguageRange } from './accept-language';

/**
 * All messages of one language.
 *
 * @example
 * ```ts
 * import { catalogueFor, type Catalogue } from 'passport-push/messages';
 *
 * const catalogue: Catalogue = catalogueFor('sv');
 * ```
 */
export type Catalogue = Readonly<Record<MessageKey, string>>;

/**
 * An app's replacements: any messages, per locale tag (`{ de: { 'page.title': '…' } }`).
 *
 * @example
 * ```ts
 * import { pushLogin, type MessageOverrides } from 'passport-push';
 *
 * const messages: MessageOverrides = {
 *   en: { 'page.title': 'Approve in your app' },
 *   fr: { 'page.title': 'Approuvez sur votre téléphone' },
 * };
 * pushLogin({ strategy, messages });
 * ```
 */
export type MessageOverrides = Readonly<Record<string, Partial<Record<MessageKey, string>>>>;

/**
 * The languages the library ships.
 *
 * @example
 * ```ts
 * import { BUILT_IN_CATALOGUES } from 'passport-push';
 *
 * Object.keys(BUILT_IN_CATALOGUES); // ['en', 'de', 'sv']
 * ```
 */
export const BUILT_IN_CATALOGUES: Readonly<Record<string, Catalogue>> = { en, de, sv };

/** The language used when nothing else fits. */
export const DEFAULT_LOCALE = 'en';

/** The locales one can ask for: the built-in ones and any the app added in its overrides. */
export function availableLocales(overrides: MessageOverrides = {}): string[] {
  return [...new Set([...Object.keys(BUILT_IN_CATALOGUES), ...Object.keys(overrides)])];
}

/**
 * The complete catalogue for `locale`: the app's overrides over the built-in language over
 * English, so a missing message never shows a key.
 *
 * @example
 * ```ts
 * import { catalogueFor } from 'passport-push/messages';
 *
 * const german = catalogueFor('de', { de: { 'page.title': 'Beim Shop anmelden' } });
 * console.log(german['page.title']);
 * ```
 */
export function catalogueFor(locale: string, overrides: MessageOverrides = {}): Catalogue {
  const base = BUILT_IN_CATALOGUES[baseLanguage(locale)] ?? BUILT_IN_CATALOGUES[DEFAULT_LOCALE];
  return {
    ...en,
    ...base,
    ...definedOnly(overrides[baseLanguage(locale)]),
    ...definedOnly(overrides[locale]),
  };
}

/**
 * Fills `{name}` placeholders; unknown names stay as they are.
 *
 * @example
 * ```ts
 * import { format } from 'passport-push/messages';
 *
 * format('Try again in {seconds} seconds.', { seconds: 30 }); // 'Try again in 30 seconds.'
 * ```
 */
export function format(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * A provider message in the user's language: the catalogue's text for its key, else its own text.
 *
 * @example
 * ```ts
 * import { catalogueFor, providerText } from 'passport-push';
 *
 * providerText(catalogueFor('de'), { key: 'secsign.denied', text: 'The login was denied on the phone.' });
 * ```
 */
export function providerText(catalogue: Catalogue, message: ProviderMessage): string {
  return Object.hasOwn(catalogue, message.key) ? catalogue[message.key as MessageKey] : message.text;
}

/**
 * The text for a failure code or state (`rate_limited`, `denied`, `20000`…), e.g. on the app's
 * login page after `?push=<code>`. `retryAfterSeconds` turns the rate-limit text into "try again in".
 *
 * @example
 * ```ts
 * import { catalogueFor, failureText, pickLocale } from 'passport-push/messages';
 *
 * app.get('/login', (req, res) => {
 *   const lang = pickLocale(req.headers['accept-language'], ['en', 'de', 'sv'], 'en');
 *   const notice =
 *     typeof req.query.push === 'string' ? failureText(catalogueFor(lang), req.query.push) : '';
 *   res.send(`<p>${notice}</p>`); // escape it in a real page
 * });
 * ```
 */
export function failureText(
  catalogue: Catalogue,
  code: string,
  options: { retryAfterSeconds?: number; provider?: string } = {},
): string {
  if (code === 'rate_limited' && options.retryAfterSeconds !== undefined && options.retryAfterSeconds > 0) {
    return format(catalogue['error.rate_limited.after'], { seconds: Math.ceil(options.retryAfterSeconds) });
  }
  const candidates = [
    `error.${code}`,
    `state.${code}`,
    ...(options.provider ? [`${options.provider}.${code}`] : []),
  ];
  const key = candidates.find((k) => Object.hasOwn(catalogue, k));
  return key ? catalogue[key as MessageKey] : catalogue['error.generic'];
}

function baseLanguage(locale: string): string {
  return locale.toLowerCase().split('-')[0] ?? locale;
}

function definedOnly(
  messages: Partial<Record<MessageKey, string>> | undefined,
): Partial<Record<MessageKey, string>> {
  if (!messages) return {};
  return Object.fromEntries(Object.entries(messages).filter(([, v]) => typeof v === 'string'));
}

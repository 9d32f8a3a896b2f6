/**
 * The message catalogue: every provider-neutral string of the wait page, its states and errors, in
 * English, German and Swedish. A provider's own texts go over it, the app's replacements over both;
 * apps pick the language per request.
 */
import type { ProviderMessage, ProviderTexts } from '../../providers/provider';
export type { ProviderMessage, ProviderTexts };
import { de } from './de';
import { en, type MessageKey } from './en';
import { sv } from './sv';

export type { MessageKey } from './en';
export { parseAcceptLanguage, pickLocale, type LanguageRange } from './accept-language';

/**
 * All messages of one language: every neutral key, and the provider's keys when it was given.
 *
 * @example
 * ```ts
 * import { catalogueFor, type Catalogue } from 'passport-push/messages';
 *
 * const catalogue: Catalogue = catalogueFor('sv');
 * ```
 */
export type Catalogue = Readonly<Record<MessageKey, string> & Record<string, string>>;

/**
 * An app's replacements: any messages, per locale tag (`{ de: { 'page.title': '…' } }`). A
 * provider's message is replaced by the key it sends (`'myid.denied'`; each provider's page lists its keys).
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
export type MessageOverrides = Readonly<
  Record<string, Readonly<Partial<Record<MessageKey, string>> & Record<string, string | undefined>>>
>;

/**
 * The languages the library ships.
 */
export const BUILT_IN_CATALOGUES: Readonly<Record<string, Catalogue>> = { en, de, sv };

/** The language used when nothing else fits. */
export const DEFAULT_LOCALE = 'en';

/** The locales one can ask for: the built-in ones and any the app added in its overrides. */
export function availableLocales(overrides: MessageOverrides = {}): string[] {
  return [...new Set([...Object.keys(BUILT_IN_CATALOGUES), ...Object.keys(overrides)])];
}

/**
 * The complete catalogue for `locale`: the app's overrides over the provider's texts over the
 * built-in language, each language over English, so a missing message never shows a key.
 *
 * @example
 * ```ts
 * import { catalogueFor } from 'passport-push/messages';
 *
 * const german = catalogueFor('de', { de: { 'page.title': 'Beim Shop anmelden' } }, provider.texts);
 * console.log(german['page.title']);
 * ```
 */
export function catalogueFor(
  locale: string,
  overrides: MessageOverrides = {},
  texts?: ProviderTexts,
): Catalogue {
  const language = baseLanguage(locale);
  const base = BUILT_IN_CATALOGUES[language] ?? BUILT_IN_CATALOGUES[DEFAULT_LOCALE];
  // English only where nothing in the page's language says it: a provider's English text for a
  // neutral key must not push a translated neutral text out.
  return {
    ...en,
    ...texts?.en,
    ...base,
    ...texts?.[language],
    ...texts?.[locale],
    ...definedOnly(overrides[language]),
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
 */
export function providerText(catalogue: Catalogue, message: ProviderMessage): string {
  return (Object.hasOwn(catalogue, message.key) && catalogue[message.key]) || message.text;
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
  return (key && catalogue[key]) || catalogue['error.generic'];
}

function baseLanguage(locale: string): string {
  return locale.toLowerCase().split('-')[0] ?? locale;
}

function definedOnly(
  messages: Readonly<Record<string, string | undefined>> | undefined,
): Record<string, string> {
  if (!messages) return {};
  return Object.fromEntries(
    Object.entries(messages).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

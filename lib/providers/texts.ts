/**
 * Helpers for a provider's texts: the built-in providers' tables in the library's three languages,
 * and a message built from its texts, so a key and its English fallback never drift.
 */
import type { ProviderMessage, ProviderTexts } from './provider';

/** A table in every language the library ships, each with exactly the English keys. */
export interface BuiltInTexts<Key extends string> extends ProviderTexts {
  /** English: every key, the reference. */
  readonly en: Readonly<Record<Key, string>>;
  /** German: exactly the English keys. */
  readonly de: Readonly<Record<Key, string>>;
  /** Swedish: exactly the English keys. */
  readonly sv: Readonly<Record<Key, string>>;
}

/** Declares a built-in provider's texts: the compiler refuses a language that lacks an English key. */
export function builtInTexts<const Key extends string>(texts: {
  en: Record<Key, string>;
  de: Record<NoInfer<Key>, string>;
  sv: Record<NoInfer<Key>, string>;
}): BuiltInTexts<Key> {
  return texts;
}

/** The display's instruction for `key`: its English text, and the key the wait page translates it by. */
export function instructionOf<Texts extends ProviderTexts>(
  texts: Texts,
  key: keyof Texts['en'] & string,
): { instruction: string; instructionKey: string } {
  return { instruction: texts.en[key] ?? key, instructionKey: key };
}

/** The message for `key`, with the provider's English text as its fallback. */
export function messageOf<Texts extends ProviderTexts>(
  texts: Texts,
  key: keyof Texts['en'] & string,
): ProviderMessage {
  return { key, text: texts.en[key] ?? key };
}

/**
 * An action's wording of a message: the same message under `to` instead of `from` (the key prefix)
 * when the texts have one, else the message as it is. An action's request is no login (OWASP
 * Transaction Authorization 1.4), so a provider's words about a login must not reach its page.
 */
export function actionWording(
  texts: ProviderTexts,
  message: ProviderMessage,
  from: string,
  to: string,
): ProviderMessage {
  if (!message.key.startsWith(from)) return message;
  const key = to + message.key.slice(from.length);
  const text = texts.en[key];
  return text === undefined ? message : { key, text };
}

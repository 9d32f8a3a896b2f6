/** A provider's message built from its own texts, so the key and its English fallback never drift. */
import type { ProviderMessage, ProviderTexts } from './provider';

/** The message for `key`, with the provider's English text as its fallback. */
export function messageOf<Texts extends ProviderTexts>(
  texts: Texts,
  key: keyof Texts['en'] & string,
): ProviderMessage {
  return { key, text: texts.en[key] ?? key };
}

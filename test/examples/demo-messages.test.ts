/** The demo speaks English, German and Swedish: every page text exists, non-empty, in each. */
import { demoMessages } from '../../example-app/demo-messages';

test.each(['de', 'sv'] as const)('%s has every text the English pages use', (lang) => {
  const texts: Readonly<Record<string, string>> = demoMessages[lang];
  expect(Object.keys(texts).sort()).toEqual(Object.keys(demoMessages.en).sort());
  expect(Object.entries(texts).filter(([, text]) => text.trim() === '')).toEqual([]);
});

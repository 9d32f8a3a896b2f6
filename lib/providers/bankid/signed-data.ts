/**
 * Reads what a BankID signature says was signed: `completionData.signature` is a base64 XML
 * signature whose `bankIdSignedData` holds `usrVisibleData` (the shown text, base64) and
 * `usrNonVisibleData` (the hidden data, base64). This only reads them; checking the XML signature
 * against BankID's certificate chain is the app's (the signature is in the approval record).
 */

const MAX_SIGNATURE_LENGTH = 1_000_000;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

/** The signed texts, base64 as in the XML; undefined when the signature holds not exactly one of each. */
export function readSignedData(signature: string): { visible: string; nonVisible: string } | undefined {
  if (signature.length > MAX_SIGNATURE_LENGTH) return undefined;
  const xml = Buffer.from(signature, 'base64').toString('utf8');
  const signedData = only(xml, /<(?:\w+:)?bankIdSignedData\b[^>]*>([\s\S]*?)<\/(?:\w+:)?bankIdSignedData>/g);
  if (signedData === undefined) return undefined;
  const visible = only(signedData, /<(?:\w+:)?usrVisibleData\b[^>]*>([^<]*)<\/(?:\w+:)?usrVisibleData>/g);
  const nonVisible = only(
    signedData,
    /<(?:\w+:)?usrNonVisibleData\b[^>]*>([^<]*)<\/(?:\w+:)?usrNonVisibleData>/g,
  );
  if (visible === undefined || nonVisible === undefined) return undefined;
  if (!BASE64.test(visible) || !BASE64.test(nonVisible)) return undefined;
  return { visible, nonVisible };
}

/** The one match's content; undefined for none or several (a second copy could be the one shown). */
function only(text: string, pattern: RegExp): string | undefined {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 1 ? matches[0]?.[1] : undefined;
}

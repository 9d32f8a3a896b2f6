/** Escaping for text and attribute values: everything the pages print goes through here. */
const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `&<>"'` for HTML text and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => replacements[c] ?? c);
}

/** Only image data URLs the library made are shown; anything else is dropped, not escaped into src. */
export function safeImageDataUrl(value: string | undefined): string | undefined {
  return value !== undefined &&
    /^data:image\/(png|svg\+xml|gif|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/.test(value)
    ? value
    : undefined;
}

/** Schemes a launch link may never use: they run code or read local data. */
const forbiddenSchemes = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'http:']);

/**
 * A provider's "open the app" link (`https://…` or an app scheme such as `myapp:///?…`), or
 * undefined when it is not a URL or uses a scheme that could run code in the page.
 */
export function safeLaunchUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return forbiddenSchemes.has(url.protocol) ? undefined : value;
  } catch {
    return undefined;
  }
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can end it early. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

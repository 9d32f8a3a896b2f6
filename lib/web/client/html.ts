/** Escaping for text and attribute values: everything the pages print goes through here. */
const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

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

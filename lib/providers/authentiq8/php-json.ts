/**
 * JSON as PHP's `json_encode` writes it with default flags, which is what the guide's example signs:
 * `/` escaped as `\/` and every non-ASCII character as a `\uXXXX` escape (lowercase hex, UTF-16
 * units). The signature covers these exact bytes, so a server that re-encodes the body the PHP way
 * before verifying gets the same bytes we signed.
 */

/** `JSON.stringify`, then the two differences from PHP's default output. */
export function phpJsonEncode(value: Readonly<Record<string, string>>): string {
  return JSON.stringify(value).replace(/[/\u0080-\uffff]/g, (c) =>
    c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

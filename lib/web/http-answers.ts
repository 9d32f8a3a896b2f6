/**
 * How the router answers: content negotiation, JSON and redirect answers with the right caching
 * headers, the wait page's security headers, and the cross-site check for POSTs.
 */
import type { NextFunction, Request, Response } from 'express';
import { escapeHtml } from './client/html';
import type { Catalogue, MessageKey } from './messages';
import { checkOrigin, originFacts, type OriginCheckOptions } from './origin-check';

/** The catalogue in a request's language (the router's `waitPages(…).catalogue`). */
export type RequestTexts = (req: Request) => Catalogue;

/**
 * A refusal's `message` for the user, in the request's language when `texts` is given (the
 * technical words then go to `detail`), else the technical words alone (routes without a catalogue).
 */
export function userMessage(
  req: Request,
  texts: RequestTexts | undefined,
  key: MessageKey,
  technical: string,
): { message: string; detail?: string } {
  const message = texts ? texts(req)[key] : technical;
  return message === technical ? { message } : { message, detail: technical };
}

export function wantsJson(req: Request): boolean {
  // The poller always sends exactly this; skip full negotiation on the hot path.
  if (req.headers.accept === 'application/json') return true;
  return req.accepts(['html', 'json']) === 'json';
}

/**
 * A JSON answer no cache keeps. Written directly rather than through `res.json`: an ETag (a hash of
 * every body) is of no use on a `no-store` answer, and the status poll is the hot path. `<`, `>`
 * and `&` are escaped, as Express's `json escape` does, so no browser can read the body as markup.
 */
export function json(res: Response, status: number, body: object, retryAfterMs?: number): void {
  let text = JSON.stringify(body);
  if (MARKUP.test(text)) text = text.replace(MARKUP_ALL, escapeMarkup);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (retryAfterMs !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

// Stryker disable next-line Regex: only decides whether to run the replace below, which finds the same characters.
const MARKUP = /[<>&]/;
const MARKUP_ALL = /[<>&]/g;
const escapeMarkup = (c: string) => (c === '<' ? '\\u003c' : c === '>' ? '\\u003e' : '\\u0026');

export function redirect(res: Response, location: string): void {
  res.set('Cache-Control', 'no-store');
  res.redirect(303, location);
}

export function page(res: Response, html: string, status = 200): void {
  res.set({
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy':
      "default-src 'none'; img-src data:; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    // Not no-referrer: with it the browser sends `Origin: null` on the page's own forms (Cancel,
    // Send again), which the origin check refuses. same-origin still tells other sites nothing.
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  res.status(status).send(html);
}

/**
 * What an HTML request meets while a shared store is down: 503 with `Retry-After`, the message in
 * the request's language and a link to try again (followed by itself after the wait when `refresh`).
 */
export function unavailablePage(
  res: Response,
  texts: { lang: string; title: string; message: string; retry: string },
  retryUrl: string,
  retryAfterSeconds: number,
  refresh: boolean,
): void {
  const e = escapeHtml;
  const url = e(retryUrl);
  const reload = refresh ? `<meta http-equiv="refresh" content="${retryAfterSeconds}; url=${url}">` : '';
  res.setHeader('Retry-After', String(retryAfterSeconds));
  page(
    res,
    `<!doctype html>
<html lang="${e(texts.lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${reload}<title>${e(texts.title)}</title></head>
<body><main><p role="alert">${e(texts.message)}</p><p><a href="${url}">${e(texts.retry)}</a></p></main></body>
</html>`,
    503,
  );
}

export function withQuery(url: string, key: string, value: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

/**
 * A cross-site form cannot start or cancel a login, nor unlink a phone, in the user's session.
 * Refused HTML clients go to `htmlRefusal` (a page of the app), JSON clients get a 403.
 */
export function guardOrigin(check: OriginCheckOptions | false, htmlRefusal?: string, texts?: RequestTexts) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (check === false || checkOrigin(originFacts(req), check).allowed) return next();
    if (htmlRefusal !== undefined && !wantsJson(req)) return redirect(res, htmlRefusal);
    json(res, 403, {
      error: 'cross_origin',
      ...userMessage(req, texts, 'error.cross_origin', 'This request came from another site.'),
    });
  };
}

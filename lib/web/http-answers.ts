/**
 * How the router answers: content negotiation, JSON and redirect answers with the right caching
 * headers, the wait page's security headers, and the cross-site check for POSTs.
 */
import type { NextFunction, Request, Response } from 'express';

export function wantsJson(req: Request): boolean {
  // The poller always sends exactly this; skip full negotiation on the hot path.
  if (req.headers.accept === 'application/json') return true;
  return req.accepts(['html', 'json']) === 'json';
}

export function json(res: Response, status: number, body: object, retryAfterMs?: number): void {
  res.set('Cache-Control', 'no-store');
  if (retryAfterMs !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  res.status(status).json(body);
}

export function redirect(res: Response, location: string): void {
  res.set('Cache-Control', 'no-store');
  res.redirect(303, location);
}

export function page(res: Response, html: string): void {
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
  res.status(200).send(html);
}

export function withQuery(url: string, key: string, value: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

/** A cross-site form cannot start or cancel a login in the user's session. */
export function guardOrigin(enabled: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    // No Origin header: not a cross-site browser POST (those carry one); SameSite cookies cover the rest.
    if (!enabled || origin === undefined || hostOf(origin) === req.get('host')) return next();
    json(res, 403, { error: 'cross_origin', message: 'This request came from another site.' });
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined; // "null" and other opaque origins never match
  }
}

/**
 * Reading a POST body: JSON or form data up to a size limit, and every client mistake in it
 * answered here (400/413/415 JSON), never passed on to the app's error page with its stack trace.
 */
import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { json, userMessage, type RequestTexts } from './http-answers';

/** The bytes `keepRawBody` kept, per request; gone with the request. */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/**
 * A `verify` hook for the app's own body parsers that keeps each request's exact bytes, so that a
 * provider notification whose check signs the bytes (a webhook signed over its
 * bytes) still works behind an app-wide `express.json()`. Without it such a
 * notification is refused (`raw_body_required`) and reported as an `error` audit event.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { keepRawBody } from 'passport-push';
 *
 * app.use(express.json({ verify: keepRawBody }));
 * app.use('/auth/push', pushLogin({ strategy }));
 * ```
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  rawBodies.set(req, buffer);
}

/**
 * A notification's body as the provider should read it: the bytes that arrived when this router's
 * raw parser, an app-wide raw parser or `keepRawBody` has them (`bodyIsRaw: true`), else the app
 * parser's result turned back into bytes (text as UTF-8, anything else as JSON), `bodyIsRaw: false`.
 */
export function notificationBody(req: Request): { body: Buffer; bodyIsRaw: boolean } {
  const kept = rawBodies.get(req);
  if (kept) return { body: kept, bodyIsRaw: true };
  const parsed: unknown = req.body;
  if (Buffer.isBuffer(parsed)) return { body: parsed, bodyIsRaw: true };
  if (parsed === undefined || parsed === null) {
    // A body was announced, but something before the router read it and kept nothing: say so.
    const announced =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
    return { body: Buffer.alloc(0), bodyIsRaw: !announced };
  }
  if (typeof parsed === 'string') return { body: Buffer.from(parsed, 'utf8'), bodyIsRaw: false };
  return { body: Buffer.from(JSON.stringify(parsed), 'utf8'), bodyIsRaw: false };
}

/** The body parsers for a POST route, followed by the handler of their errors. */
export function parseBody(limit: string | number, texts?: RequestTexts): RequestHandler[] {
  const [jsonBody, formBody] = [express.json({ limit }), express.urlencoded({ extended: false, limit })];
  // Express runs an error handler placed in a route's chain only when the step before it failed.
  const answer = (error: unknown, req: Request, res: Response, next: NextFunction) =>
    answerBodyError(error, req, res, next, texts);
  return [jsonBody, formBody, answer as unknown as RequestHandler];
}

/**
 * The raw-body parser for a provider notification (any content type), then its error handler. It
 * skips a body an app-wide parser already read: `notificationBody` takes that one. `refused` hears
 * of each body it answers as the sender's fault (too large, unreadable, cut off).
 */
export function parseRawBody(limit: string | number, refused?: (req: Request) => void): RequestHandler[] {
  // Four parameters exactly: Express takes a step for an error handler by its length.
  const answer = (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (clientStatus(error) !== undefined) refused?.(req);
    answerBodyError(error, req, res, next);
  };
  return [
    express.raw({ type: () => true, limit }),
    bodyAlreadyRead as unknown as RequestHandler,
    answer as unknown as RequestHandler,
  ];
}

/**
 * Express 4's parser tries to read a stream that middleware before the router already drained:
 * not an error of the sender's, but no body either (`notificationBody` reports it).
 */
function bodyAlreadyRead(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  if ((error as { type?: unknown } | null)?.type !== 'stream.not.readable') return next(error);
  req.body = undefined;
  next();
}

/**
 * Answers an error of the body parsers; anything else goes on to the app. With `texts`, the
 * `message` is the user's, in the request's language, and the technical words go to `detail`.
 */
function answerBodyError(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
  texts?: RequestTexts,
): void {
  const status = clientStatus(error);
  if (status === undefined) return next(error);
  const answer = (code: string, detail: string) =>
    json(res, status === 413 || status === 415 ? status : 400, {
      error: code,
      ...userMessage(req, texts, 'error.invalid_body', detail),
    });
  if (status === 413) return answer('body_too_large', 'The request body is too large.');
  if (status === 415) return answer('unsupported_encoding', 'The request body encoding is not supported.');
  // Bad JSON, a broken gzip stream, a size that does not match Content-Length, too deep, aborted…
  answer('invalid_body', 'The request body is not valid JSON or form data.');
}

/** The 4xx status a body parser gave its error (http-errors), if it is a client mistake. */
function clientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

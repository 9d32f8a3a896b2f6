/**
 * Reading a POST body: JSON or form data up to a size limit, and every client mistake in it
 * answered here (400/413/415 JSON), never passed on to the app's error page with its stack trace.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { json } from './http-answers';

/** The body parsers for a POST route, followed by the handler of their errors. */
export function parseBody(limit: string | number): RequestHandler[] {
  const [jsonBody, formBody] = [express.json({ limit }), express.urlencoded({ extended: false, limit })];
  // Express runs an error handler placed in a route's chain only when the step before it failed.
  return [jsonBody, formBody, answerBodyError as unknown as RequestHandler];
}

/** The raw-body parser for a provider notification (any content type), then its error handler. */
export function parseRawBody(limit: string | number): RequestHandler[] {
  return [express.raw({ type: () => true, limit }), answerBodyError as unknown as RequestHandler];
}

/** Answers an error of the body parsers; anything else goes on to the app. */
function answerBodyError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const status = clientStatus(error);
  if (status === undefined) return next(error);
  if (status === 413)
    return json(res, 413, { error: 'body_too_large', message: 'The request body is too large.' });
  if (status === 415)
    return json(res, 415, {
      error: 'unsupported_encoding',
      message: 'The request body encoding is not supported.',
    });
  // Bad JSON, a broken gzip stream, a size that does not match Content-Length, too deep, aborted…
  json(res, 400, { error: 'invalid_body', message: 'The request body is not valid JSON or form data.' });
}

/** The 4xx status a body parser gave its error (http-errors), if it is a client mistake. */
function clientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

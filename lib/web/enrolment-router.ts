/**
 * Express routes for linking a user's authenticator app: show the QR code, poll
 * whether it was used, unlink. Provider-neutral: it drives any object with the `EnrolmentApi`
 * shape (a provider's `enrolment`, where it has one). Which user is enrolled is the app's decision.
 */
import { errorStatus } from './http-status';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { isPushError, type PushError } from '../errors';
import { guardOrigin } from './http-answers';
import { originCheckSetting, type OriginCheckOptions } from './origin-check';
import { errorMessage } from './json-messages';
import type { Catalogue } from './messages';
import { waitPages, type WaitPageOptions } from './wait-page-options';

/**
 * Per-call context the enrolment router passes to the provider (an abort signal).
 */
export interface EnrolmentContext {
  /** Aborted when the browser goes away or the provider deadline passes. */
  signal?: AbortSignal;
  /** The browser's IP address, for providers that send it on; absent when unknown. */
  clientIp?: string;
}

/**
 * What `enrolmentRouter()` needs from a provider: a linking QR code, the link status, disconnect.
 */
export interface EnrolmentApi {
  /** A fresh linking QR code for `userId`. */
  qr(
    userId: string,
    context?: EnrolmentContext,
  ): Promise<{
    /** The code as a `data:` image URL, ready for an `<img>`. */
    qr: string;
    /** Epoch ms after which the code is no longer accepted; absent when the provider does not say. */
    expiresAt?: number;
  }>;
  /** Whether `userId`'s app is linked. */
  status(
    userId: string,
    context?: EnrolmentContext,
  ): Promise<{
    /** Linked, unlinked, or `unknown` when the provider was not asked this time. */
    state: 'linked' | 'unlinked' | 'unknown';
    /** With `unknown`: the ms to wait before asking again. */
    retryAfterMs?: number;
  }>;
  /** Unlinks `userId`'s app; succeeds when nothing is linked. */
  disconnect(userId: string, context?: EnrolmentContext): Promise<void>;
}

/**
 * Options of `enrolmentRouter()`: the provider's enrolment API and how to find the signed-in user.
 *
 * @example
 * ```ts
 * import { enrolmentRouter, type EnrolmentRouterOptions } from 'passport-push';
 *
 * declare const enrolment: EnrolmentRouterOptions['enrolment']; // a provider's `enrolment`
 * const options: EnrolmentRouterOptions = {
 *   enrolment,
 *   userId: (req) => (req.user as DocsUser | undefined)?.id,
 * };
 * app.use('/account/authenticator', requireLogin, enrolmentRouter(options));
 * ```
 */
export interface EnrolmentRouterOptions {
  /** The provider's enrolment API (its `enrolment`, where it has one). */
  enrolment: EnrolmentApi;
  /**
   * The user to enrol, normally the logged-in one (`req.user.id`). Return undefined to refuse (401).
   * Never take it from the request unchecked: anyone could then link or unlink anyone.
   */
  userId: (req: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Refuse a cross-site POST /disconnect (CSRF would unlink the user's phone). Default true;
   * `{ allowSameSite: true }` also accepts sibling subdomains.
   */
  checkOrigin?: boolean | OriginCheckOptions;
  /** The answers' language: a tag or a function of the request; default from `Accept-Language`. */
  locale?: WaitPageOptions['locale'];
  /** Replacements for the answers' messages, per locale (`enrolment.signIn`, `enrolment.failed`, `error.*`). */
  messages?: WaitPageOptions['messages'];
}

type Action = (userId: string, context: EnrolmentContext, res: Response) => Promise<void>;

/**
 * GET qr → `{qr, expiresAt?}`; GET status → `{state, retryAfterMs?}`; POST disconnect → `{state}`.
 *
 * @example
 * ```ts
 * import { enrolmentRouter, type EnrolmentRouterOptions } from 'passport-push';
 *
 * declare const enrolment: EnrolmentRouterOptions['enrolment']; // a provider's `enrolment`
 * app.use(
 *   '/account/authenticator',
 *   requireLogin,
 *   enrolmentRouter({
 *     enrolment,
 *     userId: (req) => (req.user as DocsUser | undefined)?.id,
 *   }),
 * );
 * ```
 */
export function enrolmentRouter(options: EnrolmentRouterOptions): Router {
  const router = Router();
  const { enrolment } = options;
  // The answers speak the request's language, as the login's do.
  const { catalogue } = waitPages({
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    ...(options.messages !== undefined ? { messages: options.messages } : {}),
  });

  router.get(
    '/qr',
    handle(options, catalogue, async (userId, context, res) => {
      res.json(await enrolment.qr(userId, context));
    }),
  );
  router.get(
    '/status',
    handle(options, catalogue, async (userId, context, res) => {
      const status = await enrolment.status(userId, context);
      if (status.retryAfterMs !== undefined)
        res.set('Retry-After', String(Math.ceil(status.retryAfterMs / 1000)));
      res.json(status);
    }),
  );
  const originCheck = originCheckSetting(options.checkOrigin);
  router.post(
    '/disconnect',
    guardOrigin(originCheck),
    handle(options, catalogue, async (userId, context, res) => {
      await enrolment.disconnect(userId, context);
      res.json({ state: 'unlinked' });
    }),
  );
  return router;
}

/** Resolves the user, wires an abort signal to the connection, and answers PushErrors as JSON. */
function handle(options: EnrolmentRouterOptions, catalogue: (req: Request) => Catalogue, action: Action) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Express 4 does not catch rejected promises: every path ends in a response or next(error).
    try {
      res.set('Cache-Control', 'no-store');
      const userId = await options.userId(req);
      if (typeof userId !== 'string' || userId === '') {
        res.status(401).json({ error: 'state', message: catalogue(req)['enrolment.signIn'] });
        return;
      }
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      await action(userId, { signal: controller.signal, clientIp: req.ip }, res);
    } catch (error) {
      if (!isPushError(error)) return next(error);
      if (error.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
      const message = enrolmentMessage(catalogue(req), error);
      // The library's technical words (English) stay in `detail`, for the app's developers.
      res
        .status(errorStatus(error))
        .json({ error: error.kind, code: error.code, message, detail: error.message });
    }
  };
}

/** The user's words for a failure: the catalogue's for its code, else "linking did not work". */
function enrolmentMessage(catalogue: Catalogue, error: PushError): string {
  const text = errorMessage(catalogue, error);
  return text === catalogue['error.generic'] ? catalogue['enrolment.failed'] : text;
}

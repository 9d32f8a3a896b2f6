/**
 * What the router needs of passport: `req.logIn` when a login completes, and whether the session
 * is already signed in (a second tab polling after the first one finished). Behind
 * `passport.session()` the request has both. Mounted before `passport.initialize()`, the router is
 * given the passport instance and runs its middleware itself, only for the requests that need it,
 * so the many polls of a pending login skip passport altogether.
 */
import type { Request, RequestHandler, Response } from 'express';
import { PushError } from '../errors';

/**
 * The part of a passport instance (`passport` or `new Passport()`) that `pushLogin({ passport })`
 * uses, so the router can be mounted before `passport.initialize()`.
 *
 * @example
 * ```ts
 * import passport from 'passport';
 * import { pushLogin } from 'passport-push';
 *
 * // After express-session, before passport: the polls of a pending login skip passport.
 * app.use('/auth/push', pushLogin({ strategy, passport }));
 * app.use(passport.initialize());
 * app.use(passport.session());
 * ```
 */
export interface PassportMiddleware {
  /** passport's `initialize()` middleware. */
  initialize(): RequestHandler;
  /** passport's `session()` middleware, which restores `req.user` from the session. */
  session(): RequestHandler;
}

/** The router's way to passport: what is on the request, else the instance's own middleware. */
export class PassportBridge {
  private readonly initialize: RequestHandler | undefined;
  private readonly session: RequestHandler | undefined;

  constructor(passport: PassportMiddleware | undefined) {
    if (passport === undefined) return;
    if (typeof passport?.initialize !== 'function' || typeof passport.session !== 'function') {
      throw new PushError(
        'config',
        'pushLogin `passport` must be your passport instance (with initialize() and session()).',
      );
    }
    this.initialize = passport.initialize();
    this.session = passport.session();
  }

  /** Logs `user` in as passport does (a new session id, the user serialised into it). */
  async logIn(req: Request, res: Response, user: Express.User): Promise<void> {
    await this.initialized(req, res);
    if (typeof req.logIn !== 'function') {
      throw new PushError(
        'config',
        'pushLogin needs passport: use passport.initialize() before it, or give pushLogin `passport` (your passport instance).',
      );
    }
    await new Promise<void>((resolve, reject) =>
      req.logIn(user, (error: unknown) => (error ? reject(toError(error)) : resolve())),
    );
  }

  /** Whether the session holds a passport login (read by passport.session() if it has not run). */
  async signedIn(req: Request, res: Response): Promise<boolean> {
    if (req.isAuthenticated?.()) return true;
    // Stryker disable next-line ConditionalExpression: without session() the try below fails and answers false too.
    if (!this.session) return false;
    try {
      await this.initialized(req, res);
      await run(this.session, req, res);
    } catch {
      // A session passport cannot read is not a login: the poll answers that none is waiting.
      return false;
    }
    return req.isAuthenticated?.() ?? false;
  }

  private async initialized(req: Request, res: Response): Promise<void> {
    if (typeof req.logIn !== 'function' && this.initialize) await run(this.initialize, req, res);
  }
}

function run(handler: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void handler(req, res, (error?: unknown) => (error ? reject(toError(error)) : resolve()));
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * pushLogin(): the drop-in router. It maps HTTP to the strategy's three actions and the
 * strategy's outcomes back to HTTP: JSON for `Accept: application/json`, HTML (redirects and the
 * wait page) otherwise, so a plain form without JavaScript works end to end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import defaultPassport from 'passport';
import type { WaitPageModel } from './client/wait-page';
import { DisplayCache } from './display-cache';
import { guardOrigin, json, page, redirect, wantsJson, withQuery } from './http-answers';
import { parseBody } from './body';
import { originCheckSetting, type OriginCheckOptions } from './origin-check';
import { waitPages, type WaitPageOptions } from './wait-page-options';
import { PushError } from '../errors';
import type { PushFailure, PushOutcome, PushPending } from '../core/outcome';
import { PushStrategy, type PushAction } from '../core/strategy';

/** The part of a passport instance the router uses. */
export interface PassportLike {
  authenticate(
    strategy: string,
    options: object,
    callback: (error: unknown, user?: unknown, info?: unknown, status?: unknown) => void,
  ): (req: Request, res: Response, next: NextFunction) => unknown;
}

/** Options of `pushLogin()`; the wait page's own (language, messages, layout) are in `WaitPageOptions`. */
export interface PushLoginOptions extends WaitPageOptions {
  /** Name of the registered PushStrategy. Default `'push'`. */
  strategy?: string;
  /** Passport instance. Default: the global one from `require('passport')`. */
  passport?: PassportLike;
  /** Where a completed login goes. Default `'/'`. */
  successRedirect?: string;
  /** Where a failed or cancelled login goes (HTML); `?push=<state>` is appended. Default `'/login'`. */
  failureRedirect?: string;
  /** Largest accepted request body. Default `'8kb'`. */
  bodyLimit?: string | number;
  /**
   * Refuse cross-site POSTs (CSRF) by Fetch Metadata, else `Origin`/`Referer`. Default true;
   * `{ allowSameSite: true }` also accepts sibling subdomains. See lib/web/origin-check.ts.
   */
  checkOrigin?: boolean | OriginCheckOptions;
  /** Where wait-page displays are kept between start and reload; `false` disables. */
  displayCache?: DisplayCache | false;
  /**
   * Hold a JSON status request up to this long while the login is pending, answering the moment it
   * settles (the provider is still asked only once per interval). Default 0: answer at once.
   */
  longPollMs?: number;
}

/** Long polling never spins faster than this, whatever the interval. */
const MIN_LONG_POLL_STEP_MS = 100;

type AuthResult =
  | { kind: 'success'; user: unknown }
  | { kind: 'outcome'; outcome: PushOutcome }
  | { kind: 'failure'; failure: PushFailure; status: number }
  | { kind: 'error'; error: unknown };

const assets = {
  'client.js': { type: 'text/javascript; charset=utf-8', file: 'poller.js' },
  'client.css': { type: 'text/css; charset=utf-8', file: 'wait.css' },
} as const;

export function pushLogin(options: PushLoginOptions = {}): Router {
  const strategy = options.strategy ?? 'push';
  const passport: PassportLike = options.passport ?? (defaultPassport as unknown as PassportLike);
  const successRedirect = options.successRedirect ?? '/';
  const failureRedirect = options.failureRedirect ?? '/login';
  const waitPage = waitPages(options);
  const displays = options.displayCache === false ? undefined : (options.displayCache ?? new DisplayCache());
  const limit = options.bodyLimit ?? '8kb';
  const longPollMs = options.longPollMs ?? 0;
  const router = express.Router();

  const authenticate = (req: Request, res: Response, action: PushAction) =>
    new Promise<AuthResult>((resolve) => {
      const middleware = passport.authenticate(
        strategy,
        { action, pending: 'callback' },
        (error, user, info, status) => {
          if (error) return resolve({ kind: 'error', error });
          if (user) return resolve({ kind: 'success', user });
          const state = (info as { state?: string } | undefined)?.state;
          if (state === 'pending' || state === 'fetched' || (state === 'cancelled' && status === 200)) {
            return resolve({ kind: 'outcome', outcome: info as PushOutcome });
          }
          resolve({
            kind: 'failure',
            failure: info as PushFailure,
            status: typeof status === 'number' ? status : 401,
          });
        },
      );
      middleware(req, res, (error?: unknown) =>
        resolve({ kind: 'error', error: error ?? new Error('The push strategy passed without an outcome.') }),
      );
    });

  const urls = (req: Request): WaitPageModel['urls'] => {
    const base = req.baseUrl;
    return {
      status: `${base}/status`,
      cancel: `${base}/cancel`,
      wait: `${base}/wait`,
      script: `${base}/client.js`,
      style: `${base}/client.css`,
      retry: failureRedirect,
      start: `${base}/start`,
    };
  };

  const failureUrl = (state: string) => withQuery(failureRedirect, 'push', state);

  const logIn = (req: Request, user: unknown) =>
    new Promise<void>((resolve, reject) => {
      req.logIn(user as Express.User, (error: unknown) => (error ? reject(error) : resolve()));
    });

  /** Answers one poll (JSON status, or the HTML wait page which is the same poll). */
  /**
   * Long polling (JSON only): while pending, wait until the next provider check is due and poll
   * again, until the login settles or `longPollMs` has passed. The session is reloaded before each
   * round so that a cancel or login made meanwhile by another request is seen, not overwritten.
   */
  const pollHeld = async (req: Request, res: Response, html: boolean): Promise<AuthResult> => {
    let result = await authenticate(req, res, 'poll');
    if (html || longPollMs <= 0) return result;
    const until = Date.now() + longPollMs;
    let clientGone = false;
    res.once('close', () => (clientGone = true));
    while (isPending(result) && !clientGone) {
      const left = until - Date.now();
      if (left <= 0) break;
      await delay(Math.min(Math.max(result.outcome.retryAfterMs, MIN_LONG_POLL_STEP_MS), left));
      if (!(await reloadSession(req))) {
        // The session was destroyed meanwhile (login or logout in another tab): save nothing, ask again.
        (req as { session?: unknown }).session = null;
        return { kind: 'outcome', outcome: { ...result.outcome, retryAfterMs: 0 } };
      }
      result = await authenticate(req, res, 'poll');
    }
    return result;
  };

  /** The registered PushStrategy, to answer polls that need no provider call without passport. */
  const lookUpStrategy = (): Pick<PushStrategy, 'peekPending'> | undefined => {
    const found = (passport as { _strategy?: (name: string) => unknown })._strategy?.(strategy);
    return found instanceof PushStrategy ? found : undefined;
  };
  let pushStrategy: Pick<PushStrategy, 'peekPending'> | undefined;

  const answerPending = (req: Request, res: Response, html: boolean, pending: PushPending) => {
    // A poll for a challenge the session no longer holds: another tab started a newer login.
    if (!html && waitPage.superseded(req, pending)) return json(res, 409, waitPage.supersededBody(req));
    if (!html) return json(res, 202, pendingBody(pending), pending.retryAfterMs);
    const display = displays?.get(pending.challengeId);
    return page(res, waitPage.render(req, pending, display, urls(req)));
  };

  const answerPoll = async (req: Request, res: Response, html: boolean) => {
    // A long poll holds the request instead; every other poll that needs no provider call is
    // answered here, without the cost of a passport round trip.
    if (html || longPollMs <= 0) {
      pushStrategy ??= lookUpStrategy();
      const local = pushStrategy?.peekPending(req);
      if (local) return answerPending(req, res, html, local);
    }
    const result = await pollHeld(req, res, html);
    if (result.kind === 'success') {
      await logIn(req, result.user);
      return html
        ? redirect(res, successRedirect)
        : json(res, 200, { state: 'authenticated', redirect: successRedirect });
    }
    if (isPending(result)) return answerPending(req, res, html, result.outcome);
    if (result.kind === 'failure') {
      const { failure, status } = result;
      // A second tab that polls after the first one completed the login: nothing to do but go on.
      if (failure.state === 'none' && req.isAuthenticated?.()) {
        return html
          ? redirect(res, successRedirect)
          : json(res, 200, { state: 'authenticated', redirect: successRedirect });
      }
      return html ? redirect(res, failureUrl(failure.state)) : json(res, status, failureBody(failure));
    }
    return answerError(
      res,
      html,
      result.kind === 'error' ? result.error : new Error('unexpected outcome'),
      urls(req).wait,
    );
  };

  const answerError = (res: Response, html: boolean, error: unknown, waitUrl?: string) => {
    if (!(error instanceof PushError) || error.kind === 'config') throw error;
    const retryAfterMs =
      error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : error.retryable
          ? 2000
          : undefined;
    if (html) {
      const failure = failureUrl(error.code ?? error.kind);
      const retryAfter = error.retryAfterSeconds
        ? withQuery(failure, 'retryAfter', String(error.retryAfterSeconds))
        : failure;
      return redirect(res, error.retryable && waitUrl ? waitUrl : retryAfter);
    }
    const status = error.retryable ? 503 : error.status;
    const body = {
      error: error.code ?? error.kind,
      message: error.message,
      retryable: error.retryable,
      ...(retryAfterMs ? { retryAfterMs } : {}),
    };
    return json(res, status, body, retryAfterMs);
  };

  // Only the POST routes read a body: polls skip the parsers. The origin is checked first.
  const originCheck = originCheckSetting(options.checkOrigin);
  const postGuards = [guardOrigin(originCheck, failureUrl('cross_origin')), ...parseBody(limit)];

  router.post('/start', ...postGuards, async (req, res, next) => {
    const html = !wantsJson(req);
    try {
      const result = await authenticate(req, res, 'start');
      if (result.kind === 'outcome' && result.outcome.state !== 'cancelled') {
        const pending = result.outcome;
        if (pending.display && displays)
          displays.set(pending.challengeId, pending.display, pending.expiresAt);
        if (html) return redirect(res, urls(req).wait);
        const links = urls(req);
        return json(
          res,
          202,
          {
            ...pendingBody(pending),
            display: pending.display ?? {},
            pollUrl: links.status,
            cancelUrl: links.cancel,
            waitUrl: links.wait,
          },
          pending.retryAfterMs,
        );
      }
      if (result.kind === 'failure') {
        const failure = result.failure;
        return html
          ? redirect(res, failureUrl(failure.code ?? failure.state))
          : json(res, result.status, { error: failure.code ?? failure.state, ...failureBody(failure) });
      }
      return answerError(res, html, result.kind === 'error' ? result.error : new Error('unexpected outcome'));
    } catch (error) {
      next(error);
    }
  });

  router.get('/status', async (req, res, next) => {
    try {
      await answerPoll(req, res, !wantsJson(req));
    } catch (error) {
      next(error);
    }
  });

  router.get('/wait', async (req, res, next) => {
    try {
      await answerPoll(req, res, true);
    } catch (error) {
      next(error);
    }
  });

  router.post('/cancel', ...postGuards, async (req, res, next) => {
    try {
      const result = await authenticate(req, res, 'cancel');
      if (result.kind === 'error') return answerError(res, !wantsJson(req), result.error);
      return wantsJson(req) ? json(res, 200, { state: 'cancelled' }) : redirect(res, failureUrl('cancelled'));
    } catch (error) {
      next(error);
    }
  });

  for (const [name, asset] of Object.entries(assets)) {
    let body: string | undefined;
    router.get(`/${name}`, (_req, res) => {
      body ??= readFileSync(join(__dirname, 'client', asset.file), 'utf8');
      res.set({
        'Content-Type': asset.type,
        'Cache-Control': 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      });
      res.send(body);
    });
  }

  return router;
}

function isPending(result: AuthResult): result is { kind: 'outcome'; outcome: PushPending } {
  return result.kind === 'outcome' && result.outcome.state !== 'cancelled';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Re-reads the session from the store; false when it no longer exists there. */
function reloadSession(req: Request): Promise<boolean> {
  const session = (req as { session?: { reload?: (cb: (error?: unknown) => void) => void } }).session;
  if (typeof session?.reload !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => session.reload?.((error) => resolve(!error)));
}

function pendingBody(pending: PushPending) {
  return {
    state: pending.state,
    message: pending.message,
    expiresAt: pending.expiresAt,
    expiresInMs: pending.expiresInMs,
    retryAfterMs: pending.retryAfterMs,
  };
}

function failureBody(failure: PushFailure) {
  return { state: failure.state, message: failure.message, ...(failure.code ? { code: failure.code } : {}) };
}

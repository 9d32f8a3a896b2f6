/**
 * pushLogin(): the drop-in router. It calls the strategy's login core for each route and maps the
 * results onto HTTP: JSON for `Accept: application/json`, HTML (redirects and the wait page)
 * otherwise, so a plain form without JavaScript works end to end. Passport is needed only for
 * `req.logIn`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { qrImage, type WaitPageModel } from './client/wait-page';
import { DeviceCookie } from './device-cookie';
import { DisplayCache } from './display-cache';
import { guardOrigin, json, page, redirect, wantsJson, withQuery } from './http-answers';
import { errorStatus, failureStatus } from './http-status';
import { parseBody } from './body';
import { originCheckSetting, type OriginCheckOptions } from './origin-check';
import { waitPages, type WaitPageOptions } from './wait-page-options';
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';
import type { LoginResult, PushFailure, PushPending } from '../core/outcome';
import { sessionOf } from '../core/session-access';
import { loginRequest, PushStrategy } from '../core/strategy';

/** What `pushLogin()` accepts; the wait page's own options (language, messages, layout) are in `WaitPageOptions`. */
export interface PushLoginOptions<User = Express.User> extends WaitPageOptions {
  /** The `PushStrategy` instance whose login this router serves (register it with passport too if you like). */
  strategy: PushStrategy<User>;
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
  /**
   * Turns on the device cookie (lockout resistance): the HMAC key, at least 32 random characters.
   * After a completed login the browser gets a signed, HttpOnly, `SameSite=Lax` cookie naming a
   * random device id and the (hashed) IDs that logged in there; a start from that browser for one of
   * those IDs skips the per-ID limits. Default: off (no cookie; the limits count the session).
   */
  deviceSecret?: string;
  /** The device cookie's name. Default `__Host-push-device` on HTTPS, `push-device` on plain HTTP. */
  deviceCookieName?: string;
  /** How long a completed login keeps its browser trusted for that ID. Default 30 days. */
  deviceTrustMs?: number;
}

/** Long polling never spins faster than this, whatever the interval. */
const MIN_LONG_POLL_STEP_MS = 100;

const assets = {
  'client.js': { type: 'text/javascript; charset=utf-8', file: 'poller.js' },
  'client.css': { type: 'text/css; charset=utf-8', file: 'wait.css' },
} as const;

/** The router for a push login: `/start`, `/status`, `/wait`, `/cancel` and the wait page's assets. */
export function pushLogin<User>(options: PushLoginOptions<User>): Router {
  if (!(options?.strategy instanceof PushStrategy)) {
    throw new PushError('config', 'pushLogin requires `strategy`: the PushStrategy instance.');
  }
  const login = options.strategy.login;
  const successRedirect = options.successRedirect ?? '/';
  const failureRedirect = options.failureRedirect ?? '/login';
  const waitPage = waitPages(options);
  const displays = options.displayCache === false ? undefined : (options.displayCache ?? new DisplayCache());
  const limit = options.bodyLimit ?? '8kb';
  const longPollMs = options.longPollMs ?? 0;
  const devices =
    options.deviceSecret === undefined
      ? undefined
      : new DeviceCookie({
          secret: options.deviceSecret,
          ...(options.deviceCookieName !== undefined ? { name: options.deviceCookieName } : {}),
          ...(options.deviceTrustMs !== undefined ? { maxAgeMs: options.deviceTrustMs } : {}),
        });
  const router = express.Router();

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

  const logIn = (req: Request, user: User) =>
    new Promise<void>((resolve, reject) => {
      if (typeof req.logIn !== 'function') {
        return reject(
          new PushError('config', 'pushLogin needs passport: use passport.initialize() before it.'),
        );
      }
      req.logIn(user as Express.User, (error: unknown) => (error ? reject(error) : resolve()));
    });

  /**
   * Long polling (JSON only): while pending, wait until the next provider check is due and poll
   * again, until the login settles or `longPollMs` has passed. The session is reloaded before each
   * round so that a cancel or login made meanwhile by another request is seen, not overwritten; the
   * core's memory keeps the shared next-check time across reloads.
   */
  const pollHeld = async (req: Request, res: Response, html: boolean): Promise<LoginResult<User>> => {
    let result = await login.poll(loginRequest(req));
    if (html || longPollMs <= 0) return result;
    const until = Date.now() + longPollMs;
    let clientGone = false;
    res.once('close', () => (clientGone = true));
    // An animated QR (BankID) changes every second: such a page must not be held.
    while (result.kind === 'pending' && !animated(result) && !clientGone) {
      const left = until - Date.now();
      if (left <= 0) break;
      await delay(Math.min(Math.max(result.retryAfterMs, MIN_LONG_POLL_STEP_MS), left));
      if (!(await reloadSession(req))) {
        // The session was destroyed meanwhile (login or logout in another tab): save nothing, ask again.
        (req as { session?: unknown }).session = null;
        return { ...result, retryAfterMs: 0 };
      }
      result = await login.poll(loginRequest(req));
    }
    return result;
  };

  const answerPending = (req: Request, res: Response, html: boolean, pending: PushPending) => {
    if (pending.display && displays) displays.set(pending.challengeId, pending.display, pending.expiresAt);
    // A poll for a challenge the session no longer holds: another tab started a newer login.
    if (!html && waitPage.superseded(req, pending)) return json(res, 409, waitPage.supersededBody(req));
    if (!html) return json(res, 202, pendingBody(pending), pending.retryAfterMs);
    const cached = displays?.get(pending.challengeId);
    const display = cached || pending.display ? { ...cached, ...pending.display } : undefined;
    return page(res, waitPage.render(req, pending, display, urls(req)));
  };

  const authenticated = (res: Response, html: boolean) =>
    html
      ? redirect(res, successRedirect)
      : json(res, 200, { state: 'authenticated', redirect: successRedirect });

  const answerPoll = async (req: Request, res: Response, html: boolean) => {
    // A long poll holds the request instead; every other poll that needs no provider call is
    // answered here, synchronously.
    if (html || longPollMs <= 0) {
      const local = login.localAnswer(sessionOf(req));
      if (local) return answerPending(req, res, html, local);
    } else {
      const local = login.localAnswer(sessionOf(req));
      if (local && animated(local)) return answerPending(req, res, html, local);
    }
    const result = await pollHeld(req, res, html);
    switch (result.kind) {
      case 'approved':
        await logIn(req, result.user);
        if (devices && result.requestedUserId !== undefined) {
          devices.remember(req, res, result.requestedUserId);
        }
        return authenticated(res, html);
      case 'pending':
        return answerPending(req, res, html, result);
      case 'failed': {
        // A second tab that polls after the first one completed the login: nothing to do but go on.
        if (result.state === 'none' && req.isAuthenticated?.()) return authenticated(res, html);
        return html
          ? redirect(res, failureUrl(result.state))
          : json(res, failureStatus(result.state), failureBody(result));
      }
      case 'cancelled':
        return html ? redirect(res, failureUrl('cancelled')) : json(res, 200, { state: 'cancelled' });
      case 'error':
        return answerError(res, html, result.error, urls(req).wait);
    }
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
    const body = {
      error: error.code ?? error.kind,
      message: error.message,
      retryable: error.retryable,
      ...(retryAfterMs ? { retryAfterMs } : {}),
    };
    return json(res, errorStatus(error), body, retryAfterMs);
  };

  // Only the POST routes read a body: polls skip the parsers. The origin is checked first.
  const originCheck = originCheckSetting(options.checkOrigin);
  const postGuards = [guardOrigin(originCheck, failureUrl('cross_origin')), ...parseBody(limit)];

  router.post('/start', ...postGuards, async (req, res, next) => {
    const html = !wantsJson(req);
    try {
      const device = devices?.read(req);
      const result = await login.start({ ...loginRequest(req, true), ...(device ? { device } : {}) });
      if (result.kind === 'pending') {
        if (result.display && displays) displays.set(result.challengeId, result.display, result.expiresAt);
        if (html) return redirect(res, urls(req).wait);
        const links = urls(req);
        return json(
          res,
          202,
          {
            ...pendingBody(result),
            display: jsonDisplay(result) ?? {},
            pollUrl: links.status,
            cancelUrl: links.cancel,
            waitUrl: links.wait,
          },
          result.retryAfterMs,
        );
      }
      if (result.kind === 'failed') {
        return html
          ? redirect(res, failureUrl(result.code ?? result.state))
          : json(res, failureStatus(result.state), {
              error: result.code ?? result.state,
              ...failureBody(result),
            });
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
      const result = await login.cancel(loginRequest(req));
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
    ...(pending.display ? { display: jsonDisplay(pending) } : {}),
    ...(pending.providerMessage ? { providerMessage: pending.providerMessage } : {}),
  };
}

/** A pending login whose QR code changes with time: its page polls every second. */
function animated(pending: PushPending): boolean {
  return pending.state === 'pending' && typeof pending.display?.qr === 'string';
}

/**
 * The display as the JSON answers carry it: a QR also as `qrImage`, an SVG data URL the page shows
 * as it is (the CSP allows `img-src data:` only). Once the phone has the request (`fetched`) the QR
 * is left out: scanning it again is of no use (BankID's guidelines say to hide it then).
 */
function jsonDisplay(pending: PushPending): (ChallengeDisplay & { qrImage?: string }) | undefined {
  if (!pending.display) return undefined;
  const { qr, ...rest } = pending.display;
  if (qr === undefined || pending.state === 'fetched') return rest;
  const image = qrImage(qr);
  return { ...rest, qr, ...(image ? { qrImage: image } : {}) };
}

function failureBody(failure: PushFailure) {
  return {
    state: failure.state,
    message: failure.message,
    ...(failure.code ? { code: failure.code } : {}),
    ...(failure.providerMessage ? { providerMessage: failure.providerMessage } : {}),
  };
}

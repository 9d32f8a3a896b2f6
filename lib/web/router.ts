/**
 * pushLogin(): the drop-in router. It calls the strategy's login core for each route and maps the
 * results onto HTTP: JSON for `Accept: application/json`, HTML (redirects and the wait page)
 * otherwise, so a plain form without JavaScript works end to end. Passport is needed only for
 * `req.logIn` (see passport-bridge.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { qrImage, type WaitPageModel } from './client/wait-page';
import { DeviceCookie } from './device-cookie';
import { streamStates } from './event-stream';
import { notifiedStates } from './notified-states';
import { NotifyLimit } from './notify-limit';
import { Wake } from './wake';
import { PassportBridge, type PassportMiddleware } from './passport-bridge';
import { guardOrigin, json, page, redirect, wantsJson, withQuery } from './http-answers';
import { errorStatus, failureStatus } from './http-status';
import { notificationBody, parseBody, parseRawBody } from './body';
import { originCheckSetting, type OriginCheckOptions } from './origin-check';
import { waitPages, type WaitPageOptions } from './wait-page-options';
import { errorMessage, failureMessage, localMessage, localObserved, pendingMessage } from './json-messages';
import type { Catalogue } from './messages';
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';
import type { LoginResult, PushFailure, PushPending } from '../core/outcome';
import type { NotificationBus } from '../core/notification-bus';
import { sessionOf, storedSessionReader, storedSessionView } from '../core/session-access';
import type { DisplayStore } from '../core/display-store';
import { loginRequest } from '../core/express-request';
import { PushLogin, type LoginCoreHolder, type LoginRequest, type ObservedState } from '../core/login';
import type { LoginSession } from '../core/session-access';

/**
 * What `pushLogin()` accepts; the wait page's own options (language, messages, layout) are in `WaitPageOptions`.
 *
 * @example
 * ```ts
 * import { pushLogin, type PushLoginOptions } from 'passport-push';
 *
 * const options: PushLoginOptions = { strategy, longPollMs: 25_000, locale: 'de', retryWithUserId: true };
 * app.use('/auth/push', pushLogin(options));
 * ```
 */
export interface PushLoginOptions<User = Express.User> extends WaitPageOptions {
  /**
   * The `PushStrategy` instance whose login this router serves (register it with passport too if
   * you like). Its `stores` are the router's too (the wait page's displays among them).
   */
  strategy: LoginCoreHolder<User>;
  /**
   * Your passport instance. Needed only when the router is mounted before `passport.initialize()`
   * (the fastest polls: they skip passport's middleware); the router then runs it itself for the
   * requests that log in. Behind `passport.session()`, leave it out.
   */
  passport?: PassportMiddleware;
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
  /**
   * Hold a JSON status request up to this long while the login is pending, answering the moment it
   * settles: a provider notification or the end of the challenge wakes it at once (the provider is
   * still asked at most once per interval, or per `minCheckIntervalMs` after a notification).
   * Default 0: answer at once.
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
  /** Largest provider notification accepted by `POST notify`. Default `'4kb'`. */
  notifyBodyLimit?: string | number;
  /** Notifications one IP address may send to `POST notify` per minute. Default 600. */
  notifyPerIpPerMinute?: number;
  /**
   * How often the status stream (`GET events`) re-reads the challenge without a notification, in
   * ms; a check at the provider still happens only when one is due. Default 2000.
   */
  eventsRecheckMs?: number;
}

/** Long polling never spins faster than this, whatever the interval. */
const MIN_LONG_POLL_STEP_MS = 100;
/** The Retry-After of a long poll refused a hold because its challenge has as many waiters as allowed. */
const OVER_CAP_RETRY_MS = 1000;

const assets = {
  'client.js': { type: 'text/javascript; charset=utf-8', file: 'poller.js' },
  'client.css': { type: 'text/css; charset=utf-8', file: 'wait.css' },
} as const;

/**
 * The router for a push login: `/start`, `/status`, `/wait`, `/cancel` and the wait page's assets.
 *
 * @example
 * ```ts
 * import { pushLogin } from 'passport-push';
 *
 * app.use('/auth/push', pushLogin({ strategy, successRedirect: '/', failureRedirect: '/login' }));
 * ```
 */
export function pushLogin<User>(options: PushLoginOptions<User>): Router {
  // The router runs on the strategy's login core, never through the passport adapter.
  if (!(options?.strategy?.login instanceof PushLogin)) {
    throw new PushError('config', 'pushLogin requires `strategy`: the PushStrategy instance.');
  }
  const login = options.strategy.login;
  const successRedirect = options.successRedirect ?? '/';
  const failureRedirect = options.failureRedirect ?? '/login';
  const waitPage = waitPages(options, login.provider.texts);
  const displays = login.displays;
  const limit = options.bodyLimit ?? '8kb';
  const longPollMs = options.longPollMs ?? 0;
  const devices =
    options.deviceSecret === undefined
      ? undefined
      : new DeviceCookie({
          secret: options.deviceSecret,
          now: login.now,
          ...(options.deviceCookieName !== undefined ? { name: options.deviceCookieName } : {}),
          ...(options.deviceTrustMs !== undefined ? { maxAgeMs: options.deviceTrustMs } : {}),
        });
  const eventsRecheckMs = options.eventsRecheckMs ?? 2000;
  // The status stream's bus: every event first makes the challenge's check due (within the floor).
  const hintingBus: NotificationBus = {
    // Stryker disable next-line ArrowFunction: the stream only subscribes; publish completes the NotificationBus type
    publish: (challengeId, event) => login.bus.publish(challengeId, event),
    subscribe: (challengeId, listener) => login.subscribe(challengeId, listener),
  };
  const router = express.Router();

  const urls = (req: Request): WaitPageModel['urls'] => {
    const base = req.baseUrl;
    return {
      status: `${base}/status`,
      events: `${base}/events`,
      cancel: `${base}/cancel`,
      wait: `${base}/wait`,
      script: `${base}/client.js`,
      style: `${base}/client.css`,
      retry: failureRedirect,
      start: `${base}/start`,
    };
  };

  const failureUrl = (state: string) => withQuery(failureRedirect, 'push', state);

  const passport = new PassportBridge(options.passport);

  /**
   * Long polling (JSON only): while pending, wait until the next provider check is due, or until
   * the bus says something happened to the challenge (a provider notification, its end on another
   * request or instance), and poll again, until the login settles or `longPollMs` has passed. The
   * subscription lasts the whole hold, so an event that arrives during a poll is not lost. The
   * session is reloaded before each round so that a cancel or login made meanwhile by another
   * request is seen, not overwritten; the core's memory keeps the shared next-check time.
   */
  const pollHeld = async (req: Request, res: Response, html: boolean): Promise<LoginResult<User>> => {
    let result = await login.poll(coreRequest(req, res));
    if (html || longPollMs <= 0 || result.kind !== 'pending' || animated(result)) return result;
    const challengeId = result.challengeId;
    const wake = new Wake();
    // Set when the challenge ended elsewhere: only then (or when a check is due) is the session re-read.
    let ended = false;
    let unsubscribe: () => void;
    try {
      unsubscribe = login.subscribe(challengeId, (event) => {
        if (event.type === 'settled') ended = true;
        wake.notify();
      });
    } catch {
      // Too many waiters on this challenge: answered now, never held (the cap must hold).
      return { ...result, retryAfterMs: Math.max(result.retryAfterMs, OVER_CAP_RETRY_MS) };
    }
    const until = Date.now() + longPollMs;
    // A flag and the wake rather than an AbortController: thousands of these are held at once.
    let gone = false;
    const onClose = () => {
      gone = true;
      wake.notify();
    };
    res.once('close', onClose);
    try {
      // An animated QR changes every second: such a page must not be held.
      while (result.kind === 'pending' && result.challengeId === challengeId && !animated(result) && !gone) {
        const left = until - Date.now();
        if (left <= 0) break;
        await wake.next(Math.min(Math.max(result.retryAfterMs, MIN_LONG_POLL_STEP_MS), left));
        if (gone) break;
        // A wake that makes no check due (a notification inside the provider's floor) changes
        // nothing: answered from memory, without a session store read.
        const local = ended ? undefined : login.localAnswer(sessionOf(req));
        if (local?.challengeId === challengeId) {
          result = { kind: 'pending', ...local };
          continue;
        }
        if (!ended) {
          // A check is due: asked without the session (observe writes nothing), so a still-pending
          // answer costs no store read; only a change (an ending, here or elsewhere) reloads it.
          const observed = await login.observe(sessionOf(req));
          if (gone) break;
          const after = isPending(observed.state) ? login.localAnswer(sessionOf(req)) : undefined;
          if (after?.challengeId === challengeId) {
            result = { kind: 'pending', ...after };
            continue;
          }
        }
        if (!(await reloadSession(req))) {
          // The session was destroyed meanwhile (login or logout in another tab): save nothing, ask again.
          (req as { session?: unknown }).session = null;
          return { ...result, retryAfterMs: 0 };
        }
        result = await login.poll(coreRequest(req, res));
      }
    } finally {
      unsubscribe();
      res.off('close', onClose);
    }
    return result;
  };

  const answerPendingJson = (req: Request, res: Response, pending: PushPending) => {
    // A poll for a challenge the session no longer holds: another tab started a newer login.
    if (waitPage.superseded(req, pending)) return json(res, 409, waitPage.supersededBody(req));
    json(res, 202, pendingBody(pending, waitPage.catalogue(req)), pending.retryAfterMs);
  };

  const answerPending = async (req: Request, res: Response, html: boolean, pending: PushPending) => {
    if (!html) return answerPendingJson(req, res, pending);
    const kept = await displays
      .get(pending.challengeId)
      .catch((error: unknown) => login.storeFailed('display', 'get', DISPLAY_NOT_READ, error));
    const display = kept || pending.display ? { ...kept, ...pending.display } : undefined;
    return page(res, waitPage.render(req, pending, display, urls(req)));
  };

  const authenticated = (res: Response, html: boolean) =>
    html
      ? redirect(res, successRedirect)
      : json(res, 200, { state: 'authenticated', redirect: successRedirect });

  /**
   * A poll that needs no provider call, answered without a promise (the hot path): a JSON poll
   * inside the interval, unless a long poll should hold it (an animated display never is held).
   * Its display, if any, is recomputed from the handle: nothing to keep. False when it is not one.
   */
  const answeredLocally = (req: Request, res: Response): boolean => {
    const local = login.localAnswer(sessionOf(req));
    if (!local || (longPollMs > 0 && !animated(local))) return false;
    answerPendingJson(req, res, local);
    return true;
  };

  const answerPoll = async (req: Request, res: Response, html: boolean) => {
    // The wait page inside the interval: rendered from the record and the kept display.
    const local = html ? login.localAnswer(sessionOf(req)) : undefined;
    if (local) return answerPending(req, res, html, local);
    const result = await pollHeld(req, res, html);
    switch (result.kind) {
      case 'approved':
        await passport.logIn(req, res, result.user as Express.User);
        if (devices && result.requestedUserId !== undefined) {
          devices.remember(req, res, result.requestedUserId);
        }
        return authenticated(res, html);
      case 'pending':
        // A provider check may have brought a new display: keep it for reloads and other instances.
        await keepDisplay(displays, result, login);
        return answerPending(req, res, html, result);
      case 'failed': {
        // A second tab that polls after the first one completed the login: nothing to do but go on.
        if (result.state === 'none' && (await passport.signedIn(req, res))) return authenticated(res, html);
        return html
          ? redirect(res, failureUrl(result.state))
          : json(res, failureStatus(result.state), failureBody(result, waitPage.catalogue(req)));
      }
      case 'cancelled':
        return html ? redirect(res, failureUrl('cancelled')) : json(res, 200, { state: 'cancelled' });
      case 'error':
        return answerError(res, html, result.error, urls(req).wait);
    }
  };

  const answerError = (res: Response, html: boolean, error: unknown, waitUrl?: string, typedId?: string) => {
    if (!(error instanceof PushError) || error.kind === 'config') throw error;
    const retryAfterMs =
      error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : error.retryable
          ? 2000
          : undefined;
    if (html) {
      const failure = keepTypedId(failureUrl(error.code ?? error.kind), typedId);
      const retryAfter = error.retryAfterSeconds
        ? withQuery(failure, 'retryAfter', String(error.retryAfterSeconds))
        : failure;
      return redirect(res, error.retryable && waitUrl ? waitUrl : retryAfter);
    }
    const message = errorMessage(waitPage.catalogue(res.req), error);
    const body = {
      error: error.code ?? error.kind,
      message,
      // The library's technical words (English), for the app's developers; `message` is the user's.
      ...(error.message !== message ? { detail: error.message } : {}),
      retryable: error.retryable,
      ...(retryAfterMs ? { retryAfterMs } : {}),
    };
    return json(res, errorStatus(error), body, retryAfterMs);
  };

  // Only the POST routes read a body: polls skip the parsers. The origin is checked first.
  const originCheck = originCheckSetting(options.checkOrigin);
  const postGuards = [
    guardOrigin(originCheck, failureUrl('cross_origin'), waitPage.catalogue),
    ...parseBody(limit, waitPage.catalogue),
  ];

  router.post('/start', ...postGuards, async (req, res, next) => {
    const html = !wantsJson(req);
    try {
      const device = devices?.read(req);
      const result = await login.start({ ...coreRequest(req, res, true), ...(device ? { device } : {}) });
      if (result.kind === 'pending') {
        if (result.display) await keepDisplay(displays, result, login);
        if (html) return redirect(res, urls(req).wait);
        const links = urls(req);
        return json(
          res,
          202,
          {
            ...pendingBody(result, waitPage.catalogue(req)),
            display: jsonDisplay(result) ?? {},
            pollUrl: links.status,
            cancelUrl: links.cancel,
            waitUrl: links.wait,
          },
          result.retryAfterMs,
        );
      }
      // The login form keeps what was typed (a typo to fix, a limit to wait out), when the app allows.
      const typedId = options.retryWithUserId ? typedIdOf(req.body, options.userIdField) : undefined;
      if (result.kind === 'failed') {
        return html
          ? redirect(res, keepTypedId(failureUrl(result.code ?? result.state), typedId))
          : json(res, failureStatus(result.state), {
              error: result.code ?? result.state,
              ...failureBody(result, waitPage.catalogue(req)),
            });
      }
      const error = result.kind === 'error' ? result.error : new Error('unexpected outcome');
      return answerError(res, html, error, undefined, typedId);
    } catch (error) {
      next(error);
    }
  });

  router.get('/status', (req, res, next) => {
    const html = !wantsJson(req);
    if (!html && answeredLocally(req, res)) return;
    answerPoll(req, res, html).catch(next);
  });

  /**
   * The status stream (server-sent events): the session's state now and after every notification
   * of its challenge (else every `eventsRecheckMs`), until a final state. It never logs in (its
   * headers are sent, so no new session cookie could follow): on `approved` the page asks
   * `status`, which completes with the answer the stream found, without another provider call.
   */
  router.get('/events', async (req, res, next) => {
    try {
      const challengeId = login.challengeIdOf(sessionOf(req));
      if (challengeId === undefined) return json(res, 404, { state: 'none' });
      if (waitPage.superseded(req, { challengeId })) return json(res, 409, waitPage.supersededBody(req));
      const readStored = storedSessionReader(req);
      // Before the session goes: an app's `locale` may read it.
      const catalogue = waitPage.catalogue(req);
      // The stream only reads the stored session: this request's copy must never be saved back.
      (req as { session?: unknown }).session = null;
      const kept: KeptRecord = {};
      await streamStates(req, res, (signal) =>
        notifiedStates(
          hintingBus,
          challengeId,
          (changed) => observeStream(challengeId, readStored, kept, changed, catalogue),
          { signal, recheckMs: eventsRecheckMs },
        ),
      );
    } catch (error) {
      // After the headers the stream has already ended; the browser reconnects or polls.
      if (!res.headersSent) next(error);
    }
  });

  /**
   * The stream's state; a session that moved on to a newer challenge (or none) ends it. The stored
   * session is read only when something can have changed (a notification, or a provider check is
   * due); a mere recheck is answered from the record the last read kept.
   */
  const observeStream = async (
    challengeId: string,
    readStored: () => Promise<LoginSession>,
    kept: KeptRecord,
    changed: boolean,
    catalogue: Catalogue,
  ): Promise<ObservedState> => {
    let session = kept.session;
    if (changed || session === undefined || login.localAnswer(session)?.challengeId !== challengeId) {
      session = await readStored();
      const current = login.challengeIdOf(session);
      if (current !== challengeId) return { state: current === undefined ? 'none' : 'superseded' };
      // Only the record is kept, not the whole session.
      const data = session.data && { [login.sessionKey]: session.data[login.sessionKey] };
      kept.session = storedSessionView(data, session.id);
    }
    const observed = localObserved(catalogue, await login.observe(session));
    // The same display as the JSON status answers (a QR also as an image).
    if ('display' in observed && observed.display) return { ...observed, display: jsonDisplay(observed) };
    return observed;
  };

  if (typeof login.provider.readNotification === 'function') {
    const notifyLimit = new NotifyLimit({ perIpPerMinute: options.notifyPerIpPerMinute, now: login.now });
    /**
     * A provider's notification (a ping, a webhook): no session, no browser CSRF check (it is not a
     * browser), authenticated by the provider, small and rate-limited. It only makes the waiting
     * requests of its challenge check now.
     */
    router.post(
      '/notify',
      (req, res, next) => {
        const allowed = notifyLimit.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
        if (allowed.allowed) return next();
        json(
          res,
          429,
          { error: 'rate_limited', message: 'Too many notifications.' },
          allowed.retryAfterSeconds * 1000,
        );
      },
      ...parseRawBody(options.notifyBodyLimit ?? '4kb'),
      async (req, res, next) => {
        try {
          const result = await login.notify({ headers: req.headers, ...notificationBody(req) });
          if (result.kind === 'refused') return json(res, result.status, { error: result.code });
          // Known key or not (a wrong token looks the same): one answer, so the route tells no
          // one which users have a login open.
          res.status(204).end();
        } catch (error) {
          next(error);
        }
      },
    );
  }

  router.get('/wait', async (req, res, next) => {
    try {
      await answerPoll(req, res, true);
    } catch (error) {
      next(error);
    }
  });

  router.post('/cancel', ...postGuards, async (req, res, next) => {
    try {
      const html = !wantsJson(req);
      const result = await login.cancel(coreRequest(req, res));
      if (result.kind === 'error') return answerError(res, html, result.error);
      // Too late: the login completed (or ended otherwise) first, and the answer says so.
      if (result.kind === 'failed' && result.code === 'already_completed') return authenticated(res, html);
      if (result.kind === 'failed') {
        return html
          ? redirect(res, failureUrl(result.state))
          : json(res, failureStatus(result.state), failureBody(result, waitPage.catalogue(req)));
      }
      return html ? redirect(res, failureUrl('cancelled')) : json(res, 200, { state: 'cancelled' });
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

/** What a status stream keeps between reads: its challenge's record, as the last store read found it. */
interface KeptRecord {
  session?: LoginSession;
}

/** The core's view of the request; what ends a challenge is announced once the response is done. */
function coreRequest(req: Request, res: Response, withInput = false): LoginRequest {
  return { ...loginRequest(req, withInput), afterResponse: (task) => res.once('close', task) };
}

/** Keeps a pending answer's display; a store that refuses or fails only loses the picture on reload. */
async function keepDisplay(
  displays: DisplayStore,
  pending: PushPending,
  login: Pick<PushLogin<unknown>, 'storeFailed'>,
): Promise<void> {
  if (!pending.display) return;
  try {
    await displays.set(pending.challengeId, pending.display, pending.expiresAt);
  } catch (error) {
    login.storeFailed('display', 'set', DISPLAY_NOT_KEPT, error);
  }
}

// What a `store_error` event of the display store says was lost.
const DISPLAY_NOT_KEPT = "a challenge's display for reloads and other instances (this page still shows it)";
const DISPLAY_NOT_READ = "a challenge's kept display (the page shows what this poll has)";

/** Re-reads the session from the store; false when it no longer exists there. */
function reloadSession(req: Request): Promise<boolean> {
  const session = (req as { session?: { reload?: (cb: (error?: unknown) => void) => void } }).session;
  if (typeof session?.reload !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => session.reload?.((error) => resolve(!error)));
}

function pendingBody(pending: PushPending, catalogue: Catalogue) {
  return {
    state: pending.state,
    message: pendingMessage(catalogue, pending),
    expiresAt: pending.expiresAt,
    expiresInMs: pending.expiresInMs,
    retryAfterMs: pending.retryAfterMs,
    ...(pending.display ? { display: jsonDisplay(pending) } : {}),
    ...(pending.providerMessage ? { providerMessage: localMessage(catalogue, pending.providerMessage) } : {}),
  };
}

/** Whether an observed state is one the login still waits in. */
function isPending(state: string): boolean {
  return state === 'pending' || state === 'fetched';
}

/** A pending login whose QR code changes with time: its page polls every second. */
function animated(pending: PushPending): boolean {
  return pending.state === 'pending' && typeof pending.display?.qr === 'string';
}

/**
 * The display as the JSON answers carry it: a QR also as `qrImage`, an SVG data URL the page shows
 * as it is (the CSP allows `img-src data:` only). Once the phone has the request (`fetched`) the QR
 * is left out: scanning it again is of no use (a provider's guidelines may say to hide it then).
 */
function jsonDisplay(
  pending: Pick<PushPending, 'display' | 'state'>,
): (ChallengeDisplay & { qrImage?: string }) | undefined {
  if (!pending.display) return undefined;
  const { qr, ...rest } = pending.display;
  if (qr === undefined || pending.state === 'fetched') return rest;
  const image = qrImage(qr);
  return { ...rest, qr, ...(image ? { qrImage: image } : {}) };
}

function failureBody(failure: PushFailure, catalogue: Catalogue) {
  const message = failureMessage(catalogue, failure);
  return {
    state: failure.state,
    message,
    // The library's technical words (English), for the app's developers; `message` is the user's.
    ...(failure.message !== message ? { detail: failure.message } : {}),
    ...(failure.code ? { code: failure.code } : {}),
    ...(failure.providerMessage ? { providerMessage: localMessage(catalogue, failure.providerMessage) } : {}),
  };
}

/** The ID field of a start's body as typed, when it is one short string (for the login form's `id`). */
function typedIdOf(body: unknown, field = 'username'): string | undefined {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, field)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' && value.length <= 254 ? value.trim() : undefined;
}

function keepTypedId(url: string, typedId: string | undefined): string {
  return typedId === undefined ? url : withQuery(url, 'id', typedId);
}

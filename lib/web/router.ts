/**
 * pushLogin(): the drop-in router. It calls the strategy's login core for each route and maps the
 * results onto HTTP: JSON for `Accept: application/json`, HTML (redirects and the wait page)
 * otherwise, so a plain form without JavaScript works end to end. Passport is needed only for
 * `req.logIn` (see passport-bridge.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { qrImage, type WaitPageModel } from './client/wait-page';
import { DeviceCookie } from './device-cookie';
import { NotifyLimit } from './notify-limit';
import { TimerWheel } from './wake';
import { animated, holdPoll, listenWhilePolling, type HeldPolls } from './held-poll';
import { takeExit, takeRequests } from './router-handle';
import { Heartbeats, holdStream, type HeldStream, type HeldStreams } from './held-stream';
import { PassportBridge, type PassportMiddleware } from './passport-bridge';
import { guardOrigin, json, page, redirect, unavailablePage, wantsJson, withQuery } from './http-answers';
import { errorStatus, failureStatus } from './http-status';
import { notificationBody, parseBody, parseRawBody } from './body';
import { originCheckSetting, type OriginCheckOptions } from './origin-check';
import { askedChallenge, waitPages, type WaitPageOptions } from './wait-page-options';
import { errorMessage, failureMessage, localMessage, localObserved, pendingMessage } from './json-messages';
import type { Catalogue } from './messages';
import { PushError } from '../errors';
import type { ChallengeDisplay } from '../providers/provider';
import type { LoginResult, PushFailure, PushPending } from '../core/outcome';
import { sessionOf, storedSessionReader, storedSessionView } from '../core/session-access';
import type { DisplayStore } from '../core/display-store';
import { SessionStoreDisplays } from '../core/session-store-displays';
import { loginRequest } from '../core/express-request';
import { isStoreFault, storeCall } from '../core/store-deadline';
import {
  ARRIVING,
  PushLogin,
  type Approver,
  type LoginCoreHolder,
  type LoginRequest,
  type ObservedState,
} from '../core/login';
import type { ActionIntent } from '../providers/action';
import { unapprovedResult, type ActionEnding } from '../core/action-endings';

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
  /**
   * Refused or unsigned notifications one IP address may send to `POST notify` per minute (a wrong
   * token, a bad body, a webhook anyone could send). A CIBA ping or a verified webhook never counts,
   * so a surge of the provider's own pings is never refused. Default 600.
   */
  notifyPerIpPerMinute?: number;
  /**
   * How often the status stream (`GET events`) re-reads the challenge without a notification, in
   * ms; a check at the provider still happens only when one is due. Default 2000.
   */
  eventsRecheckMs?: number;
  /** Where an approved action goes (HTML); the app's handler then uses the approval. Default `successRedirect`. */
  approvedRedirect?: string;
  /**
   * Where this router is mounted: `approve` answers from the app's own route, and its links (wait
   * page, status, cancel) point here. Default `'/auth/push'`.
   */
  mountPath?: string;
}

/**
 * The router `pushLogin()` answers: the login's routes, and `approve` for an app's own route that
 * asks the signed-in user to approve an action (see docs/action-approval.md).
 *
 * @example
 * ```ts
 * import { pushLogin, type PushLoginRouter } from 'passport-push';
 *
 * const push: PushLoginRouter = pushLogin({ strategy });
 * app.use('/auth/push', push); // push.approve(…) from the app's own routes
 * ```
 */
export interface PushLoginRouter extends Router {
  /**
   * Starts an action's approval for the signed-in user and answers like `POST start`: 202 JSON
   * (with `pollUrl`, `waitUrl`, `cancelUrl`) or a 303 to the wait page. The same status, wait and
   * cancel routes follow it; an approval answers `{ state: 'action_approved' }` (JSON) or a 303 to
   * `approvedRedirect`, and signs nobody in. Make `intent` from server-side data only.
   *
   * @example
   * ```ts
   * import { pushLogin, type ActionIntent } from 'passport-push';
   *
   * declare function transferIntent(id: string): Promise<ActionIntent>; // from your own records
   * declare function personalNumberOf(req: Express.Request): string; // the signed-in user's
   *
   * const push = pushLogin({ strategy, approvedRedirect: '/transfers/confirm' });
   * app.post('/transfers/:id/approve', async (req, res, next) => {
   *   const intent = await transferIntent(req.params.id); // from the server's own records
   *   await push.approve(req, res, intent, { userId: personalNumberOf(req) }).catch(next);
   * });
   * ```
   */
  approve(req: Request, res: Response, intent: ActionIntent, approver: Approver): Promise<void>;
}

/** The resolution of held long polls' waits (one timer for all of them). */
const WHEEL_STEP_MS = 20;
/** A comment line on every status stream this often keeps proxies from closing an idle one. */
const HEARTBEAT_MS = 15_000;
/** The reconnect delay a status stream tells the browser. */
const STREAM_RETRY_MS = 3000;
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
export function pushLogin<User>(options: PushLoginOptions<User>): PushLoginRouter {
  // The router runs on the strategy's login core, never through the passport adapter.
  if (!(options?.strategy?.login instanceof PushLogin)) {
    throw new PushError('config', 'pushLogin requires `strategy`: the PushStrategy instance.');
  }
  const login = options.strategy.login;
  const successRedirect = options.successRedirect ?? '/';
  const failureRedirect = options.failureRedirect ?? '/login';
  const waitPage = waitPages(options, login.provider.texts);
  const defaultDisplays = login.displays instanceof SessionStoreDisplays ? login.displays : undefined;
  /** The display store, told the app's session store first when it is the default one. */
  const displaysOf = (req: Request): DisplayStore => {
    defaultDisplays?.useSessionStore((req as { sessionStore?: unknown }).sessionStore);
    return login.displays;
  };
  const limit = options.bodyLimit ?? '8kb';
  const longPollMs = options.longPollMs ?? 0;
  const devices =
    options.deviceSecret === undefined
      ? undefined
      : new DeviceCookie({
          secret: options.deviceSecret,
          now: login.now,
          // Left out, either is DeviceCookie's default.
          name: options.deviceCookieName,
          maxAgeMs: options.deviceTrustMs,
        });
  const eventsRecheckMs = options.eventsRecheckMs ?? 2000;
  const router = express.Router();

  const urls = (req: Request, base = req.baseUrl): WaitPageModel['urls'] => {
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
  const approvedRedirect = options.approvedRedirect ?? successRedirect;
  const mountPath = (options.mountPath ?? '/auth/push').replace(/\/$/, '');

  const passport = new PassportBridge(options.passport);

  // Every held long poll and status stream of this router waits on one timer wheel.
  const wheel = new TimerWheel(WHEEL_STEP_MS);
  const heldPolls: HeldPolls<User> = {
    login,
    wheel,
    longPollMs,
    // A held poll's later round: it has listened since it arrived (its first round read the note).
    poll: (req, res) => login.poll({ ...coreRequest(req, res), listening: true }),
    answer: (req, res, result) => answerResult(req, res, false, result),
  };
  // Every status stream of this router: the same wheel, one heartbeat for all.
  const heldStreams: HeldStreams<KeptRecord> = {
    wheel,
    heartbeats: new Heartbeats(wheel, HEARTBEAT_MS),
    recheckMs: eventsRecheckMs,
    retryMs: STREAM_RETRY_MS,
    // Every event first makes the challenge's check due (within the floor).
    subscribe: (challengeId, listener) => login.subscribe(challengeId, listener),
    read: (stream, changed) => observeStream(stream, changed),
  };

  /** The ending of the action the request's `?challenge=` names, when it was one that ended here. */
  const endedAction = (req: Request) => login.actionEnding(sessionOf(req), askedChallenge(req));

  /** A superseded poll's 409 body: of the action, when the superseded challenge was one. */
  const supersededBody = (req: Request) => waitPage.supersededBody(req, endedAction(req) !== undefined);

  const pendingJson = (req: Request, res: Response, pending: PushPending) =>
    json(res, 202, pendingBody(pending, waitPage.catalogue(req)), pending.retryAfterMs);

  const answerPendingJson = (req: Request, res: Response, pending: PushPending) => {
    // A poll for a challenge the session no longer holds: another tab started a newer login.
    if (waitPage.superseded(req, pending)) return json(res, 409, supersededBody(req));
    pendingJson(req, res, pending);
  };

  /** How the action the request names ended, answered as its own answer was: never a login's. */
  const answerEnded = async (
    req: Request,
    res: Response,
    html: boolean,
    ended: ActionEnding,
  ): Promise<void> =>
    ended.state === 'approved'
      ? actionApproved(res, html, ended.intentHash)
      : answerResult(req, res, html, unapprovedResult(ended));

  const answerPending = async (req: Request, res: Response, html: boolean, pending: PushPending) => {
    // The page of an action that ended before a newer start (another tab's): that action's ending.
    const ended = waitPage.superseded(req, pending) ? endedAction(req) : undefined;
    if (ended !== undefined && ended.state !== 'suspended') return answerEnded(req, res, html, ended);
    if (!html) return answerPendingJson(req, res, pending);
    const kept = await displaysOf(req)
      .get(pending.challengeId)
      .catch((error: unknown) => login.storeFailed('display', 'get', DISPLAY_NOT_READ, error));
    const display = kept || pending.display ? { ...kept, ...pending.display } : undefined;
    return page(res, waitPage.render(req, pending, display, urls(req)));
  };

  /**
   * An approved action: no login, the app's handler uses the approval (the proof stays on the
   * server). A cancel that came too late does not know the intent's hash (JSON leaves it out then).
   */
  const actionApproved = (res: Response, html: boolean, intentHash?: string) =>
    html
      ? redirect(res, approvedRedirect)
      : json(res, 200, { state: 'action_approved', intentHash, redirect: approvedRedirect });

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
    const local = login.localAnswer(sessionOf(req), ARRIVING);
    // A superseded poll (rare) may name an action that ended: it takes the full path, which can tell.
    if (!local || (longPollMs > 0 && !animated(local)) || waitPage.superseded(req, local)) return false;
    // Not superseded (checked just now): answered without answerPendingJson's second check.
    pendingJson(req, res, local);
    return true;
  };

  const answerPoll = async (req: Request, res: Response, html: boolean, next: NextFunction) => {
    // The wait page inside the interval: rendered from the record and the kept display.
    const local = html ? login.localAnswer(sessionOf(req), ARRIVING) : undefined;
    if (local) return answerPending(req, res, html, local);
    // A long poll listens from before its first round: what the bus says meanwhile is not lost.
    const heard = !html && longPollMs > 0 ? listenWhilePolling(login, req) : undefined;
    let result: LoginResult<User>;
    try {
      result = await login.poll(coreRequest(req, res));
    } finally {
      heard?.stop();
    }
    if (html || longPollMs <= 0 || result.kind !== 'pending' || animated(result)) {
      return answerResult(req, res, html, result);
    }
    if (holdPoll(heldPolls, req, res, next, result, heard)) return;
    // Too many waiters on this challenge: answered now, never held (the cap must hold).
    return answerResult(req, res, html, {
      ...result,
      retryAfterMs: Math.max(result.retryAfterMs, OVER_CAP_RETRY_MS),
    });
  };

  const answerResult = async (req: Request, res: Response, html: boolean, result: LoginResult<User>) => {
    switch (result.kind) {
      case 'approved':
        await passport.logIn(req, res, result.user as Express.User);
        if (devices && result.requestedUserId !== undefined) {
          devices.remember(req, res, result.requestedUserId);
        }
        return authenticated(res, html);
      case 'pending':
        // A provider check may have brought a new display: keep it for reloads and other instances.
        await keepDisplay(displaysOf(req), result, login);
        return answerPending(req, res, html, result);
      case 'failed': {
        if (result.state === 'none') {
          // A second tab of an action that ended in the first: the action's ending, never a login.
          const ended = endedAction(req);
          if (ended) return answerEnded(req, res, html, ended);
          // A second tab that polls after the first one completed the login: nothing to do but go on.
          if (await passport.signedIn(req, res)) return authenticated(res, html);
        }
        return html
          ? redirect(res, failureUrl(result.state))
          : json(res, failureStatus(result.state), failureBody(result, waitPage.catalogue(req)));
      }
      case 'action_approved':
        return actionApproved(res, html, result.approval.intentHash);
      case 'cancelled':
        return html ? redirect(res, failureUrl('cancelled')) : json(res, 200, { state: 'cancelled' });
      case 'error':
        return answerError(res, html, result.error, urls(req).wait, undefined, result.approval);
    }
  };

  const answerError = (
    res: Response,
    html: boolean,
    error: unknown,
    waitUrl?: string,
    typedId?: string,
    approval?: boolean,
  ) => {
    if (!(error instanceof PushError) || error.kind === 'config') throw error;
    if (html && isStoreFault(error)) return storeDownPage(res, error, waitUrl, typedId);
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
    const message = errorMessage(waitPage.catalogue(res.req), error, approval);
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

  /**
   * The page of an HTML request a store fault failed: the wait page comes back by itself after the
   * wait (a redirect would loop on a store that is still down); a start links back to the form.
   */
  const storeDownPage = (res: Response, error: PushError, waitUrl?: string, typedId?: string) => {
    const catalogue = waitPage.catalogue(res.req);
    unavailablePage(
      res,
      {
        lang: waitPage.locale(res.req),
        title: catalogue['page.title'],
        message: errorMessage(catalogue, error),
        retry: catalogue['action.retry'],
      },
      waitUrl ?? keepTypedId(failureUrl(error.code ?? error.kind), typedId),
      error.retryAfterSeconds ?? 1,
      waitUrl !== undefined,
    );
  };

  // Only the POST routes read a body: polls skip the parsers. The origin is checked first.
  const originCheck = originCheckSetting(options.checkOrigin);
  const postGuards = [
    guardOrigin(originCheck, failureUrl('cross_origin'), waitPage.catalogue),
    ...parseBody(limit, waitPage.catalogue),
  ];

  /** The answer to a start (a login's or an action's): the wait page, or 202 JSON with its links. */
  const answerStart = async (
    req: Request,
    res: Response,
    html: boolean,
    result: LoginResult<User>,
    links = urls(req),
  ) => {
    if (result.kind === 'pending') {
      await keepDisplay(displaysOf(req), result, login);
      if (html) return redirect(res, links.wait);
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
    if (result.kind === 'error') {
      return answerError(res, html, result.error, undefined, typedId, result.approval);
    }
    // A start (or an approval) answers pending, failed or error: the core never gets here.
    // Stryker disable next-line StringLiteral: the text of an outcome no start has
    throw new Error('unexpected outcome');
  };

  router.post('/start', ...postGuards, async (req, res, next) => {
    const html = !wantsJson(req);
    try {
      const device = devices?.read(req);
      const result = await login.start({ ...coreRequest(req, res, true), ...(device ? { device } : {}) });
      return await answerStart(req, res, html, result);
    } catch (error) {
      next(error);
    }
  });

  const approve: PushLoginRouter['approve'] = async (req, res, intent, approver) => {
    const result = await login.approve(coreRequest(req, res), intent, approver);
    // Answered from the app's route: the links point where the router is mounted.
    await answerStart(req, res, !wantsJson(req), result, urls(req, mountPath));
  };

  const status: RequestHandler = (req, res, next) => {
    const html = !wantsJson(req);
    if (!html && answeredLocally(req, res)) return;
    answerPoll(req, res, html, next).catch(next);
  };
  const statusRoute = router.route('/status').get(status);
  // The poll goes straight to its handler; a held long poll keeps only the `next` that leaves the
  // router (router-handle.ts).
  takeRequests(router, { path: '/status', route: statusRoute, handler: status });

  /**
   * The status stream (server-sent events): the session's state now and after every notification
   * of its challenge (else every `eventsRecheckMs`), until a final state. It never logs in (its
   * headers are sent, so no new session cookie could follow): on `approved` the page asks
   * `status`, which completes with the answer the stream found, without another provider call.
   */
  router.get('/events', (req, res, next) => {
    try {
      const challengeId = login.challengeIdOf(sessionOf(req));
      if (challengeId === undefined) return json(res, 404, { state: 'none' });
      if (waitPage.superseded(req, { challengeId })) return json(res, 409, supersededBody(req));
      // Before the session goes: an app's `locale` may read it.
      const catalogue = waitPage.catalogue(req);
      // The stream only reads the stored session: this request's copy must never be saved back.
      (req as { session?: unknown }).session = null;
      // Nor does it call the next handler: let go of the routers' per-request chain (about 0.5 KB).
      takeExit(req);
      holdStream(heldStreams, req, res, challengeId, { req, challengeId, catalogue, record: undefined });
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
    stream: HeldStream<KeptRecord>,
    changed: boolean,
  ): Promise<ObservedState | undefined> => {
    const kept = stream.context;
    const { challengeId, catalogue } = kept;
    // The stream's first read: it asks what another instance may have heard before it listened.
    const arriving = kept.record === undefined;
    const sessionId = (kept.req as { sessionID?: unknown }).sessionID;
    const id = typeof sessionId === 'string' ? sessionId : undefined;
    let session =
      kept.record === undefined ? undefined : storedSessionView({ [login.sessionKey]: kept.record }, id);
    if (changed || session === undefined || login.localAnswer(session)?.challengeId !== challengeId) {
      // Bounded: a session store that hangs ends the stream (the page then polls), never holds it.
      session = await storeCall(login.storeTimeoutMs, 'session', 'get', storedSessionReader(kept.req));
      if (session.data === undefined) return vanished(stream);
      const current = login.challengeIdOf(session);
      if (current !== challengeId) return { state: current === undefined ? 'none' : 'superseded' };
      // Only the record is kept, not the whole session.
      kept.record = session.data[login.sessionKey];
    }
    const observed = localObserved(catalogue, await login.observe(session, { arriving }));
    // The same display as the JSON status answers (a QR also as an image).
    // Stryker disable next-line LogicalOperator: `||` adds only `display: undefined`, which JSON leaves out
    if ('display' in observed && observed.display) return { ...observed, display: jsonDisplay(observed) };
    return observed;
  };

  /**
   * The stream's session is gone from the store. Another tab's start (or a sign-in) regenerated
   * it, or it ended; the browser may not hold the new cookie yet, so a poll now would wrongly
   * find no login. A newer start announces that it replaced this challenge (as `suspended`) only
   * once its answer is sent: until then, and while the challenge could still be pending, the
   * stream says nothing new. After any other ending the page asks the status route, as ever.
   */
  const vanished = (stream: HeldStream<KeptRecord>): ObservedState | undefined => {
    if (stream.announced === 'suspended') return { state: 'superseded' };
    if (stream.announced !== undefined) return { state: 'none' };
    const expiresAt = (stream.context.record as { expiresAt?: unknown } | undefined)?.expiresAt;
    return typeof expiresAt === 'number' && expiresAt > login.now() ? undefined : { state: 'none' };
  };

  if (typeof login.provider.readNotification === 'function') {
    const notifyLimit = new NotifyLimit({ perIpPerMinute: options.notifyPerIpPerMinute, now: login.now });
    /**
     * A provider's notification (a ping, a webhook): no session, no browser CSRF check (it is not a
     * browser), authenticated by the provider, small and rate-limited. It only makes the waiting
     * requests of its challenge check now.
     */
    // Stryker disable next-line StringLiteral: any constant is one budget for requests without an address
    const sender = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const tooManyNotifications = (res: Response, waitSeconds: number) =>
      json(res, 429, { error: 'rate_limited', message: 'Too many notifications.' }, waitSeconds * 1000);
    router.post(
      '/notify',
      (req: Request, res: Response, next: NextFunction) => {
        const wait = notifyLimit.blocked(sender(req));
        return wait === undefined ? next() : tooManyNotifications(res, wait);
      },
      // A body refused as the sender's fault (too large, unreadable) counts.
      ...parseRawBody(options.notifyBodyLimit ?? '4kb', (req) => notifyLimit.count(sender(req))),
      async (req: Request, res: Response, next: NextFunction) => {
        try {
          // A key anyone could guess (a user ID) is counted before its lookup, in one step with the
          // budget's check, known or not: the budget tells no one who has a login open, and a burst
          // in flight together cannot pass it. A provider-secret key never counts: a surge of the
          // provider's pings, late ones included, is never refused.
          let taken = false;
          const admit = (secretKey: boolean) => secretKey || (taken = notifyLimit.take(sender(req)));
          const result = await login.notify({ headers: req.headers, ...notificationBody(req) }, admit);
          // The window may have turned since `take` refused: then a second is enough.
          if (result.kind === 'limited')
            return tooManyNotifications(res, notifyLimit.blocked(sender(req)) ?? 1);
          if (result.kind === 'refused') {
            notifyLimit.count(sender(req));
            return json(res, result.status, { error: result.code });
          }
          // A shared store is down: the sender may try again; the challenge's next check makes up for
          // it. Not the sender's doing, so it does not count.
          if (result.kind === 'unavailable') {
            if (taken) notifyLimit.giveBack(sender(req));
            return json(res, 503, { error: 'store_unavailable' }, result.retryAfterSeconds * 1000);
          }
          // Known key or not (a wrong token looks the same): one answer, so the route tells no
          // one which users have a login open.
          res.status(204).end();
        } catch (/* Stryker disable next-line BlockStatement: login.notify answers every fault as a result (Express 4 needs the catch should that change) */ error) {
          next(error);
        }
      },
    );
  }

  router.get('/wait', async (req, res, next) => {
    try {
      await answerPoll(req, res, true, next);
    } catch (error) {
      next(error);
    }
  });

  router.post('/cancel', ...postGuards, async (req, res, next) => {
    try {
      const html = !wantsJson(req);
      const result = await login.cancel(coreRequest(req, res));
      // The wait page posts the ID with Cancel: the login form keeps it, when the app allows.
      const typedId = options.retryWithUserId ? typedIdOf(req.body, options.userIdField) : undefined;
      if (result.kind === 'error') {
        return answerError(res, html, result.error, undefined, typedId, result.approval);
      }
      if (result.kind === 'failed') {
        // Too late: the login completed (or ended otherwise) first, and the answer says so.
        if (result.code === 'already_completed') {
          return result.approval ? actionApproved(res, html) : authenticated(res, html);
        }
        return html
          ? redirect(res, failureUrl(result.state))
          : json(res, failureStatus(result.state), failureBody(result, waitPage.catalogue(req)));
      }
      return html
        ? redirect(res, keepTypedId(failureUrl('cancelled'), typedId))
        : json(res, 200, { state: 'cancelled' });
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

  return Object.assign(router, { approve });
}

/** What a status stream keeps between reads: its challenge's record, as the last store read found it. */
interface KeptRecord {
  readonly req: Request;
  readonly challengeId: string;
  /** Chosen before the stream let go of the session (an app's `locale` may read it). */
  readonly catalogue: Catalogue;
  record: unknown;
}

/** The core's view of the request; what ends a challenge is announced once the response is done. */
// Stryker disable next-line BooleanLiteral: polls, cancels and approvals read no body or query (it only costs a parse)
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

/**
 * The display as the JSON answers carry it: a QR also as `qrImage`, an SVG data URL the page shows
 * as it is (the CSP allows `img-src data:` only). Once the phone has the request (`fetched`) the QR
 * is left out: scanning it again is of no use (a provider's guidelines may say to hide it then).
 */
function jsonDisplay(
  pending: Pick<PushPending, 'display' | 'state'>,
): (ChallengeDisplay & { qrImage?: string }) | undefined {
  // Stryker disable next-line ConditionalExpression: no caller comes without a display (a start's is always an object; the others check first)
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
  if (typeof body !== 'object' || body === null) return undefined;
  // Stryker disable next-line ConditionalExpression: an inherited property is a function or an object, never a string, so the check below refuses it as well
  if (!Object.hasOwn(body, field)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' && value.length <= 254 ? value.trim() : undefined;
}

function keepTypedId(url: string, typedId: string | undefined): string {
  return typedId === undefined ? url : withQuery(url, 'id', typedId);
}

/**
 * PushStrategy: a thin passport adapter over the login core (`PushLogin`). It picks the action
 * (start, poll or cancel), runs it, and maps the core's result onto exactly one passport action:
 * `success`, `fail`, `error`, or `pass` for the non-final outcomes (read them with `pushOutcome(req)`).
 * `pushLogin({ strategy })` uses the core directly and needs none of this.
 */
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import { loginRequest } from './express-request';
import { PushLogin, type Approver, type UsedApproval } from './login';
import { sessionOf } from './session-access';
import { setPushOutcome, type LoginResult } from './outcome';
import { resolveOptions, type PushStrategyOptions } from './strategy-options';
import { callVerify, type VerifyFunction, type VerifyFunctionWithRequest } from './verify';
import { PushError } from '../errors';
import type { ActionIntent } from '../providers/action';
import type { PushProvider } from '../providers/provider';

/**
 * The three steps of a push login.
 */
export type PushAction = 'start' | 'poll' | 'cancel';

/**
 * Options given to `passport.authenticate('push', options)` besides passport's own.
 *
 * @example
 * ```ts
 * app.post('/login/push', passport.authenticate('push', { action: 'start', failureRedirect: '/login' }));
 * ```
 */
export interface PushAuthenticateOptions {
  /** Default: `start` for a POST that carries the username field, `poll` otherwise. */
  action?: PushAction;
}

/**
 * The passport strategy for push login; give the instance to `pushLogin({ strategy })`.
 *
 * @example
 * ```ts
 * import { Passport } from 'passport';
 * import { PushStrategy, SecSignIdProvider } from 'passport-push';
 *
 * const passport = new Passport();
 * const strategy = new PushStrategy(
 *   { provider: new SecSignIdProvider({ serviceName: 'Shop', serviceAddress: 'https://shop.example' }) },
 *   async (subject) => findUser(subject),
 * );
 * passport.use(strategy);
 * ```
 */
export class PushStrategy<User = Express.User> extends Strategy {
  /** The name for `passport.authenticate(name)`: the `name` option, default `'push'`. */
  readonly name: string;
  /** The provider this strategy pushes to (the `provider` option). */
  readonly provider: PushProvider;
  /**
   * The login core: what `pushLogin()` calls, without passport.
   *
   * @internal
   */
  readonly login: PushLogin<User>;
  private readonly usernameField: string;

  constructor(options: PushStrategyOptions & { passReqToCallback?: false }, verify: VerifyFunction<User>);
  constructor(
    options: PushStrategyOptions & { passReqToCallback: true },
    verify: VerifyFunctionWithRequest<User, Request>,
  );
  constructor(
    options: PushStrategyOptions,
    verify: VerifyFunction<User> | VerifyFunctionWithRequest<User, Request>,
  ) {
    super();
    if (typeof verify !== 'function') {
      throw new PushError('config', 'PushStrategy requires a verify callback as its second argument.');
    }
    const resolved = resolveOptions(options);
    this.name = resolved.name;
    this.provider = resolved.provider;
    this.usernameField = resolved.usernameField;
    this.login = new PushLogin<User>(
      resolved,
      (request, subject, info) =>
        callVerify<User>((done) =>
          resolved.passReqToCallback
            ? (verify as VerifyFunctionWithRequest<User, Request>)(request as Request, subject, info, done)
            : (verify as VerifyFunction<User>)(subject, info, done),
        ),
      options.limiter,
    );
  }

  /** The session key the challenge record lives under. */
  get sessionKey(): string {
    return this.login.sessionKey;
  }

  /**
   * The action handler's final gate: uses this session's approval of exactly `intent` by the
   * signed-in `approver`, once across instances. Rebuild the intent from your server-side data, never
   * from the request. Rejects with `PushError` `not_approved` when there is none to use.
   *
   * @example
   * ```ts
   * import type { ActionIntent } from 'passport-push';
   *
   * declare function transferIntent(id: string): Promise<ActionIntent>; // from your own records
   * declare function executeTransfer(id: string): Promise<void>;
   * declare function personalNumberOf(req: Express.Request): string; // the signed-in user's
   *
   * app.post('/transfers/:id/execute', async (req, res) => {
   *   const intent = await transferIntent(req.params.id); // from the server's own records
   *   await strategy.useApproval(req, intent, { userId: personalNumberOf(req) });
   *   await executeTransfer(req.params.id);
   *   res.sendStatus(204);
   * });
   * ```
   */
  useApproval(req: Request, intent: ActionIntent, approver: Approver): Promise<UsedApproval> {
    return this.login.useApproval(sessionOf(req), intent, approver);
  }

  override authenticate(req: Request, options: PushAuthenticateOptions = {}): void {
    const action = options.action ?? defaultAction(req, this.usernameField);
    const request = loginRequest(req, action === 'start');
    const run =
      action === 'start'
        ? this.login.start(request)
        : action === 'cancel'
          ? this.login.cancel(request)
          : this.login.poll(request);
    // Passport ignores the returned promise: every path must end in an action, rejections included.
    run.then(
      (result) => this.act(req, result),
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private act(req: Request, result: LoginResult<User>): void {
    switch (result.kind) {
      case 'approved':
        return this.success(result.user as Express.User, result.info);
      case 'failed':
        return this.fail(withoutKind(result), result.state === 'bad_request' ? 400 : 401);
      case 'error':
        return this.error(result.error instanceof Error ? result.error : new Error(String(result.error)));
      case 'action_approved':
        // Not a login: the approval waits in the session for `useApproval`.
        return this.pass();
      case 'pending':
      case 'cancelled':
        setPushOutcome(req, withoutKind(result));
        return this.pass();
    }
  }
}

/** The outcome as the app sees it in `pushOutcome(req)` and `fail(challenge)`: no `kind`. */
function withoutKind<T extends { kind: string }>(result: T): WithoutKind<T> {
  const copy: Partial<T> = { ...result };
  delete copy.kind;
  return copy as WithoutKind<T>;
}

type WithoutKind<T> = T extends unknown ? Omit<T, 'kind'> : never;

function defaultAction(req: Request, usernameField: string): PushAction {
  const body = req.body as Record<string, unknown> | undefined;
  return req.method === 'POST' && body !== null && typeof body === 'object' && usernameField in body
    ? 'start'
    : 'poll';
}

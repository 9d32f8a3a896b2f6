/** Calls the app's verify callback in either form, node-style `done` or a returned promise. */
import { PushError } from '../errors';

/**
 * What the strategy tells the verify callback about the approval.
 *
 * @example
 * ```ts
 * import { PushStrategy } from 'passport-push';
 *
 * new PushStrategy({ provider }, async (subject, info) => {
 *   console.log(info.provider, info.requestedUserId, info.claims);
 *   return findUser(subject);
 * });
 * ```
 */
export interface PushVerifyInfo {
  /** The provider's `name` (`'secsign-id'`, `'ciba'`, `'bankid'`, …). */
  provider: string;
  /** The ID the user typed (absent when none was needed); `subject` is what the provider confirmed. */
  requestedUserId?: string;
  /** Facts the provider vouches for (ID token claims for CIBA). */
  claims: Readonly<Record<string, unknown>>;
}

/**
 * The node-style verify callback's `done`; `info` may carry a message for the failure page when `user` is false.
 *
 * @example
 * ```ts
 * import { PushStrategy } from 'passport-push';
 *
 * new PushStrategy({ provider }, (subject, info, done) => {
 *   findUser(subject).then((user) => done(null, user, { message: 'Unknown user' }), done);
 * });
 * ```
 */
export type VerifyDone<User> = (
  error: unknown,
  user?: User | false | null,
  info?: { message?: string },
) => void;

/**
 * A user, or false/null/undefined for "no such user". `boolean` is accepted because TypeScript widens
 * `async () => false` to `Promise<boolean>`; resolving to `true` is an error (it names nobody).
 */
export type VerifyResult<User> = User | boolean | null | undefined;

/**
 * The verify callback: finds the app's user for a confirmed subject.
 *
 * @example
 * ```ts
 * import { PushStrategy, type VerifyFunction } from 'passport-push';
 *
 * const verifyUser: VerifyFunction<DocsUser> = async (subject) => findUser(subject);
 * new PushStrategy({ provider }, verifyUser);
 * ```
 */
export type VerifyFunction<User> = (
  subject: string,
  info: PushVerifyInfo,
  done: VerifyDone<User>,
) => void | Promise<VerifyResult<User>>;

/**
 * The verify callback with the request first (`passReqToCallback: true`).
 *
 * @example
 * ```ts
 * import { PushStrategy } from 'passport-push';
 *
 * new PushStrategy({ provider, passReqToCallback: true }, async (req, subject) => findUser(subject));
 * ```
 */
export type VerifyFunctionWithRequest<User, Req> = (
  req: Req,
  subject: string,
  info: PushVerifyInfo,
  done: VerifyDone<User>,
) => void | Promise<VerifyResult<User>>;

/** What the verify callback decided. */
export interface Verified<User> {
  /** The user to log in, or false when the app refused the subject. */
  user: User | false;
  /** The app's reason for a refusal, shown to the user; absent when it gave none. */
  message?: string;
}

/** Settles on whichever comes first, `done` or the returned promise; a throw is a rejection. */
export function callVerify<User>(invoke: (done: VerifyDone<User>) => unknown): Promise<Verified<User>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done: VerifyDone<User> = (error, user, info) => {
      if (settled) return;
      settled = true;
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      if ((user as unknown) === true) {
        return reject(
          new PushError('config', 'The verify callback returned true; return the user object or false.'),
        );
      }
      resolve({ user: user ? user : false, message: info?.message });
    };
    try {
      const result = invoke(done);
      if (isThenable(result)) {
        result.then(
          (user) => done(null, user as User | false | null | undefined),
          (error: unknown) => done(error ?? new Error('The verify callback rejected without a reason.')),
        );
      }
    } catch (error) {
      done(error ?? new Error('The verify callback threw without a reason.'));
    }
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/**
 * Lets `passport.authenticate('push', { action: 'start' })` type-check: the strategy's one option
 * joins passport's AuthenticateOptions (declaration merging, types only).
 */
import type { PushAction } from './strategy';

declare module 'passport' {
  interface AuthenticateOptions {
    /** passport-push: which step this request is. Default: `start` for a POST carrying the ID, else `poll`. */
    action?: PushAction;
  }
}

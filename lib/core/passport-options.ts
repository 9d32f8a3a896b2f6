/**
 * Lets `passport.authenticate('push', { action: 'start', pending: 'callback' })` type-check: the
 * strategy's options join passport's AuthenticateOptions (declaration merging, types only).
 */
import type { PushAction } from './strategy';

declare module 'passport' {
  interface AuthenticateOptions {
    /** passport-push: which step this request is. Default: `start` for a POST carrying the ID, else `poll`. */
    action?: PushAction;
    /** passport-push: how non-final outcomes reach the app (`'next'` handler, or the custom `'callback'`). */
    pending?: 'next' | 'callback';
  }
}

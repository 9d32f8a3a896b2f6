/**
 * Where a request leaves a router: the enclosing router's `next`, as the router was given it. A
 * request held for long keeps this one function to hand an error on, not the router's per-request
 * chain (its `next`, the route's, and the restore of `baseUrl`, `next` and `params` that leads to
 * the enclosing `next`: about 0.6 KB per request), which a bare held request does not keep either.
 */
import type { NextFunction, Request, Router } from 'express';

/** A router as Express calls it: `handle(req, res, out)`, looked up on the router at every request. */
interface Handling {
  handle(req: Request, res: unknown, out: NextFunction): unknown;
}

const exits = new WeakMap<object, NextFunction>();

/**
 * Makes `router` record, for each request it handles, the `next` that leaves it (unless the router
 * has error handlers of its own: its chain is kept then).
 */
export function recordExits(router: Router): void {
  const handling = router as unknown as Handling;
  const handle = handling.handle;
  if (typeof handle !== 'function') return;
  handling.handle = function (this: unknown, req, res, out) {
    // An error handler the app added to this router must still see the router's errors.
    if (!handlesErrors(router)) exits.set(req, out);
    return handle.call(this, req, res, out);
  };
}

/** Whether the router has error-handling middleware of its own (four parameters). */
function handlesErrors(router: Router): boolean {
  const stack = (router as unknown as { stack?: readonly { handle?: unknown }[] }).stack ?? [];
  return stack.some((layer) => typeof layer.handle === 'function' && layer.handle.length === 4);
}

/**
 * The `next` that leaves the router for `req`, taken for a request about to be held: the router's
 * own chain is let go (`req.next` too). Undefined when the router did not record one (the caller
 * keeps its `next` then).
 */
export function takeExit(req: Request): NextFunction | undefined {
  const out = exits.get(req);
  if (out === undefined) return undefined;
  exits.delete(req);
  (req as { next?: unknown }).next = undefined;
  return out;
}

/**
 * Hands `error` on to the app's error handlers after the router, as the router's own `next`
 * would at its end (no handler of the router itself follows a held route).
 */
export function leaveWithError(req: Request, out: NextFunction, error: unknown): void {
  (req as { next?: NextFunction }).next = out;
  out(error);
}

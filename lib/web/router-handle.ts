/**
 * How pushLogin's router takes a request from Express. The status poll, most of a login's requests,
 * goes straight to its handler: Express's walk of a nested router (matching each layer, the
 * closures that restore `baseUrl`, `next` and `params` on the way out) cost as much CPU as the
 * poll's own work. Every other request takes the walk, and the router records the `next` that
 * leaves it: a held long poll keeps that one function, not the router's per-request chain (about
 * 0.6 KB per request), which a bare held request does not keep either.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import type { NextFunction, Request, RequestHandler, Router } from 'express';

/** A router as Express calls it: `handle(req, res, out)`, looked up on the router at every request. */
interface Handling {
  handle(req: Request, res: unknown, out: NextFunction): unknown;
}

/** The route a router answers before walking its stack: `GET` of exactly `path`. */
export interface DirectRoute {
  path: string;
  /** The Express route of `path` (`router.route(path)`): what `req.route` is when it answers. */
  route: unknown;
  handler: RequestHandler;
}

const exits = new WeakMap<object, NextFunction>();

/** Where Express 5's router publishes each layer it runs: a subscriber (an APM agent) sees them all. */
const routerTrace = tracingChannel('express.router.request');

/**
 * Makes `router` answer a `GET` of `direct.path` with `direct.handler` at once, and record, for
 * every other request, the `next` that leaves it. A router with error handlers of its own (an app
 * added them) walks its stack for every request, so they see every error, and records nothing.
 * While something traces Express's routers, the status poll takes the walk too: every layer is seen.
 */
export function takeRequests(router: Router, direct: DirectRoute): void {
  const handling = router as unknown as Handling;
  const handle = handling.handle;
  if (typeof handle !== 'function') return;
  handling.handle = function (this: unknown, req, res, out) {
    if (handlesErrors(router)) {
      // An exit another router recorded on the request's way here is not this router's.
      exits.delete(req);
      return handle.call(this, req, res, out);
    }
    // The same request the route matches, less its variants (`/Status`, `/status/`, `HEAD`).
    if (req.method === 'GET' && isPath(req.url, direct.path) && !routerTrace.hasSubscribers) {
      exits.delete(req);
      (req as { route?: unknown }).route = direct.route;
      // The route's own parameters (it has none), as the walk sets them: not the enclosing router's.
      req.params = {};
      return direct.handler(req, res as Parameters<RequestHandler>[1], out);
    }
    exits.set(req, out);
    return handle.call(this, req, res, out);
  };
}

/** Whether `url` (path and query, relative to the router) is `path` itself. */
function isPath(url: string, path: string): boolean {
  return url.startsWith(path) && (url.length === path.length || url[path.length] === '?');
}

/** Whether the router has error-handling middleware of its own (four parameters). */
function handlesErrors(router: Router): boolean {
  const stack = (router as unknown as { stack?: readonly { handle?: unknown }[] }).stack ?? [];
  return stack.some((layer) => typeof layer.handle === 'function' && layer.handle.length === 4);
}

/**
 * The `next` that leaves the router for `req`, taken for a request about to be held: the router's
 * own chain is let go (`req.next` too). Undefined when the router did not record one (the caller
 * keeps its `next` then: the router's exit itself on the direct route).
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

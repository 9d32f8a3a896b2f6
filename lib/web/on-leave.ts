/**
 * What a held request does when its client leaves, without a closure or `once` wrapper per
 * request: one `close` listener function for every held request, and a `WeakMap` from the response
 * to what it holds.
 */

/** What a client's leaving ends. */
export interface Leavable {
  /** The client closed the connection. */
  close(): void;
}

/** The smallest part of a response this needs. */
interface Closing {
  on(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

const heldBy = new WeakMap<object, Leavable>();

function onLeave(this: object): void {
  heldBy.get(this)?.close();
}

/** Calls `held.close()` when `res` closes (at most once; `forget` stops it). */
export function closeOnLeave(res: Closing, held: Leavable): void {
  heldBy.set(res, held);
  res.on('close', onLeave);
}

/** Stops watching `res` (the held request ended first). */
export function forget(res: Closing): void {
  res.off('close', onLeave);
  heldBy.delete(res);
}

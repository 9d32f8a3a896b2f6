/**
 * Every shared store call is bounded, in one place and for any store: a Redis that is down,
 * restarting or paused must never hold a request forever (node-redis queues commands while it
 * reconnects; a paused server never answers). A call that fails or runs out of time becomes one
 * typed, retryable error (`store_unavailable`: 503 with `Retry-After`), and the login fails closed:
 * a claim that timed out counts as not claimed.
 */
import { withDeadline } from '../deadline';
import { PushError } from '../errors';
import type { PushStoreName } from './events';
import type { PushStores } from './push-stores';

/** Default deadline of one store call (`storeTimeoutMs`): a healthy Redis answers in a millisecond or two. */
export const DEFAULT_STORE_TIMEOUT_MS = 2000;

/** What a store fault asks the client to wait before trying again, in seconds. */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** The audit name of each part of `PushStores`. */
const STORE_NAMES: Record<keyof PushStores, PushStoreName> = {
  completions: 'completion',
  rateLimits: 'rate_limit',
  notificationIndex: 'notification_index',
  notificationBus: 'notification_bus',
  displays: 'display',
};

/** The calls of each part that reach the store (the bus's `subscribe` is local and synchronous). */
const BOUNDED_CALLS: Record<keyof PushStores, readonly string[]> = {
  completions: ['claim', 'decide'],
  rateLimits: ['hit', 'peek', 'remove'],
  notificationIndex: ['add', 'find', 'remove', 'noteNotification', 'lastNotification'],
  notificationBus: ['publish'],
  displays: ['set', 'get', 'delete'],
};

/**
 * Where a call takes the deadline's signal (the completion store's `claim` and `decide`): a
 * claim's caller that gives up must tell the store, whose write may still land late.
 */
const SIGNAL_AT: Partial<Record<keyof PushStores, Readonly<Record<string, number>>>> = {
  completions: { claim: 2, decide: 3 },
};

/**
 * The error of a store call that failed or timed out: retryable, with the store and operation in
 * `details` (no keys, no values) and the store's own error as `cause`.
 */
export function storeUnavailable(store: PushStoreName, operation: string, cause: unknown): PushError {
  return new PushError('protocol', 'A shared store (Redis) did not answer; try again shortly.', {
    code: 'store_unavailable',
    retryable: true,
    retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
    details: { store, operation },
    cause,
  });
}

/** Whether `error` is a store fault `storeUnavailable` made. */
export function isStoreFault(error: unknown): error is PushError & { details: { store: PushStoreName } } {
  return error instanceof PushError && error.code === 'store_unavailable';
}

/**
 * Runs one store call within `ms`; a failure or a timeout is `storeUnavailable`. A store's own
 * `limit` error (a counter store that refuses when it cannot count) is kept: the limiter answers it.
 */
export async function storeCall<T>(
  ms: number,
  store: PushStoreName,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  // A timer, not an AbortController (which Node builds slowly): a login makes some thirty of these
  // calls, and none of them takes a signal (see `storeCallWithSignal`).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(ms)), ms);
  });
  try {
    return await Promise.race([call(), expired]);
  } catch (error) {
    throw storeFault(store, operation, error);
  } finally {
    clearTimeout(timer);
  }
}

/** `storeCall` for a store call that takes a signal: it aborts when the caller stops waiting. */
async function storeCallWithSignal<T>(
  ms: number,
  store: PushStoreName,
  operation: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let late = false;
  try {
    return await withDeadline(ms, (signal, timedOut) =>
      raceAbort(call(signal), signal).catch((error: unknown) => {
        late = timedOut();
        throw error;
      }),
    );
  } catch (error) {
    throw storeFault(store, operation, late ? timeoutError(ms) : error);
  }
}

/** A store call's failure as the strategy reports it (a limit error is the limiter's to answer). */
function storeFault(store: PushStoreName, operation: string, error: unknown): unknown {
  if (error instanceof PushError && (error.kind === 'limit' || isStoreFault(error))) return error;
  return storeUnavailable(store, operation, error);
}

/**
 * The bundle with every part the app gave, and the display store, bounded by `ms` per call (the
 * memory parts made for it answer at once and are kept as they are). Each bounded part reads through to the app's store, so
 * its other properties (`shared`) and methods still work.
 */
export function boundStores(
  stores: PushStores,
  given: Partial<PushStores> | undefined,
  ms: number,
): PushStores {
  const bounded = { ...stores };
  for (const part of Object.keys(STORE_NAMES) as (keyof PushStores)[]) {
    // The default display store is bounded too: it keeps the displays in the app's session store.
    if (given?.[part] === undefined && part !== 'displays') continue;
    (bounded as Record<keyof PushStores, object>)[part] = boundPart(
      stores[part],
      STORE_NAMES[part],
      BOUNDED_CALLS[part],
      ms,
      SIGNAL_AT[part] ?? {},
    );
  }
  return bounded;
}

function boundPart<T extends object>(
  store: T,
  name: PushStoreName,
  calls: readonly string[],
  ms: number,
  signalAt: Readonly<Record<string, number>>,
): T {
  return new Proxy(store, {
    get(target, property) {
      // Read and called on the store itself, so its own private state (`#fields`) keeps working.
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (typeof property !== 'string' || !calls.includes(property)) return value.bind(target) as unknown;
      const at = signalAt[property];
      if (at === undefined) {
        return (...args: unknown[]) =>
          storeCall(ms, name, property, () => Promise.resolve(value.apply(target, args) as unknown));
      }
      return (...args: unknown[]) =>
        storeCallWithSignal(ms, name, property, (signal) =>
          Promise.resolve(value.apply(target, withSignal(args, at, signal)) as unknown),
        );
    },
  });
}

/** `args` with `signal` at position `at` (the optional arguments before it left undefined). */
function withSignal(args: unknown[], at: number, signal: AbortSignal): unknown[] {
  return [...Array.from({ length: at }, (_, i) => args[i]), signal];
}

/** The cause of a call that ran out of time: audit events show its name, `TimeoutError`. */
function timeoutError(ms: number): Error {
  const error = new Error(`The store did not answer within ${ms} ms.`);
  error.name = 'TimeoutError';
  return error;
}

/** `promise`, or a rejection the moment `signal` aborts (the store's own call may still finish later). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

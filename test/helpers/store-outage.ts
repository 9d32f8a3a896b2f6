/**
 * Shared stores whose calls made during an outage (a real Redis stopped or paused, which can only
 * be given up on) end at a short deadline of their own, while the strategy's own `storeTimeoutMs`
 * stays generous: no healthy call races a clock on a busy machine (there a worker's GC pause,
 * stretched by a loaded CPU, outlasted a 500 ms store deadline), and a case still ends quickly. A
 * completion claim or decision gets the outage's signal as it gets the strategy's deadline: a
 * call given up on counts as not claimed, and the store releases it if it runs late.
 */
import type { PushStores } from '../../lib';
import { untilAborted, withDeadline } from '../../lib/deadline';

/** Where a completion store call takes its signal (`CompletionStore.claim` and `decide`). */
const SIGNAL_AT: Readonly<Record<string, number>> = { claim: 2, decide: 3 };

export interface StoreOutage {
  /** Give these to the strategy: the same stores, their calls bounded while the outage lasts. */
  readonly stores: Partial<PushStores>;
  /** From now on each call is given up on `ms` after it was made (with a `TimeoutError`). */
  begin(ms: number): void;
  /** Calls are the stores' own again. */
  end(): void;
}

export function storeOutage(given: Partial<PushStores>): StoreOutage {
  let outageMs: number | undefined;
  const bounded = (store: object, completions: boolean): object =>
    new Proxy(store, {
      get(target, property) {
        // Read and called on the store itself, so its private state (`#fields`) keeps working.
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        const at = completions && typeof property === 'string' ? SIGNAL_AT[property] : undefined;
        // The bus's subscribe is local and synchronous: only the calls that go to Redis are bounded.
        if (property === 'subscribe') return method.bind(target);
        return (...args: unknown[]) => {
          const ms = outageMs;
          if (ms === undefined) return method.apply(target, args);
          return withDeadline(ms, (signal) =>
            untilAborted(Promise.resolve(method.apply(target, withSignal(args, at, signal))), signal),
          );
        };
      },
    });
  const stores = Object.fromEntries(
    Object.entries(given).map(([part, store]) => [part, bounded(store as object, part === 'completions')]),
  ) as Partial<PushStores>;
  return { stores, begin: (ms) => (outageMs = ms), end: () => (outageMs = undefined) };
}

/** `args` with `signal` added at `at` (joined to the caller's own signal there, if any). */
function withSignal(args: unknown[], at: number | undefined, signal: AbortSignal): unknown[] {
  if (at === undefined) return args;
  const own = args[at];
  const both = own instanceof AbortSignal ? AbortSignal.any([own, signal]) : signal;
  return [...Array.from({ length: at }, (_, i) => args[i]), both];
}

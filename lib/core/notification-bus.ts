/**
 * Tells the requests waiting on a challenge that something happened to it, so a held long poll or a
 * status stream answers at once instead of at its next poll. An event carries no approval: `check`
 * only says "ask the provider now" (a provider notification arrived) and `settled` says "this
 * challenge ended, re-read the session". The approval itself always comes from the provider's
 * authenticated API, so a forged event can cost a provider call but never log anyone in.
 */
import { PushError } from '../errors';
import { TERMINAL_STATES, type ChallengeState } from '../providers/provider';

/**
 * A state that ends a challenge: approved, or one of the terminal states.
 */
export type SettledState = Exclude<ChallengeState, 'pending' | 'fetched'>;

/**
 * Every `SettledState`, for parsers that must accept exactly these.
 */
export const SETTLED_STATES: readonly SettledState[] = ['approved', ...TERMINAL_STATES];

/**
 * Whether a value read back from outside (a bus message, a store) is a `SettledState`.
 */
export function isSettledState(value: unknown): value is SettledState {
  return SETTLED_STATES.some((state) => state === value);
}

/**
 * What a waiting request hears about its challenge.
 *
 * @example
 * ```ts
 * import type { NotificationEvent } from 'passport-push';
 *
 * const wake: NotificationEvent = { type: 'check' };
 * const done: NotificationEvent = { type: 'settled', state: 'denied' };
 * ```
 */
export type NotificationEvent =
  /** A provider notification arrived: check the challenge with the provider now. */
  | {
      /** What happened: check now. */
      type: 'check';
    }
  /** The challenge ended (on this or another instance): re-read the session and answer. */
  | {
      /** What happened: the challenge settled. */
      type: 'settled';
      /** How it ended. */
      state: SettledState;
    };

/**
 * Called once per event published for the challenge it subscribed to. Should not throw.
 */
export type NotificationListener = (event: NotificationEvent) => void;

/**
 * Publish/subscribe per challenge id; in one process or, with Redis, across instances.
 *
 * @example
 * ```ts
 * import type { NotificationBus } from 'passport-push';
 *
 * // What the strategy does with a bus (the default one, RedisNotificationBus or yours).
 * export async function wake(bus: NotificationBus): Promise<void> {
 *   const unsubscribe = bus.subscribe('challenge-id', (event) => console.log(event.type));
 *   await bus.publish('challenge-id', { type: 'check' });
 *   unsubscribe();
 * }
 * ```
 */
export interface NotificationBus {
  /** Delivers the event to every listener of the challenge (on every instance sharing the bus). */
  publish(challengeId: string, event: NotificationEvent): Promise<void>;
  /**
   * Listens until the returned function is called. Throws `PushError` `limit` when the challenge
   * already has as many listeners as the bus allows.
   */
  subscribe(challengeId: string, listener: NotificationListener): () => void;
}

/**
 * Options of `MemoryNotificationBus`.
 */
export interface MemoryNotificationBusOptions {
  /**
   * Listeners one challenge may have at once (default 32): the tabs and long polls of one login,
   * not an attacker opening thousands of streams on one challenge id.
   */
  maxListenersPerChallenge?: number;
}

/**
 * The in-process bus (the default). It holds only live subscriptions: a challenge nobody waits on
 * costs nothing, and no timers run.
 */
export class MemoryNotificationBus implements NotificationBus {
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private readonly maxListenersPerChallenge: number;

  constructor(options: MemoryNotificationBusOptions = {}) {
    const max = options.maxListenersPerChallenge ?? 32;
    if (!Number.isInteger(max) || max < 1) {
      throw new PushError(
        'config',
        'MemoryNotificationBus: maxListenersPerChallenge must be a positive integer.',
      );
    }
    this.maxListenersPerChallenge = max;
  }

  async publish(challengeId: string, event: NotificationEvent): Promise<void> {
    const current = this.listeners.get(challengeId);
    if (!current) return;
    // A copy: listeners unsubscribe (themselves or others) while they run.
    const errors: unknown[] = [];
    for (const listener of [...current]) {
      try {
        listener(event);
      } catch (error) {
        errors.push(error);
      }
    }
    // Every listener heard the event; only then does a faulty one surface.
    if (errors.length > 0) throw errors[0];
  }

  subscribe(challengeId: string, listener: NotificationListener): () => void {
    let set = this.listeners.get(challengeId);
    if (set && set.size >= this.maxListenersPerChallenge) {
      throw new PushError('limit', 'Too many requests are waiting on this challenge.', {
        code: 'too_many_waiters',
        retryable: true,
      });
    }
    if (!set) {
      set = new Set();
      this.listeners.set(challengeId, set);
    }
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry: NotificationListener = (event) => listener(event);
    set.add(entry);
    return () => {
      const live = this.listeners.get(challengeId);
      if (!live?.delete(entry)) return;
      if (live.size === 0) this.listeners.delete(challengeId);
    };
  }

  /** Listeners currently subscribed to the challenge. */
  listenerCount(challengeId: string): number {
    return this.listeners.get(challengeId)?.size ?? 0;
  }

  /** Challenges with at least one listener: the only state this bus holds. */
  get challengeCount(): number {
    return this.listeners.size;
  }
}

/**
 * Options of `waitFor`.
 */
export interface WaitForOptions {
  /** Give up after this long (the long poll's hold time). */
  timeoutMs: number;
  /** Give up when this aborts (the client went away). */
  signal?: AbortSignal;
}

/**
 * Waits for the next event of one challenge: resolves with it, or with `undefined` on timeout or
 * abort. Whichever comes first, the subscription, the timer and the abort listener are released.
 * Rejects only when the bus refuses the subscription (`PushError` `limit`).
 */
export function waitFor(
  bus: NotificationBus,
  challengeId: string,
  options: WaitForOptions,
): Promise<NotificationEvent | undefined> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let unsubscribe: () => void;
    try {
      unsubscribe = bus.subscribe(challengeId, (event) => finish(event));
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const onAbort = () => finish(undefined);
    signal?.addEventListener('abort', onAbort, { once: true });

    function finish(event: NotificationEvent | undefined): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      resolve(event);
    }
  });
}

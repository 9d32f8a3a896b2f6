/**
 * The shared state of a push login, configured once: `new PushStrategy({ provider, stores })`.
 * The strategy's core and the router (`pushLogin({ strategy })`) both use this one bundle, so an
 * app on several instances cannot give one part to the strategy and forget another in the router.
 * A part left out is kept in this process's memory; in production that is said once, at startup.
 */
import { PushError } from '../errors';
import { MemoryCompletionStore, type CompletionStore } from './completion';
import type { DisplayStore } from './display-store';
import { MemoryRateLimitStore, type RateLimitStore } from './limits';
import { MemoryNotificationBus, type NotificationBus } from './notification-bus';
import { MemoryNotificationIndex, type NotificationIndex } from './notification-index';
import { SessionStoreDisplays } from './session-store-displays';

/**
 * Every store a push login keeps state in besides the session. Give all of them shared (for
 * example `await redisStores(client)` from `passport-push/redis`) when the app runs on several
 * instances; a part left out of `PushStrategyOptions.stores` is kept in this process's memory.
 *
 * @example
 * ```ts
 * import { PushStrategy, type PushStores } from 'passport-push';
 *
 * declare const stores: PushStores; // e.g. await redisStores(client)
 * new PushStrategy({ provider, stores, secret: process.env.PUSH_SECRET }, async (subject) => findUser(subject));
 * ```
 */
export interface PushStores {
  /** One completion (and one ending) per challenge, across every instance. */
  completions: CompletionStore;
  /** The default start limiter's counters. */
  rateLimits: RateLimitStore;
  /** Which challenge a provider notification is about. */
  notificationIndex: NotificationIndex;
  /** Where the waiting requests of a challenge hear that it changed. */
  notificationBus: NotificationBus;
  /**
   * What the wait page shows (access pass, binding message, QR) between the start and a reload.
   * Left out: kept in the app's session store, beside the sessions (each under its own key).
   */
  displays: DisplayStore;
}

/** The methods each part must have: a part without them is refused at startup, not at a login. */
const METHODS: Record<keyof PushStores, readonly string[]> = {
  completions: ['claim'],
  rateLimits: ['hit', 'peek', 'remove'],
  notificationIndex: ['add', 'find', 'remove'],
  notificationBus: ['publish', 'subscribe'],
  displays: ['set', 'get', 'delete'],
};

/** The warning's code, for `process.on('warning')` filters. */
export const MEMORY_STORES_WARNING = 'PUSH_MEMORY_STORES';

let warned = false;

/**
 * The bundle with every missing part made in memory (on the strategy's clock). With
 * `NODE_ENV=production`, a bundle that had parts made for it warns once per process, like
 * express-session's MemoryStore: parts the app gave itself, memory ones included, are its choice.
 */
export function resolveStores(given: Partial<PushStores> | undefined, now: () => number): PushStores {
  for (const [part, methods] of Object.entries(METHODS)) {
    const store = given?.[part as keyof PushStores] as Record<string, unknown> | undefined;
    const missing = store === undefined ? [] : methods.filter((name) => typeof store?.[name] !== 'function');
    if (missing.length > 0) {
      throw new PushError('config', `\`stores.${part}\` must have ${missing.join(', ')}() (see PushStores).`);
    }
  }
  const stores: PushStores = {
    completions: given?.completions ?? new MemoryCompletionStore(now),
    rateLimits: given?.rateLimits ?? new MemoryRateLimitStore(),
    notificationIndex: given?.notificationIndex ?? new MemoryNotificationIndex({ now }),
    notificationBus: given?.notificationBus ?? new MemoryNotificationBus(),
    displays: given?.displays ?? new SessionStoreDisplays(now),
  };
  const defaulted = (Object.keys(stores) as (keyof PushStores)[]).filter((part) => !given?.[part]);
  if (defaulted.length > 0 && process.env['NODE_ENV'] === 'production' && !warned) {
    warned = true;
    process.emitWarning(
      `passport-push: ${defaulted.join(', ')} ${defaulted.length === 1 ? 'is' : 'are'} kept in this ` +
        "process's memory (PushStrategy without `stores`): behind a load balancer, another instance " +
        'cannot see those claims, limits, notifications or displays. Use `stores: await redisStores(client)` from ' +
        "'passport-push/redis', or pass the memory stores yourself to say one instance is meant.",
      { code: MEMORY_STORES_WARNING },
    );
  }
  return stores;
}

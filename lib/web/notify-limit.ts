/**
 * A per-IP request budget for the notification route: fixed one-minute windows in a bounded map
 * (past `maxClients` the oldest client is forgotten), no timers. Providers notify from a few
 * addresses; the budget only stops one address (or IPv6 prefix) from flooding the route.
 */
import { clientPrefix } from '../core/client-prefix';

/** Options of `NotifyLimit`. */
export interface NotifyLimitOptions {
  /** Notifications one IP may send per minute (default 600). */
  perIpPerMinute?: number;
  /** Clients tracked at most (default 10,000). */
  maxClients?: number;
  /** The clock, for tests. */
  now?: () => number;
}

const WINDOW_MS = 60_000;

/** Counts notifications per IP; `take` says whether one more is allowed now. */
export class NotifyLimit {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  private readonly perIpPerMinute: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: NotifyLimitOptions = {}) {
    this.perIpPerMinute = options.perIpPerMinute ?? 600;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts one notification from `ip` (an IPv6 client by its prefix, as the start limits count it);
   * returns the seconds to wait when over the budget.
   */
  take(address: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const ip = clientPrefix(address);
    const now = this.now();
    let window = this.windows.get(ip);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      this.windows.delete(ip);
      if (this.windows.size >= this.maxClients) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { startedAt: now, count: 0 };
      this.windows.set(ip, window);
    }
    window.count += 1;
    if (window.count <= this.perIpPerMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.ceil((window.startedAt + WINDOW_MS - now) / 1000) };
  }
}

/**
 * A per-IP budget for the notification route: fixed one-minute windows in a bounded map (past
 * `maxClients` the oldest client is forgotten), no timers. Providers notify from a few addresses,
 * thousands of times a minute at a surge, so the router counts only refusals and keys anyone could
 * guess, never a provider's per-login secret: the budget stops one address (or IPv6 prefix) from
 * flooding the route, never the provider's own pings.
 */
import { clientPrefix } from '../core/client-prefix';

/** Options of `NotifyLimit`. */
export interface NotifyLimitOptions {
  /** Counted notifications one IP may send per minute (default 600). */
  perIpPerMinute?: number;
  /** Clients tracked at most (default 10,000). */
  maxClients?: number;
  /** The clock, for tests. */
  now?: () => number;
}

const WINDOW_MS = 60_000;

/**
 * Counts notifications per IP: `blocked` before reading one; `take` before looking one up, `count`
 * for a refusal.
 */
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
   * The seconds `address` must wait when it has used its budget this minute (an IPv6 client by its
   * prefix, as the start limits count it); undefined while it has not.
   */
  blocked(address: string): number | undefined {
    const now = this.now();
    const window = this.current(clientPrefix(address), now);
    if (!window || window.count < this.perIpPerMinute) return undefined;
    return Math.ceil((window.startedAt + WINDOW_MS - now) / 1000);
  }

  /**
   * Counts one notification from `address` when its budget has room, in one step, so notifications
   * in flight together cannot pass the budget; false (nothing counted) when it has none.
   */
  take(address: string): boolean {
    if (this.blocked(address) !== undefined) return false;
    this.count(address);
    return true;
  }

  /** Gives back one notification counted this minute: it turned out not to be the sender's doing. */
  giveBack(address: string): void {
    const window = this.current(clientPrefix(address), this.now());
    if (window && window.count > 0) window.count -= 1;
  }

  /** Counts one notification from `address` against its budget. */
  count(address: string): void {
    const ip = clientPrefix(address);
    const now = this.now();
    let window = this.current(ip, now);
    if (!window) {
      this.windows.delete(ip);
      if (this.windows.size >= this.maxClients) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { startedAt: now, count: 0 };
      this.windows.set(ip, window);
    }
    window.count += 1;
  }

  /** The window `ip` counts in now, if one is open. */
  private current(ip: string, now: number): { startedAt: number; count: number } | undefined {
    const window = this.windows.get(ip);
    return window && now - window.startedAt < WINDOW_MS ? window : undefined;
  }
}

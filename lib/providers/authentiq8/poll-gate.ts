/**
 * "Do not request more than once per second per user-id" (the guide, get-user-status). The gate
 * keeps one last-call time per user and lets a call through only when the interval has passed.
 * Entries older than the interval cannot refuse anything, so they are dropped: the map holds at
 * most the users polled within the last interval, and a hard cap bounds even that.
 */

export interface PollGateOptions {
  intervalMs: number;
  now: () => number;
  /** Beyond this many users in one interval, new users wait too (protects memory). */
  maxEntries?: number;
}

export type GateResult = { allowed: true } | { allowed: false; retryAfterMs: number };

export class PollGate {
  readonly intervalMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  /** Insertion order is call order (entries are re-inserted on each call), so the oldest is first. */
  readonly #lastCall = new Map<string, number>();

  constructor(options: PollGateOptions) {
    this.intervalMs = options.intervalMs;
    this.#now = options.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** Reserves a call for this user now, or says how long to wait. */
  take(userId: string): GateResult {
    const now = this.#now();
    this.#prune(now);
    const last = this.#lastCall.get(userId);
    // A last call "in the future" means the clock stepped back: treat it as stale.
    if (last !== undefined && last <= now) {
      const wait = last + this.intervalMs - now;
      if (wait > 0) return { allowed: false, retryAfterMs: wait };
    }
    if (last === undefined && this.#lastCall.size >= this.#maxEntries) {
      return { allowed: false, retryAfterMs: this.intervalMs };
    }
    this.#lastCall.delete(userId);
    this.#lastCall.set(userId, now);
    return { allowed: true };
  }

  /** Entries currently held (for tests of the bound). */
  get size(): number {
    return this.#lastCall.size;
  }

  #prune(now: number): void {
    for (const [userId, last] of this.#lastCall) {
      if (now - last < this.intervalMs && last <= now) break;
      this.#lastCall.delete(userId);
    }
  }
}

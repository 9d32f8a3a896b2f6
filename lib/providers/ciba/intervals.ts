/**
 * CIBA's `slow_down` widens the poll interval "for this and all later requests". The handle lives in
 * the session and `check()` cannot rewrite it, so the strategy learns the new interval from
 * `retryAfterMs`; this in-process memory repeats it on every later `pending` answer, so the
 * interval stays widened even where the strategy only honours the latest `retryAfterMs`.
 */
const MAX_ENTRIES = 10_000;
const KEEP_MS = 15 * 60 * 1000;

export class WidenedIntervals {
  readonly #seconds = new Map<string, { seconds: number; until: number }>();

  get(authReqId: string, now: number = Date.now()): number | undefined {
    const entry = this.#seconds.get(authReqId);
    if (entry && entry.until <= now) this.#seconds.delete(authReqId);
    return entry && entry.until > now ? entry.seconds : undefined;
  }

  set(authReqId: string, seconds: number, now: number = Date.now()): void {
    this.#seconds.delete(authReqId);
    // Oldest first in insertion order: drop from the front when full.
    while (this.#seconds.size >= MAX_ENTRIES) {
      const oldest = this.#seconds.keys().next().value;
      if (oldest === undefined) break;
      this.#seconds.delete(oldest);
    }
    this.#seconds.set(authReqId, { seconds, until: now + KEEP_MS });
  }

  forget(authReqId: string): void {
    this.#seconds.delete(authReqId);
  }
}

/**
 * Keeps what the wait page shows (access pass, binding message, QR) until the challenge ends, so a
 * page reload or a browser without JavaScript still shows it. The session never holds it: an access
 * pass is a few kilobytes. (Keeping images as bytes instead saved only ~15% in the memory bench, so
 * they stay strings.) Bounded: past `maxEntries` the oldest go, and a miss only means the
 * page says "confirm on your phone" without the picture.
 */
import type { ChallengeDisplay } from '../providers/provider';

/**
 * A bounded, in-memory map from challenge id to what its wait page shows.
 *
 * @example
 * ```ts
 * import { DisplayCache, pushLogin } from 'passport-push';
 *
 * // Keep at most 1,000 displays (access passes, QR codes) for reloads of the wait page.
 * pushLogin({ strategy, displayCache: new DisplayCache(1_000) });
 * ```
 */
export class DisplayCache {
  private readonly entries = new Map<string, { display: ChallengeDisplay; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(challengeId: string, display: ChallengeDisplay, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(challengeId, { display, expiresAt });
  }

  get(challengeId: string): ChallengeDisplay | undefined {
    const entry = this.entries.get(challengeId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(challengeId);
      return undefined;
    }
    return entry.display;
  }

  /** Drops every entry (the memory benchmark measures what the cache held). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
    for (const id of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}

/**
 * Which challenge a provider notification is about: a keyed hash of the challenge's
 * `notificationKey` mapped to its challenge id, from the start until the challenge ends or its
 * deadline passes. Only the HMAC under the app's secret is kept, so the index never holds a
 * provider's per-challenge token, nor a digest of a user ID anybody could recompute from a guess. In this process by
 * default (`MemoryNotificationIndex`, bounded); `RedisNotificationIndex` when a notification may
 * reach another instance than the one that started the challenge.
 */
import * as crypto from 'node:crypto';

/**
 * Maps notification-key hashes to challenge ids until their deadline.
 *
 * @example
 * ```ts
 * import type { NotificationIndex } from 'passport-push';
 *
 * // What the strategy does with an index: `keyHash` is the keyed hash of a provider's notification key.
 * export async function route(index: NotificationIndex, keyHash: string): Promise<void> {
 *   await index.add(keyHash, 'challenge-id', Date.now() + 120_000);
 *   await index.find(keyHash); // 'challenge-id'
 * }
 * ```
 */
export interface NotificationIndex {
  /**
   * True when several app instances share the index: the strategy then needs the app's `secret`
   * (the same on every instance) to key its entries, and refuses to start without it.
   */
  readonly shared?: boolean;
  /**
   * Remembers the challenge for `keyHash` until `expiresAt` (epoch ms). A live entry of another
   * challenge is kept (first wins): a second login with the same key (the same user in another
   * browser) cannot take over the first one's notifications; it completes by polling.
   */
  add(keyHash: string, challengeId: string, expiresAt: number): Promise<void>;
  /** The challenge id for `keyHash`, or `undefined` when unknown or expired. */
  find(keyHash: string): Promise<string | undefined>;
  /**
   * Forgets `keyHash` (the challenge ended). With `challengeId`, only when the entry is that
   * challenge's (compare-and-delete, atomic): a challenge never removes another one's entry.
   */
  remove(keyHash: string, challengeId?: string): Promise<void>;
  /**
   * `find`, and in the same step a note that a notification for that challenge arrived at `at`
   * (epoch ms), kept until the entry's deadline; resolves with the challenge id (`undefined` when
   * none, and then nothing is noted). A shared index implements it: a notification that reaches
   * one instance while the login's browser has no request waiting anywhere would otherwise be
   * heard by no one, and the browser's next request, on another instance, would wait for the
   * next regular check. An in-process index needs none (one process hears and serves it all).
   * Called instead of `find`, before the notification goes on the bus (a request that finds no
   * note is listening by then); a rejection is a `store_error` event, and the strategy still
   * finds the challenge with `find`, tells the bus and answers the sender as that lookup found it.
   */
  noteNotification?(keyHash: string, at: number): Promise<string | undefined>;
  /**
   * When the latest noted notification for `challengeId` (the entry of `keyHash`) arrived, by the
   * clock of the instance that noted it, if one did. A note of another challenge (an ended login
   * of the same key) or one that cannot be read is `undefined`, never a rejection; a rejection
   * means the store failed (a `store_error` event; the regular check makes up for it). Read by
   * every arriving request of a pending login that has a notification key: keep it one cheap read.
   */
  lastNotification?(keyHash: string, challengeId: string): Promise<number | undefined>;
}

/**
 * The index key of a provider's notification key: HMAC-SHA256 under `secret`, base64url. Every
 * instance that shares an index must use the same secret to find the others' entries.
 */
export function notificationKeyHash(key: string, secret: string | Uint8Array): string {
  return crypto.createHmac('sha256', secret).update(key, 'utf8').digest('base64url');
}

/**
 * Options of `MemoryNotificationIndex`.
 */
export interface MemoryNotificationIndexOptions {
  /** Entries kept at most (default 50,000); past it the oldest goes (its challenge falls back to polling). */
  maxEntries?: number;
  /** The clock deadlines are compared with. */
  now?: () => number;
}

/**
 * The in-process index (the default): bounded, insertion-ordered, no timers.
 */
export class MemoryNotificationIndex implements NotificationIndex {
  private readonly entries = new Map<string, { challengeId: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryNotificationIndexOptions = {}) {
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  async add(keyHash: string, challengeId: string, expiresAt: number): Promise<void> {
    const held = await this.find(keyHash);
    if (held !== undefined && held !== challengeId) return;
    this.entries.delete(keyHash);
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(keyHash, { challengeId, expiresAt });
  }

  async find(keyHash: string): Promise<string | undefined> {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.challengeId;
  }

  async remove(keyHash: string, challengeId?: string): Promise<void> {
    if (challengeId !== undefined && this.entries.get(keyHash)?.challengeId !== challengeId) return;
    this.entries.delete(keyHash);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries, then the oldest, until there is room for one. */
  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Which challenge a provider notification is about: the hash of the challenge's `notificationKey`
 * mapped to its challenge id, from the start until the challenge ends or its deadline passes. Only
 * the hash is kept, so the index never holds a provider's per-challenge token. In this process by
 * default (`MemoryNotificationIndex`, bounded); `RedisNotificationIndex` when a notification may
 * reach another instance than the one that started the challenge.
 */
import * as crypto from 'node:crypto';

/** Maps notification-key hashes to challenge ids until their deadline. */
export interface NotificationIndex {
  /** Remembers the challenge for `keyHash` until `expiresAt` (epoch ms). */
  add(keyHash: string, challengeId: string, expiresAt: number): Promise<void>;
  /** The challenge id for `keyHash`, or `undefined` when unknown or expired. */
  find(keyHash: string): Promise<string | undefined>;
  /** Forgets `keyHash` (the challenge ended). */
  remove(keyHash: string): Promise<void>;
}

/** The index key of a provider's notification key: SHA-256, base64url. */
export function notificationKeyHash(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('base64url');
}

/** Options of `MemoryNotificationIndex`. */
export interface MemoryNotificationIndexOptions {
  /** Entries kept at most (default 50,000); past it the oldest goes (its challenge falls back to polling). */
  maxEntries?: number;
  /** The clock deadlines are compared with. */
  now?: () => number;
}

/** The in-process index (the default): bounded, insertion-ordered, no timers. */
export class MemoryNotificationIndex implements NotificationIndex {
  private readonly entries = new Map<string, { challengeId: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryNotificationIndexOptions = {}) {
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  async add(keyHash: string, challengeId: string, expiresAt: number): Promise<void> {
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

  async remove(keyHash: string): Promise<void> {
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

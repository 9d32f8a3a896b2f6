/**
 * Start-limit counters in this process's memory, bounded without ever dropping a live window: a
 * flood must not be able to evict somebody's counter (that would hand them a fresh budget). When
 * every slot holds a live window, a hit on a new key is refused instead (fail closed).
 *
 * Each hit costs O(1) amortised: windows of one length end in the order they began, so one queue
 * per window length holds them in expiry order, and every hit drops a few ended ones from its head.
 * No full scans, no timers.
 */
import { PushError } from '../errors';
import type { RateLimitStore } from './limits';

/** One window's counter; the same object sits in the map and in its window length's expiry queue. */
interface Counter {
  readonly key: string;
  count: number;
  readonly resetAt: number;
}

/** Keys in the order their windows began; `head` skips the ones already swept. */
interface ExpiryQueue {
  entries: Counter[];
  head: number;
}

/** Ended windows swept per hit: more than one, so sweeping outpaces the one window a hit can open. */
const SWEEP_PER_HIT = 2;

/**
 * The default `RateLimitStore`: fixed windows in a `Map`, at most `maxKeys` live at once.
 *
 * @example
 * ```ts
 * import { createStartLimiter, MemoryRateLimitStore } from 'passport-push';
 *
 * createStartLimiter({ store: new MemoryRateLimitStore(200_000) }); // room for 200,000 live windows
 * ```
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private readonly queues = new Map<number, ExpiryQueue>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Counters held right now, ended ones not yet swept included. */
  get size(): number {
    return this.counters.size;
  }

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const queue = this.queueFor(windowMs);
    this.sweep(queue, now, SWEEP_PER_HIT);
    let counter = this.counters.get(key);
    if (counter === undefined || counter.resetAt <= now) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: makeRoom on a non-full store only sweeps (cost, not behaviour)
      if (counter === undefined && this.counters.size >= this.maxKeys) this.makeRoom(now);
      counter = { key, count: 0, resetAt: now + windowMs };
      this.counters.set(key, counter);
      queue.entries.push(counter);
    }
    counter.count += 1;
    return { count: counter.count, resetAt: counter.resetAt };
  }

  private queueFor(windowMs: number): ExpiryQueue {
    let queue = this.queues.get(windowMs);
    if (queue === undefined) {
      queue = { entries: [], head: 0 };
      this.queues.set(windowMs, queue);
    }
    return queue;
  }

  /** Drops up to `budget` ended windows from the queue's head; stops at the first live one. */
  private sweep(queue: ExpiryQueue, now: number, budget: number): void {
    // Stryker disable next-line EqualityOperator,ConditionalExpression,LogicalOperator: the budget and the bound change only how much is swept at once (cost, measured by bench/limiter.ts), not what a hit returns
    while (budget > 0 && queue.head < queue.entries.length) {
      const entry = queue.entries[queue.head];
      if (entry === undefined || entry.resetAt > now) break;
      queue.head += 1;
      // Stryker disable next-line AssignmentOperator: cost only, as above
      budget -= 1;
      // A key whose window began again since has a newer counter further back: keep that one.
      if (this.counters.get(entry.key) === entry) this.counters.delete(entry.key);
    }
    // Reclaim the swept part of the array once it is at least half of it.
    // Stryker disable next-line all: when to compact changes memory and cost, never a count
    if (queue.head > 1024 && queue.head * 2 > queue.entries.length) {
      queue.entries = queue.entries.slice(queue.head);
      queue.head = 0;
    }
  }

  /** Full: sweep every ended window; if all are live, refuse the new key rather than evict one. */
  private makeRoom(now: number): void {
    for (const queue of this.queues.values()) this.sweep(queue, now, Infinity);
    if (this.counters.size < this.maxKeys) return;
    const nextEnd = Math.min(...[...this.queues.values()].map((q) => q.entries[q.head]?.resetAt ?? Infinity));
    const retryAfterSeconds = Number.isFinite(nextEnd) ? Math.max(1, Math.ceil((nextEnd - now) / 1000)) : 60;
    throw new PushError('limit', 'Too many login requests right now. Please try again later.', {
      code: 'rate_limited',
      retryAfterSeconds,
    });
  }
}

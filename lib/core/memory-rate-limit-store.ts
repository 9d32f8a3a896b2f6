/**
 * Start-limit counters in this process's memory, bounded. A full store never refuses a new key
 * (that would refuse every newcomer, a global lockout anyone with enough addresses can cause): it
 * sheds one counter per new key instead, among the oldest the first that only ever saw one hit
 * (what a flood of fresh addresses creates), else the oldest of all. Counters hit again (a spent
 * per-ID window, a busy client) go last. The limiter reports each shed as an audit event.
 *
 * Each hit costs O(1) amortised: windows of one length end in the order they began, so one queue
 * per window length holds them in expiry order, and every hit drops a few ended ones from its head.
 * No full scans, no timers.
 */
import type { RateLimitStore } from './limits';

/** One window's counter; the same object sits in the map and in its window length's expiry queue. */
interface Counter {
  readonly key: string;
  count: number;
  readonly resetAt: number;
}

/**
 * Keys in the order their windows began; `head` skips the ones already swept, `cursor` the ones a
 * search for a single-hit counter passed (a count never goes down, so they never qualify again).
 */
interface ExpiryQueue {
  entries: Counter[];
  head: number;
  cursor: number;
}

/** Ended windows swept per hit: more than one, so sweeping outpaces the one window a hit can open. */
const SWEEP_PER_HIT = 2;

/**
 * The default `RateLimitStore`: fixed windows in a `Map`, at most `maxKeys` live at once.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private readonly queues = new Map<number, ExpiryQueue>();

  /** `maxKeys`: live counters held at most (about 200 bytes each); past it the store sheds. */
  constructor(private readonly maxKeys = 100_000) {}

  /** Counters held right now, ended ones not yet swept included. */
  get size(): number {
    return this.counters.size;
  }

  async hit(
    key: string,
    windowMs: number,
    now: number,
  ): Promise<{ count: number; resetAt: number; shed?: number }> {
    const queue = this.queueFor(windowMs);
    this.sweep(queue, now, SWEEP_PER_HIT);
    let counter = this.counters.get(key);
    let shed = 0;
    if (counter === undefined || counter.resetAt <= now) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: makeRoom on a non-full store only sweeps (cost, not behaviour)
      if (counter === undefined && this.counters.size >= this.maxKeys) shed = this.makeRoom(now);
      counter = { key, count: 0, resetAt: now + windowMs };
      this.counters.set(key, counter);
      queue.entries.push(counter);
    }
    counter.count += 1;
    return shed > 0
      ? { count: counter.count, resetAt: counter.resetAt, shed }
      : { count: counter.count, resetAt: counter.resetAt };
  }

  async peek(key: string, now: number): Promise<{ count: number; resetAt: number }> {
    const counter = this.counters.get(key);
    if (counter === undefined || counter.resetAt <= now) return { count: 0, resetAt: now };
    return { count: counter.count, resetAt: counter.resetAt };
  }

  async remove(key: string): Promise<void> {
    // Its queue entries stay until swept; the sweep skips entries no longer in the map.
    this.counters.delete(key);
  }

  private queueFor(windowMs: number): ExpiryQueue {
    let queue = this.queues.get(windowMs);
    if (queue === undefined) {
      queue = { entries: [], head: 0, cursor: 0 };
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
      queue.cursor = Math.max(0, queue.cursor - queue.head);
      queue.head = 0;
    }
  }

  /**
   * Full: sweep every ended window; if all are live, shed one counter. Longest windows first (the
   * short cooldowns end soon by themselves), in each the oldest that saw a single hit; when none
   * did, the oldest live counter of the longest window. Returns how many live counters were shed.
   */
  private makeRoom(now: number): number {
    for (const queue of this.queues.values()) this.sweep(queue, now, Infinity);
    if (this.counters.size < this.maxKeys) return 0;
    const longestFirst = [...this.queues.entries()].sort(([a], [b]) => b - a).map(([, queue]) => queue);
    for (const queue of longestFirst) {
      const single = this.oldestSingle(queue);
      if (single !== undefined) {
        this.counters.delete(single.key);
        return 1;
      }
    }
    for (const queue of longestFirst) {
      // Entries shed or removed before are no longer in the map: drop them from the head.
      while (queue.head < queue.entries.length) {
        const oldest = queue.entries[queue.head]!;
        queue.head += 1;
        if (this.counters.get(oldest.key) === oldest) {
          this.counters.delete(oldest.key);
          return 1;
        }
      }
    }
    return 0;
  }

  /**
   * The oldest live counter of a queue that saw a single hit. The search goes on from where the
   * last one stopped, so shedding costs O(1) amortised however full the store is.
   */
  private oldestSingle(queue: ExpiryQueue): Counter | undefined {
    queue.cursor = Math.max(queue.cursor, queue.head);
    while (queue.cursor < queue.entries.length) {
      const entry = queue.entries[queue.cursor]!;
      queue.cursor += 1;
      if (this.counters.get(entry.key) === entry && entry.count === 1) return entry;
    }
    return undefined;
  }
}

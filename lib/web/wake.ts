/**
 * One timer for every held request. Thousands of long polls wait at once; a timer, a promise and
 * their closures each would cost more than the request itself. Each waits instead in the bucket of
 * its due time (rounded up to the wheel's step), and one interval, running only while something
 * waits, wakes the due buckets. Time is monotonic (`performance.now()`), like `setTimeout`'s.
 */

/** What a `TimerWheel` wakes. */
export interface Wakeable {
  /** Its time came (it is no longer in the wheel). */
  wake(): void;
}

export class TimerWheel {
  private readonly buckets = new Map<number, Set<Wakeable>>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `stepMs`: the wheel's resolution; a wait ends up to one step late, never early. */
  constructor(private readonly stepMs: number) {}

  /** Wakes `item` once, `ms` from now (up to one step later). Returns the key `remove` needs. */
  add(item: Wakeable, ms: number): number {
    const key = Math.ceil((performance.now() + ms) / this.stepMs);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(key, bucket);
    }
    bucket.add(item);
    this.timer ??= setInterval(() => this.tick(), this.stepMs);
    return key;
  }

  /** Takes `item` out before its time (woken otherwise, or gone). */
  remove(item: Wakeable, key: number): void {
    const bucket = this.buckets.get(key);
    if (!bucket?.delete(item)) return;
    if (bucket.size === 0) this.buckets.delete(key);
    this.stopWhenIdle();
  }

  /** Items waiting. */
  get size(): number {
    let size = 0;
    for (const bucket of this.buckets.values()) size += bucket.size;
    return size;
  }

  private tick(): void {
    const now = performance.now() / this.stepMs;
    for (const [key, bucket] of this.buckets) {
      if (key > now) continue;
      this.buckets.delete(key);
      for (const item of bucket) item.wake();
    }
    this.stopWhenIdle();
  }

  private stopWhenIdle(): void {
    if (this.buckets.size > 0 || this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Concurrent polls of one challenge share one provider call: however many tabs poll, the provider
 * sees one request per interval. Entries live only while the call is in flight.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Whether a call for `key` is in flight (a new `run` would join it). */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = call().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}

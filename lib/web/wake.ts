/**
 * What a held request waits on between two polls: a timer, the client leaving, or a notification
 * of its challenge. A notification that arrives while the request is busy polling is kept, so the
 * next wait returns at once instead of losing it.
 */
export class Wake {
  private notified = false;
  private resolve: (() => void) | undefined;

  /** A notification arrived: wake the waiter now, or the next one. */
  notify(): void {
    this.notified = true;
    this.resolve?.();
  }

  /** Resolves after `ms`, on `signal`'s abort, or on a notification (also one that came before). */
  next(ms: number, signal: AbortSignal): Promise<void> {
    if (this.notified || signal.aborted) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.resolve = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}

/**
 * What a held request waits on between two polls: a timer, or a notification (of its challenge, or
 * of the client leaving). A notification that arrives while the request is busy polling is kept,
 * so the next wait returns at once instead of losing it.
 */
export class Wake {
  private notified = false;
  private resolve: (() => void) | undefined;

  /** A notification arrived: wake the waiter now, or the next one. */
  notify(): void {
    this.notified = true;
    this.resolve?.();
  }

  /** Resolves after `ms` or on a notification (also one that came before). */
  next(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.resolve = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.resolve = done;
    });
  }
}

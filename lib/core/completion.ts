/**
 * One completion per challenge. Polls of one session can race (two tabs, a retried request): the
 * first to claim a challenge id logs in, every other sees it as taken. The default store is this
 * process's memory; apps with several instances plug in a shared one (Redis SET NX PX, a SQL
 * unique key…).
 */
export interface CompletionStore {
  /** Atomically marks `challengeId` as completed; false when it already was. Kept until `expiresAt`. */
  claim(challengeId: string, expiresAt: number): Promise<boolean>;
}

export class MemoryCompletionStore implements CompletionStore {
  private readonly claimed = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(challengeId: string, expiresAt: number): Promise<boolean> {
    this.prune();
    if (this.claimed.has(challengeId)) return false;
    this.claimed.set(challengeId, expiresAt);
    return true;
  }

  /** Ids are only worth keeping until their challenge could no longer be polled anyway. */
  private prune(): void {
    const now = this.now();
    for (const [id, expiresAt] of this.claimed) {
      if (expiresAt > now) break; // insertion order ≈ expiry order; stop at the first live one
      this.claimed.delete(id);
    }
  }
}

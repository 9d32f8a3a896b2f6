/**
 * One completion per challenge, ever. Polls of one session can race (two tabs, a retried request):
 * the first to claim a challenge id logs in, every other sees it as taken. A claim is held until the
 * challenge's deadline has passed plus a margin, and a claim for a deadline already past is refused,
 * so no poll can complete a challenge late, nor twice after its first claim was forgotten. The
 * default store is this process's memory; apps with several instances plug in a shared one (Redis
 * SET NX PX, a SQL unique key…).
 */
export interface CompletionStore {
  /**
   * Atomically marks `challengeId` as completed; false when it already was or when `expiresAt` has
   * passed. The claim is kept at least until `expiresAt` plus {@link CLAIM_MARGIN_MS}.
   */
  claim(challengeId: string, expiresAt: number): Promise<boolean>;
}

/** How long a claim outlives its deadline: covers clock skew between instances and polls in flight. */
export const CLAIM_MARGIN_MS = 60_000;

/** The default `CompletionStore`: claims in a `Map`, forgotten a margin after their deadline. */
export class MemoryCompletionStore implements CompletionStore {
  /** Challenge id → when its claim may be forgotten. */
  private readonly claimed = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(challengeId: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    this.prune(now);
    if (!(expiresAt > now)) return false; // past (or NaN): too late to complete, whatever the map says
    if (this.claimed.has(challengeId)) return false;
    this.claimed.set(challengeId, expiresAt + CLAIM_MARGIN_MS);
    return true;
  }

  /** Forgets claims whose deadline and margin have passed: no poll could still be accepted for them. */
  private prune(now: number): void {
    for (const [id, keepUntil] of this.claimed) {
      if (keepUntil > now) break; // insertion order ≈ expiry order; stop at the first live one
      this.claimed.delete(id);
    }
  }
}

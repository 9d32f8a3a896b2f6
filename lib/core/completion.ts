import type { SettledState } from './notification-bus';

/**
 * One completion per challenge, ever. Polls of one session can race (two tabs, a retried request):
 * the first to claim a challenge id logs in, every other sees it as taken. A claim is held until the
 * challenge's deadline has passed plus a margin, and a claim for a deadline already past is refused,
 * so no poll can complete a challenge late, nor twice after its first claim was forgotten. The
 * default store is this process's memory; apps with several instances plug in a shared one (Redis
 * SET NX PX, a SQL unique key…).
 *
 * @example
 * ```ts
 * import { PushStrategy, type CompletionStore } from 'passport-push';
 *
 * // One completion per challenge across instances: claim() is true once, then false.
 * declare const completions: CompletionStore;
 * new PushStrategy({ provider, stores: { completions } }, async (subject) => findUser(subject));
 * ```
 */
export interface CompletionStore {
  /**
   * Atomically marks `challengeId` as completed; false when it already was or when `expiresAt` has
   * passed. The claim is kept at least until `expiresAt` plus a margin (60 s in the built-in stores).
   * `signal` aborts when the caller gives up waiting (the strategy's `storeTimeoutMs`): the call
   * then counts as not claimed, so a store whose write may still land later (a paused Redis runs it
   * when it resumes) must undo that write if it is still its own, and never a claim that won in time.
   */
  claim(challengeId: string, expiresAt: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Atomically records how `challengeId` ended, if nothing was recorded yet: every ending (approved,
   * denied, expired, cancelled…) is decided once, so it is reported once and a cancel cannot undo
   * a completion. Answers whether this call decided, and the ending that holds (undefined when the
   * first was recorded by `claim`, which keeps no state). Kept like a claim. Optional for custom
   * stores: without it endings other than approval fall back to `claim` (decided once, state unknown).
   * `signal`: as for `claim` (a decision its caller gave up on counts as not decided).
   */
  decide?(
    challengeId: string,
    expiresAt: number,
    ending: SettledState,
    signal?: AbortSignal,
  ): Promise<Decision>;
}

/**
 * What `CompletionStore.decide` answers.
 *
 * @example
 * ```ts
 * import type { Decision } from 'passport-push';
 *
 * const decision: Decision = { decided: false, ending: 'approved' }; // another request completed it
 * ```
 */
export interface Decision {
  /** True when this call recorded the ending; false when one was already recorded (or too late). */
  decided: boolean;
  /** The ending that holds, when known. */
  ending?: SettledState;
}

/**
 * How long a claim outlives its deadline: covers clock skew between instances and polls in flight.
 */
export const CLAIM_MARGIN_MS = 60_000;

/**
 * The default `CompletionStore`: claims in a `Map`, forgotten a margin after their deadline.
 */
export class MemoryCompletionStore implements CompletionStore {
  /** Challenge id → when its claim may be forgotten, and the ending `decide` recorded. */
  private readonly claimed = new Map<string, { keepUntil: number; ending?: SettledState }>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(challengeId: string, expiresAt: number): Promise<boolean> {
    return this.record(challengeId, expiresAt, undefined).decided;
  }

  async decide(challengeId: string, expiresAt: number, ending: SettledState): Promise<Decision> {
    return this.record(challengeId, expiresAt, ending);
  }

  private record(challengeId: string, expiresAt: number, ending: SettledState | undefined): Decision {
    const now = this.now();
    this.prune(now);
    const held = this.claimed.get(challengeId);
    if (held) return { decided: false, ...(held.ending ? { ending: held.ending } : {}) };
    // Past (or NaN): too late to complete, whatever the map says.
    if (!(expiresAt > now)) return { decided: false };
    this.claimed.set(challengeId, { keepUntil: expiresAt + CLAIM_MARGIN_MS, ...(ending ? { ending } : {}) });
    return { decided: true, ...(ending ? { ending } : {}) };
  }

  /** Forgets claims whose deadline and margin have passed: no poll could still be accepted for them. */
  private prune(now: number): void {
    for (const [id, { keepUntil }] of this.claimed) {
      if (keepUntil > now) break; // insertion order ≈ expiry order; stop at the first live one
      this.claimed.delete(id);
    }
  }
}

/**
 * What one process knows about its open challenges beyond the session copy: the next check time,
 * the widened interval and the latest pending facts, plus the provider call in flight. Held long
 * polls reload the session between rounds and would otherwise lose what another round learned; with
 * this, every request of a challenge, held or not, shares one provider call per interval. Bounded
 * (oldest dropped first) and emptied when a challenge ends.
 *
 * It also keeps two things notifications bring: a hint ("check this challenge now", never sooner
 * than `minCheckIntervalMs` after the last provider call, so a flood costs at most the calls the
 * provider permits), and a final status a status stream found but cannot complete itself (the
 * stream's headers are sent, so only the next status request can log in and set the cookie).
 */
import type { ChallengeRecord } from './challenge';
import { SingleFlight } from './single-flight';
import type { ApprovedStatus, ChallengeStatus, TerminalStatus } from '../providers/provider';

/** A final answer waiting for the status request that completes it. */
export type SettledStatus = ApprovedStatus | TerminalStatus;

type Learned = Pick<ChallengeRecord, 'nextCheckAt' | 'intervalMs' | 'fetched' | 'message' | 'expiresAt'>;

/** The default bound: about 100 bytes an entry. */
const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * When the provider was last asked about the record, or later: the record does not say, but its
 * next check minus the interval is that time or later (a Retry-After only moves it later), so a
 * floor counted from it errs on the safe side.
 */
function lastCallAt(record: Pick<ChallengeRecord, 'nextCheckAt' | 'intervalMs'>): number {
  return record.nextCheckAt - record.intervalMs;
}

export class LiveChallenges {
  private readonly learned = new Map<string, Learned>();
  private readonly checks = new SingleFlight<ChallengeStatus>();
  /** Challenge id → when a notification last asked for a check. */
  private readonly hints = new Map<string, number>();
  /** Challenge id → a final status found by a request that could not complete it. */
  private readonly settled = new Map<string, { status: SettledStatus; expiresAt: number }>();

  constructor(
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    /** The fewest ms between two provider calls of one challenge that a hint may cause. */
    private readonly minCheckIntervalMs = 1000,
  ) {}

  /**
   * The session's record with what this process learned since (a later next check wins), brought
   * forward by a pending hint to `max(hint, last call + minCheckIntervalMs)`.
   */
  merge(record: ChallengeRecord): ChallengeRecord {
    const known = this.learned.get(record.id);
    const merged = !known || known.nextCheckAt <= record.nextCheckAt ? record : { ...record, ...known };
    const hintedAt = this.hints.get(record.id);
    if (hintedAt === undefined) return merged;
    const dueAt = Math.max(hintedAt, lastCallAt(merged) + this.minCheckIntervalMs);
    return dueAt < merged.nextCheckAt ? { ...merged, nextCheckAt: dueAt } : merged;
  }

  /**
   * A notification said the challenge changed: check it at the next request (within the floor).
   * The latest hint is kept: an older one (a note another instance wrote) must not let a check
   * already in flight answer a hint that arrived after that check began.
   */
  hint(challengeId: string, now: number): void {
    const held = this.hints.get(challengeId);
    if (held !== undefined && held >= now) return;
    if (held === undefined && this.hints.size >= this.maxEntries) {
      const oldest = this.hints.keys().next().value;
      if (oldest !== undefined) this.hints.delete(oldest);
    }
    this.hints.set(challengeId, now);
  }

  /**
   * A notification another instance noted at `heardAt` (by its clock): a hint, unless a provider
   * call since then answered it. A note further ahead of `now` than the floor (a clock far off, a
   * corrupt value) is none: as a hint from the future it would hold back this process's own hints.
   */
  noted(record: ChallengeRecord, heardAt: number, now: number): void {
    if (heardAt > now + this.minCheckIntervalMs) return;
    if (heardAt > lastCallAt(this.merge(record))) this.hint(record.id, Math.min(heardAt, now));
  }

  /** Remembers a pending record's timing and facts; hints up to `checkedAt` are answered. */
  remember(record: ChallengeRecord, checkedAt = record.nextCheckAt - record.intervalMs): void {
    if (!this.learned.has(record.id) && this.learned.size >= this.maxEntries) this.evict(record.nextCheckAt);
    const { nextCheckAt, intervalMs, fetched, message, expiresAt } = record;
    this.learned.set(record.id, { nextCheckAt, intervalMs, fetched, message, expiresAt });
    // A hint that arrived while the call was in flight may be newer than its answer: it stays.
    const hintedAt = this.hints.get(record.id);
    if (hintedAt !== undefined && hintedAt <= checkedAt) this.hints.delete(record.id);
  }

  /** Keeps a final status for the request that will complete the challenge (until `expiresAt`). */
  settle(challengeId: string, status: SettledStatus, expiresAt: number): void {
    if (!this.settled.has(challengeId) && this.settled.size >= this.maxEntries) {
      const oldest = this.settled.keys().next().value;
      if (oldest !== undefined) this.settled.delete(oldest);
    }
    this.settled.set(challengeId, { status, expiresAt });
  }

  /** The kept final status, removed as it is read (one completion per challenge). */
  takeSettled(challengeId: string, now: number): SettledStatus | undefined {
    const entry = this.settled.get(challengeId);
    if (!entry) return undefined;
    this.settled.delete(challengeId);
    return entry.expiresAt > now ? entry.status : undefined;
  }

  /** Whether a final status is kept for the challenge. */
  hasSettled(challengeId: string): boolean {
    return this.settled.has(challengeId);
  }

  /** The challenge ended: nothing more to share. */
  forget(challengeId: string): void {
    this.learned.delete(challengeId);
    this.hints.delete(challengeId);
    this.settled.delete(challengeId);
  }

  /** Whether a provider call of the challenge is in flight (a check now would share its answer). */
  checking(challengeId: string): boolean {
    return this.checks.has(challengeId);
  }

  /** One provider call per challenge at a time; concurrent requests share its answer. */
  check(challengeId: string, call: () => Promise<ChallengeStatus>): Promise<ChallengeStatus> {
    return this.checks.run(challengeId, call);
  }

  get size(): number {
    return this.learned.size;
  }

  /** Drops expired entries, then the oldest, until there is room for one. */
  private evict(now: number): void {
    for (const [id, entry] of this.learned) if (entry.expiresAt <= now) this.learned.delete(id);
    for (const id of this.learned.keys()) {
      if (this.learned.size < this.maxEntries) break;
      this.learned.delete(id);
    }
  }
}

/**
 * What one process knows about its open challenges beyond the session copy: the next check time,
 * the widened interval and the latest pending facts, plus the provider call in flight. Held long
 * polls reload the session between rounds and would otherwise lose what another round learned; with
 * this, every request of a challenge, held or not, shares one provider call per interval. Bounded
 * (oldest dropped first) and emptied when a challenge ends.
 */
import type { ChallengeRecord } from './challenge';
import { SingleFlight } from './single-flight';
import type { ChallengeStatus } from '../providers/provider';

type Learned = Pick<ChallengeRecord, 'nextCheckAt' | 'intervalMs' | 'fetched' | 'message' | 'expiresAt'>;

/** The default bound: about 100 bytes an entry. */
const DEFAULT_MAX_ENTRIES = 50_000;

export class LiveChallenges {
  private readonly learned = new Map<string, Learned>();
  private readonly checks = new SingleFlight<ChallengeStatus>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** The session's record with what this process learned since (a later next check wins). */
  merge(record: ChallengeRecord): ChallengeRecord {
    const known = this.learned.get(record.id);
    if (!known || known.nextCheckAt <= record.nextCheckAt) return record;
    return { ...record, ...known };
  }

  /** Remembers a pending record's timing and facts. */
  remember(record: ChallengeRecord): void {
    if (!this.learned.has(record.id) && this.learned.size >= this.maxEntries) this.evict(record.nextCheckAt);
    const { nextCheckAt, intervalMs, fetched, message, expiresAt } = record;
    this.learned.set(record.id, { nextCheckAt, intervalMs, fetched, message, expiresAt });
  }

  /** The challenge ended: nothing more to share. */
  forget(challengeId: string): void {
    this.learned.delete(challengeId);
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

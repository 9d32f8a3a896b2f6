import session from 'express-session';

/** express-session's MemoryStore, counting its reads (each one a round trip with a shared store). */
export class CountingStore extends session.MemoryStore {
  reads = 0;
  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.reads += 1;
    super.get(sid, callback);
  }
}

/**
 * An in-process notification index with a shared index's notes (`noteNotification`,
 * `lastNotification`), counting how often a request reads a note: what the router's tests need to
 * see when a note is read, without Redis.
 */
import { MemoryNotificationIndex } from '../../lib/core/notification-index';

/** `heard` answers each read (default: no notification heard); `reads()` counts them. */
export function notingIndex(
  heard: () => Promise<number | undefined> = async () => undefined,
  now?: () => number,
) {
  let reads = 0;
  const index = Object.assign(new MemoryNotificationIndex(now ? { now } : {}), {
    noteNotification: async () => undefined,
    lastNotification: async () => {
      reads += 1;
      return heard();
    },
  });
  return { index, reads: () => reads };
}

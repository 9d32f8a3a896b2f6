/**
 * An in-process notification index with a shared index's notes (`noteNotification`,
 * `lastNotification`), counting how often a request reads a note: what the router's tests need to
 * see when a note is read, without Redis.
 */
import { MemoryNotificationIndex, type NotificationIndex } from '../../lib/core/notification-index';

/** `heard` answers each read (default: no notification heard); `reads()` counts them. */
export function notingIndex(
  heard: () => Promise<number | undefined> = async () => undefined,
  now?: () => number,
) {
  let reads = 0;
  const memory = new MemoryNotificationIndex(now ? { now } : {});
  const index = Object.assign(memory, {
    // The lookup a notification makes; what it notes, `heard` says.
    noteNotification: (keyHash: string) => memory.find(keyHash),
    lastNotification: async () => {
      reads += 1;
      return heard();
    },
  });
  return { index, reads: () => reads };
}

/**
 * `memory` with a shared index's notes: `lastNotification` as given; `noteNotification` the lookup
 * (`find`) unless given, noting nothing.
 */
export function withNotes(
  memory: MemoryNotificationIndex,
  notes: Pick<Required<NotificationIndex>, 'lastNotification'> & Pick<NotificationIndex, 'noteNotification'>,
) {
  return Object.assign(memory, {
    noteNotification: notes.noteNotification ?? ((keyHash: string) => memory.find(keyHash)),
    lastNotification: notes.lastNotification,
  });
}

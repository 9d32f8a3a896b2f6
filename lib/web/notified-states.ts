/**
 * The usual source of a status stream: the challenge's state now, and again each time the bus says
 * something happened to it (or, failing that, every `recheckMs`). It stays subscribed for its whole
 * life, so a notification that arrives while a state is being read or sent is not lost: the next
 * read simply follows at once.
 */
import type { NotificationBus } from '../core/notification-bus';

/**
 * Options of `notifiedStates`.
 */
export interface NotifiedStatesOptions {
  /** Stops the source (the client went away). */
  signal: AbortSignal;
  /** Read again after this long without a notification, in ms (default 30,000): the fallback poll. */
  recheckMs?: number;
}

/**
 * Yields `read()` now and after every notification of `challengeId`, until `signal` aborts or the
 * consumer stops; then nothing of it (subscription, timer, abort listener) is left. A failing read
 * ends it with that error. `read` is told whether something may have changed since its last call
 * (true for the first read and after a notification, false after a mere recheck), so it can skip
 * a store round trip when nothing can have.
 */
export async function* notifiedStates<S>(
  bus: NotificationBus,
  challengeId: string,
  read: (changed: boolean) => Promise<S>,
  options: NotifiedStatesOptions,
): AsyncGenerator<S, void, undefined> {
  const { signal, recheckMs = 30_000 } = options;
  if (signal.aborted) return;
  // The first read counts as one after a notification: nothing is known yet.
  let notified = true;
  let wake: (() => void) | undefined;
  const unsubscribe = bus.subscribe(challengeId, () => {
    notified = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    while (!signal.aborted) {
      // Cleared before the read: whatever arrives from here on asks for one more read.
      const changed = notified;
      notified = false;
      yield await read(changed);
      if (!notified && !signal.aborted) await wakeUp(recheckMs, (resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

/** Resolves after `ms`, or earlier when the function handed to `register` is called. */
function wakeUp(ms: number, register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

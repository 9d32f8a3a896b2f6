/**
 * The router's status stream (`GET events`), held as one small object per stream: the challenge's
 * state now, again after every notification of it (or, failing that, every `recheckMs`), until a
 * final state or the client's leaving. It stays subscribed for its whole life, so a notification
 * that arrives while a state is read or sent is not lost: the next read follows at once.
 *
 * Thousands are held at once, so a stream keeps no async frame, promise, `AbortController` or timer
 * of its own while it waits: the router's `TimerWheel` wakes it for a recheck, one `Heartbeats` on
 * the same wheel writes every stream's heartbeat, one shared `close` listener notices a client
 * leaving (see `on-leave.ts`). Beyond the request itself it keeps this object, its wheel and
 * heartbeat entries, its bus subscription and the login's record as last read (not the session).
 * `streamStates` over `notifiedStates` is the same stream for an app's own routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NotificationEvent, NotificationListener } from '../core/notification-bus';
import {
  isFinalState,
  openEventStream,
  retryLine,
  stateEvent,
  writeEvent,
  writeHeartbeat,
} from './event-stream';
import { closeOnLeave, forget } from './on-leave';
import type { TimerWheel, Wakeable } from './wake';

/** What every held stream of one router shares. */
export interface HeldStreams<C> {
  readonly wheel: TimerWheel;
  readonly heartbeats: Heartbeats;
  /** Read again after this long without a notification, in ms. */
  readonly recheckMs: number;
  /** The reconnect delay the browser is told (`retry:`), in ms. */
  readonly retryMs: number;
  /** Listens to the bus for the challenge; throws when it has as many waiters as the bus allows. */
  subscribe(challengeId: string, listener: NotificationListener): () => void;
  /**
   * The stream's state now. `changed`: something may have changed since the last read (true for
   * the first read and after a notification, false after a mere recheck), so a read can skip a
   * store round trip when nothing can have. Undefined: nothing to tell yet (no event is sent).
   */
  read(stream: HeldStream<C>, changed: boolean): Promise<{ state: string } | undefined>;
}

/**
 * Opens the stream on `res` and holds it. `context` is what `read` needs of this stream (kept as
 * it is, and `read` may replace it: `stream.context`). A client already gone opens nothing; a
 * `HEAD` request gets the headers only.
 */
export function holdStream<C>(
  shared: HeldStreams<C>,
  req: IncomingMessage,
  res: ServerResponse,
  challengeId: string,
  context: C,
): void {
  if (res.destroyed) return;
  openEventStream(res);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  writeEvent(res, retryLine(shared.retryMs));
  const stream = new HeldStream(shared, res, context);
  try {
    // An unnamed arrow, not a method or a named one: the cheapest closure there is.
    stream.unsubscribe = shared.subscribe(challengeId, (event) => stream.notified(event));
  } catch {
    // Too many waiters on this challenge: the stream ends, the page polls (the cap must hold).
    res.end();
    return;
  }
  closeOnLeave(res, stream);
  shared.heartbeats.add(res);
  stream.wake();
}

/** Shared, not a closure per stream. */
function nothing(): void {}

/** One held stream: its state between reads (see the file's comment). */
export class HeldStream<C> implements Wakeable {
  unsubscribe: () => void = nothing;
  /** How the challenge ended, once an instance announced it (a `settled` event). */
  announced: string | undefined;
  /** A notification came since the last read began (the first read counts as one). */
  private changed = true;
  private busy = false;
  private finished = false;
  /** Its bucket in the wheel while it waits there. */
  private slot: number | undefined;

  constructor(
    private readonly shared: HeldStreams<C>,
    private readonly res: ServerResponse,
    /** What the router's `read` keeps of this stream between reads. */
    public context: C,
  ) {}

  /** Something happened to the challenge (here or on another instance): read now, or right after this read. */
  notified(event?: NotificationEvent): void {
    if (event?.type === 'settled') this.announced = event.state;
    this.changed = true;
    this.wake();
  }

  /** The client left. */
  close(): void {
    this.finish();
  }

  /** The wheel's recheck or a notification: read the state now, unless a read is running. */
  wake(): void {
    if (this.finished || this.busy) return;
    if (this.slot !== undefined) this.shared.wheel.remove(this, this.slot);
    this.slot = undefined;
    this.busy = true;
    // Cleared before the read: whatever arrives from here on asks for one more read.
    const changed = this.changed;
    this.changed = false;
    this.shared.read(this, changed).then(
      (state) => this.send(state),
      // After the headers ending the stream is all there is: the browser reconnects or polls.
      () => this.finish(),
    );
  }

  private send(state: { state: string } | undefined): void {
    this.busy = false;
    if (this.finished) return;
    if (state) {
      writeEvent(this.res, stateEvent(state));
      if (isFinalState(state)) return this.finish();
    }
    if (this.changed) return this.wake();
    this.slot = this.shared.wheel.add(this, this.shared.recheckMs);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.slot !== undefined) this.shared.wheel.remove(this, this.slot);
    this.slot = undefined;
    this.unsubscribe();
    forget(this.res);
    this.shared.heartbeats.delete(this.res);
    if (!this.res.writableEnded) this.res.end();
  }
}

/**
 * One heartbeat for every open stream of a router: a comment line on each, every `everyMs`, from
 * one entry on the timer wheel that is there only while a stream is open.
 */
export class Heartbeats implements Wakeable {
  private readonly streams = new Set<ServerResponse>();
  private slot: number | undefined;

  constructor(
    private readonly wheel: TimerWheel,
    private readonly everyMs: number,
  ) {}

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  add(res: ServerResponse): void {
    this.streams.add(res);
    this.slot ??= this.wheel.add(this, this.everyMs);
  }

  delete(res: ServerResponse): void {
    this.streams.delete(res);
    if (this.streams.size > 0 || this.slot === undefined) return;
    // The last stream ended: no timer is left running for none.
    this.wheel.remove(this, this.slot);
    this.slot = undefined;
  }

  /** The wheel's beat: a heartbeat on every open stream, then the next beat. */
  wake(): void {
    this.slot = undefined;
    if (this.streams.size === 0) return;
    for (const res of this.streams) writeHeartbeat(res);
    this.slot = this.wheel.add(this, this.everyMs);
  }
}

/**
 * The router's status stream as one held object: it sends the state now and after every
 * notification (one more read for any number heard during a read, none lost), rechecks on the
 * timer wheel, ends at a final state or when the client leaves, and then leaves no subscription,
 * wheel entry or heartbeat behind. One heartbeat on the wheel serves every open stream.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { Heartbeats, holdStream, type HeldStreams } from '../../../lib/web/held-stream';
import { TimerWheel } from '../../../lib/web/wake';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const HEARTBEAT_MS = 15_000;
const RECHECK_MS = 2000;

/** The part of a ServerResponse a stream uses, recording what was written. */
class FakeResponse extends EventEmitter {
  written = '';
  status = 0;
  writableEnded = false;
  writableNeedDrain = false;
  destroyed = false;
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(text: string): boolean {
    this.written += text;
    return true;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
  /** The client goes away. */
  leave(): void {
    this.destroyed = true;
    this.emit('close');
  }
  states(): string[] {
    return [...this.written.matchAll(/^data: (.*)$/gm)].map(
      (m) => (JSON.parse(m[1] ?? '') as { state: string }).state,
    );
  }
  heartbeats(): number {
    return this.written.split(': heartbeat\n\n').length - 1;
  }
}

interface Setup {
  bus: MemoryNotificationBus;
  wheel: TimerWheel;
  shared: HeldStreams<{ reads: boolean[] }>;
  state: { now: string };
  /** Resolves the running read (reads wait for this when `manual`). */
  release: () => void;
}

function setup(manual = false): Setup {
  const bus = new MemoryNotificationBus({ maxListenersPerChallenge: 1 });
  const wheel = new TimerWheel(20);
  const state = { now: 'pending' };
  const pending: (() => void)[] = [];
  const shared: HeldStreams<{ reads: boolean[] }> = {
    wheel,
    heartbeats: new Heartbeats(wheel, HEARTBEAT_MS),
    recheckMs: RECHECK_MS,
    retryMs: 3000,
    subscribe: (id, listener) => bus.subscribe(id, listener),
    read: async (stream, changed) => {
      stream.context.reads.push(changed);
      if (manual) await new Promise<void>((resolve) => pending.push(resolve));
      if (state.now === 'fail') throw new Error('store down');
      return { state: state.now };
    },
  };
  return { bus, wheel, shared, state, release: () => pending.shift()?.() };
}

function open(shared: HeldStreams<{ reads: boolean[] }>, challengeId = 'c1', method = 'GET') {
  const res = new FakeResponse();
  const context = { reads: [] as boolean[] };
  holdStream(shared, { method } as IncomingMessage, res as unknown as ServerResponse, challengeId, context);
  return { res, reads: context.reads };
}

/** Lets the promise callbacks of a read run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

test('sends the state now, a fresh one after a notification, and ends at a final state leaving nothing behind', async () => {
  const { bus, wheel, shared, state } = setup();
  const { res, reads } = open(shared);
  await settle();
  expect(res.status).toBe(200);
  expect(res.written.startsWith('retry: 3000\n\n')).toBe(true);
  expect(res.states()).toEqual(['pending']);

  state.now = 'approved';
  await bus.publish('c1', { type: 'settled', state: 'approved' });
  await settle();
  expect(res.states()).toEqual(['pending', 'approved']);
  // The first read and the one after the notification were told something may have changed.
  expect(reads).toEqual([true, true]);
  expect(res.writableEnded).toBe(true);
  expect(bus.challengeCount).toBe(0);
  expect(wheel.size).toBe(0);
  expect(res.listenerCount('close')).toBe(0);
});

test('rechecks on the wheel without a notification, telling the read nothing was heard', async () => {
  const { shared, wheel } = setup();
  const { res, reads } = open(shared);
  await settle();
  await jest.advanceTimersByTimeAsync(RECHECK_MS + 20);
  expect(reads).toEqual([true, false]);
  expect(res.states()).toEqual(['pending', 'pending']);
  res.leave();
  expect(wheel.size).toBe(0);
});

test('notifications during a read are not lost, and any number of them make exactly one more read', async () => {
  const { bus, shared, release } = setup(true);
  const { res, reads } = open(shared);
  expect(reads).toEqual([true]);
  await bus.publish('c1', { type: 'check' });
  await bus.publish('c1', { type: 'check' });
  release();
  await settle();
  // The first read's state is sent, then one more read (not two) runs for what was heard.
  expect(res.states()).toEqual(['pending']);
  expect(reads).toEqual([true, true]);
  release();
  await settle();
  expect(reads).toEqual([true, true]);
  expect(res.states()).toEqual(['pending', 'pending']);
  res.leave();
});

test('a client that leaves ends the stream: unsubscribed, off the wheel, never read again', async () => {
  const { bus, wheel, shared } = setup();
  const { res, reads } = open(shared);
  await settle();
  res.leave();
  expect(bus.challengeCount).toBe(0);
  expect(wheel.size).toBe(0);
  expect(res.listenerCount('close')).toBe(0);
  await bus.publish('c1', { type: 'check' });
  await jest.advanceTimersByTimeAsync(RECHECK_MS * 3);
  expect(reads).toHaveLength(1);
});

test('a client that leaves during a read gets nothing written after it', async () => {
  const { shared, wheel, release } = setup(true);
  const { res } = open(shared);
  res.leave();
  release();
  await settle();
  expect(res.states()).toEqual([]);
  expect(wheel.size).toBe(0);
});

test('a failing read ends the stream (the page reconnects or polls)', async () => {
  const { bus, shared, state, wheel } = setup();
  state.now = 'fail';
  const { res } = open(shared);
  await settle();
  expect(res.writableEnded).toBe(true);
  expect(bus.challengeCount).toBe(0);
  expect(wheel.size).toBe(0);
});

test('a challenge with as many waiters as the bus allows ends the new stream at once', async () => {
  const { bus, shared } = setup(); // one listener per challenge
  const first = open(shared);
  const second = open(shared);
  await settle();
  expect(second.res.writableEnded).toBe(true);
  expect(second.reads).toEqual([]);
  first.res.leave();
  expect(bus.challengeCount).toBe(0);
});

test('HEAD gets the headers only; a client gone before the stream opened gets nothing', () => {
  const { shared, wheel } = setup();
  const head = open(shared, 'c1', 'HEAD');
  expect(head.res.status).toBe(200);
  expect(head.res.writableEnded).toBe(true);
  expect(head.reads).toEqual([]);

  const res = new FakeResponse();
  res.destroyed = true;
  holdStream(shared, { method: 'GET' } as IncomingMessage, res as unknown as ServerResponse, 'c2', {
    reads: [],
  });
  expect(res.status).toBe(0);
  expect(wheel.size).toBe(0);
});

test('one heartbeat serves every open stream, skips a client that has not drained, and stops with the last stream', async () => {
  const { shared, wheel } = setup();
  const a = open(shared, 'a');
  const b = open(shared, 'b');
  const slow = open(shared, 'slow');
  slow.res.writableNeedDrain = true;
  await settle();
  await jest.advanceTimersByTimeAsync(HEARTBEAT_MS + 20);
  expect([a.res.heartbeats(), b.res.heartbeats(), slow.res.heartbeats()]).toEqual([1, 1, 0]);
  a.res.leave();
  slow.res.leave();
  await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
  expect([a.res.heartbeats(), b.res.heartbeats()]).toEqual([1, 2]);
  expect(shared.heartbeats.size).toBe(1);
  b.res.leave();
  expect(shared.heartbeats.size).toBe(0);
  // Nothing waits any more: no timer is left running.
  expect(wheel.size).toBe(0);
  expect(jest.getTimerCount()).toBe(0);
});

/**
 * The state source a status stream reads: the current state first, then a fresh read after every
 * notification of the challenge (none missed, even one that arrives while a read is running), a
 * periodic re-read when nothing is heard, and no subscription or timer once it stops.
 */
import { getEventListeners } from 'node:events';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { notifiedStates } from '../../../lib/web/notified-states';

describe('notifiedStates', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the current state first, then again after each notification of its challenge', async () => {
    const bus = new MemoryNotificationBus();
    let state = 'pending';
    const states = notifiedStates(bus, 'c1', async () => state, { signal: new AbortController().signal });
    await expect(states.next()).resolves.toEqual({ done: false, value: 'pending' });
    const next = states.next();
    await bus.publish('other', { type: 'check' });
    state = 'fetched';
    await bus.publish('c1', { type: 'check' });
    await expect(next).resolves.toEqual({ done: false, value: 'fetched' });
    await states.return(undefined);
    expect(bus.challengeCount).toBe(0);
  });

  it('misses no notification that arrives while the consumer is busy with the last state', async () => {
    const bus = new MemoryNotificationBus();
    let state = 'pending';
    const states = notifiedStates(bus, 'c1', async () => state, { signal: new AbortController().signal });
    await states.next();
    // Between two next() calls: the source is paused at its yield, yet subscribed.
    state = 'approved';
    await bus.publish('c1', { type: 'settled', state: 'approved' });
    await expect(states.next()).resolves.toEqual({ done: false, value: 'approved' });
    await states.return(undefined);
  });

  it('misses no notification that arrives during a read', async () => {
    const bus = new MemoryNotificationBus();
    let reads = 0;
    const states = notifiedStates(
      bus,
      'c1',
      async () => {
        reads += 1;
        if (reads === 1) await bus.publish('c1', { type: 'check' }); // lands while reading
        return `read ${reads}`;
      },
      { signal: new AbortController().signal },
    );
    await expect(states.next()).resolves.toEqual({ done: false, value: 'read 1' });
    await expect(states.next()).resolves.toEqual({ done: false, value: 'read 2' });
    await states.return(undefined);
  });

  it('reads again after recheckMs without any notification', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus();
    let reads = 0;
    const states = notifiedStates(bus, 'c1', async () => ++reads, {
      signal: new AbortController().signal,
      recheckMs: 5000,
    });
    await states.next();
    const next = states.next();
    await jest.advanceTimersByTimeAsync(5000);
    await expect(next).resolves.toEqual({ done: false, value: 2 });
    await states.return(undefined);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops when the signal aborts while waiting, leaving no subscription, timer or abort listener', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus();
    const controller = new AbortController();
    const states = notifiedStates(bus, 'c1', async () => 'pending', { signal: controller.signal });
    await states.next();
    const next = states.next();
    controller.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(bus.challengeCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a signal already aborted yields nothing and subscribes nothing', async () => {
    const bus = new MemoryNotificationBus();
    const states = notifiedStates(bus, 'c1', async () => 'pending', { signal: AbortSignal.abort() });
    await expect(states.next()).resolves.toEqual({ done: true, value: undefined });
    expect(bus.challengeCount).toBe(0);
  });

  it('a failing read ends the source with its error and unsubscribes', async () => {
    const bus = new MemoryNotificationBus();
    const states = notifiedStates(
      bus,
      'c1',
      async () => {
        throw new Error('store down');
      },
      { signal: new AbortController().signal },
    );
    await expect(states.next()).rejects.toThrow('store down');
    expect(bus.challengeCount).toBe(0);
  });
});

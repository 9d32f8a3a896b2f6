/**
 * The in-process notification bus and `waitFor`, the await a held long poll uses instead of sleeping:
 * a notification wakes every waiter of its challenge and no other, and nothing stays behind.
 */
import { getEventListeners } from 'node:events';
import { MemoryNotificationBus, waitFor, type NotificationEvent } from '../../../lib/core/notification-bus';
import { isPushError } from '../../../lib/errors';

describe('MemoryNotificationBus', () => {
  it('delivers an event to every listener of its challenge and to no other', async () => {
    const bus = new MemoryNotificationBus();
    const first: NotificationEvent[] = [];
    const second: NotificationEvent[] = [];
    const other: NotificationEvent[] = [];
    bus.subscribe('c1', (event) => first.push(event));
    bus.subscribe('c1', (event) => second.push(event));
    bus.subscribe('c2', (event) => other.push(event));

    await bus.publish('c1', { type: 'settled', state: 'approved' });

    expect(first).toEqual([{ type: 'settled', state: 'approved' }]);
    expect(second).toEqual([{ type: 'settled', state: 'approved' }]);
    expect(other).toEqual([]);
  });

  it('holds nothing for a challenge once its last listener unsubscribes', () => {
    const bus = new MemoryNotificationBus();
    const stopA = bus.subscribe('c1', () => undefined);
    const stopB = bus.subscribe('c1', () => undefined);
    expect(bus.listenerCount('c1')).toBe(2);
    stopA();
    stopA(); // twice is harmless
    expect(bus.listenerCount('c1')).toBe(1);
    stopB();
    expect(bus.listenerCount('c1')).toBe(0);
    expect(bus.challengeCount).toBe(0);
  });

  it('publishing to a challenge nobody waits on stores nothing', async () => {
    const bus = new MemoryNotificationBus();
    await bus.publish('nobody', { type: 'check' });
    expect(bus.challengeCount).toBe(0);
  });

  it('refuses a listener past the per-challenge bound, with a typed limit error', () => {
    const bus = new MemoryNotificationBus({ maxListenersPerChallenge: 2 });
    bus.subscribe('c1', () => undefined);
    bus.subscribe('c1', () => undefined);
    let caught: unknown;
    try {
      bus.subscribe('c1', () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(isPushError(caught) && caught.kind === 'limit' && caught.code === 'too_many_waiters').toBe(true);
    expect(bus.listenerCount('c1')).toBe(2);
    expect(() => bus.subscribe('c2', () => undefined)).not.toThrow();
  });

  it('a listener that unsubscribes another during delivery does not make it miss this event', async () => {
    const bus = new MemoryNotificationBus();
    const seen: string[] = [];
    let stopSecond = () => undefined as void;
    bus.subscribe('c1', () => {
      seen.push('first');
      stopSecond();
    });
    stopSecond = bus.subscribe('c1', () => seen.push('second'));
    await bus.publish('c1', { type: 'check' });
    await bus.publish('c1', { type: 'check' });
    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('a throwing listener does not keep the others from hearing the event, and publish reports it', async () => {
    const bus = new MemoryNotificationBus();
    const seen: NotificationEvent[] = [];
    bus.subscribe('c1', () => {
      throw new Error('listener bug');
    });
    bus.subscribe('c1', (event) => seen.push(event));
    await expect(bus.publish('c1', { type: 'check' })).rejects.toThrow('listener bug');
    expect(seen).toEqual([{ type: 'check' }]);
  });
});

describe('waitFor', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves with the first event and unsubscribes', async () => {
    const bus = new MemoryNotificationBus();
    const waiting = waitFor(bus, 'c1', { timeoutMs: 60_000 });
    expect(bus.listenerCount('c1')).toBe(1);
    await bus.publish('c1', { type: 'check' });
    await expect(waiting).resolves.toEqual({ type: 'check' });
    expect(bus.listenerCount('c1')).toBe(0);
  });

  it('wakes every waiter of the challenge at once', async () => {
    const bus = new MemoryNotificationBus();
    const waiters = [1, 2, 3].map(() => waitFor(bus, 'c1', { timeoutMs: 60_000 }));
    await bus.publish('c1', { type: 'settled', state: 'denied' });
    await expect(Promise.all(waiters)).resolves.toEqual([
      { type: 'settled', state: 'denied' },
      { type: 'settled', state: 'denied' },
      { type: 'settled', state: 'denied' },
    ]);
    expect(bus.challengeCount).toBe(0);
  });

  it('resolves undefined on timeout, unsubscribed and without a timer left', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus();
    const waiting = waitFor(bus, 'c1', { timeoutMs: 25_000 });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(25_000);
    await expect(waiting).resolves.toBeUndefined();
    expect(bus.listenerCount('c1')).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves undefined on abort and releases its timer and abort listener', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus();
    const controller = new AbortController();
    const waiting = waitFor(bus, 'c1', { timeoutMs: 25_000, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(bus.listenerCount('c1')).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an event releases the timer and the abort listener too', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus();
    const controller = new AbortController();
    const waiting = waitFor(bus, 'c1', { timeoutMs: 25_000, signal: controller.signal });
    await bus.publish('c1', { type: 'check' });
    await expect(waiting).resolves.toEqual({ type: 'check' });
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal resolves at once and subscribes nothing', async () => {
    const bus = new MemoryNotificationBus();
    await expect(
      waitFor(bus, 'c1', { timeoutMs: 25_000, signal: AbortSignal.abort() }),
    ).resolves.toBeUndefined();
    expect(bus.challengeCount).toBe(0);
  });

  it('rejects with the limit error when the challenge has too many waiters, leaving no timer', async () => {
    jest.useFakeTimers();
    const bus = new MemoryNotificationBus({ maxListenersPerChallenge: 1 });
    const first = waitFor(bus, 'c1', { timeoutMs: 25_000 });
    await expect(waitFor(bus, 'c1', { timeoutMs: 25_000 })).rejects.toMatchObject({ kind: 'limit' });
    expect(jest.getTimerCount()).toBe(1);
    await bus.publish('c1', { type: 'check' });
    await expect(first).resolves.toEqual({ type: 'check' });
    expect(jest.getTimerCount()).toBe(0);
  });
});

/**
 * The one timer every held long poll waits on: each waiter is woken once, never before its time,
 * never after it was taken out, and no timer is left running once nothing waits (a server with no
 * held request holds no timer).
 */
import { TimerWheel, type Wakeable } from '../../../lib/web/wake';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function waiter(): Wakeable & { woken: number } {
  return {
    woken: 0,
    wake() {
      this.woken += 1;
    },
  };
}

test('wakes each waiter once at its time (within one step), never early', () => {
  const wheel = new TimerWheel(20);
  const soon = waiter();
  const later = waiter();
  wheel.add(soon, 100);
  wheel.add(later, 2000);
  jest.advanceTimersByTime(99);
  expect(soon.woken).toBe(0);
  jest.advanceTimersByTime(21);
  expect(soon.woken).toBe(1);
  expect(later.woken).toBe(0);
  jest.advanceTimersByTime(1900);
  expect(later.woken).toBe(1);
  jest.advanceTimersByTime(10_000);
  expect([soon.woken, later.woken]).toEqual([1, 1]);
});

test('a waiter taken out is never woken', () => {
  const wheel = new TimerWheel(20);
  const gone = waiter();
  const stays = waiter();
  const key = wheel.add(gone, 100);
  wheel.add(stays, 100);
  wheel.remove(gone, key);
  jest.advanceTimersByTime(200);
  expect(gone.woken).toBe(0);
  expect(stays.woken).toBe(1);
});

test('runs a timer only while something waits', () => {
  const wheel = new TimerWheel(20);
  expect(jest.getTimerCount()).toBe(0);
  const first = waiter();
  const key = wheel.add(first, 500);
  wheel.add(waiter(), 500);
  expect(jest.getTimerCount()).toBe(1);
  wheel.remove(first, key);
  expect(wheel.size).toBe(1);
  jest.advanceTimersByTime(600);
  expect(wheel.size).toBe(0);
  expect(jest.getTimerCount()).toBe(0);
});

test('a waiter that waits again from its wake is woken at its new time', () => {
  const wheel = new TimerWheel(20);
  let wakes = 0;
  const again: Wakeable = {
    wake() {
      wakes += 1;
      if (wakes < 3) wheel.add(again, 100);
    },
  };
  wheel.add(again, 100);
  jest.advanceTimersByTime(120);
  expect(wakes).toBe(1);
  jest.advanceTimersByTime(120);
  expect(wakes).toBe(2);
  jest.advanceTimersByTime(1000);
  expect(wakes).toBe(3);
  expect(jest.getTimerCount()).toBe(0);
});

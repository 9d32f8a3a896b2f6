/** A clock the test moves by hand: time passes without sleeping. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): number;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/**
 * jest.useFakeTimers options that fake only `Date`: the OP (oidc-provider) and the HTTP stack keep
 * their real timers, while the test moves the clock with `jest.setSystemTime`.
 */
export function fakeDateOnly(): Parameters<typeof jest.useFakeTimers>[0] {
  return {
    now: Date.now(),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  };
}

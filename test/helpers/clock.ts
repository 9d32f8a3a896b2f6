/** A clock the test moves by hand: time passes without sleeping. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): number;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

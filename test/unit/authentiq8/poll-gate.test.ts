import { PollGate } from '../../../lib/providers/authentiq8/poll-gate';

describe('Authentiq8 poll gate', () => {
  let t = 0;
  const now = (): number => t;
  beforeEach(() => {
    t = 1_000_000;
  });

  it('lets one call per interval through per user and says how long to wait', () => {
    const gate = new PollGate({ intervalMs: 1000, now });
    expect(gate.take('alice')).toEqual({ allowed: true });
    expect(gate.take('alice')).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(gate.take('bob')).toEqual({ allowed: true });
    t += 999;
    expect(gate.take('alice')).toEqual({ allowed: false, retryAfterMs: 1 });
    t += 1;
    expect(gate.take('alice')).toEqual({ allowed: true });
  });

  it('a refused call does not push the next allowed time back', () => {
    const gate = new PollGate({ intervalMs: 1000, now });
    gate.take('alice');
    t += 500;
    gate.take('alice');
    t += 500;
    expect(gate.take('alice').allowed).toBe(true);
  });

  it('forgets users whose interval has passed, so the map does not grow without bound', () => {
    const gate = new PollGate({ intervalMs: 1000, now });
    for (let i = 0; i < 5000; i += 1) {
      gate.take(`user-${i}`);
      t += 1;
    }
    expect(gate.size).toBeLessThanOrEqual(1000);
    t += 1000;
    gate.take('last');
    expect(gate.size).toBe(1);
  });

  it('at the hard cap, new users wait rather than grow the map', () => {
    const gate = new PollGate({ intervalMs: 1000, now, maxEntries: 3 });
    for (const user of ['a', 'b', 'c']) expect(gate.take(user).allowed).toBe(true);
    expect(gate.take('d')).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(gate.size).toBe(3);
    t += 1000;
    expect(gate.take('d').allowed).toBe(true);
  });

  it('a clock that steps back does not lock a user out', () => {
    const gate = new PollGate({ intervalMs: 1000, now });
    gate.take('alice');
    t -= 3_600_000;
    expect(gate.take('alice').allowed).toBe(true);
    expect(gate.take('alice').allowed).toBe(false);
  });
});

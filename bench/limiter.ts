/**
 * Hits per second of the in-memory start-limit store with 1 000 and with 100 000 live windows. Each
 * hit opens a new window and one ends (the clock moves 1 ms per hit, windows last N ms), the path a
 * flood takes: a hit must cost the same whatever the store holds, so the ratio should stay near 1.
 * In-process, no I/O; rounds alternate between the two sizes so machine noise hits both alike.
 */
import { MemoryRateLimitStore } from '../lib/core/limits';

export interface LimiterSize {
  keys: number;
  hitsPerSecond: number;
  roundsHitsPerSecond: number[];
}

export interface LimiterResult {
  settings: { hitsPerRound: number; rounds: number };
  sizes: LimiterSize[];
  /** Hits/s at the largest size over hits/s at the smallest (median rounds). */
  ratio: number;
}

/** A store holding `keys` live windows in steady state, and a clock that keeps it there. */
function steadyStore(keys: number) {
  const store = new MemoryRateLimitStore(keys + 16);
  let now = 0;
  let next = 0;
  const hit = () => store.hit(`ip:198.51.${next++}`, keys, now++);
  return { hit };
}

async function round(hit: () => Promise<unknown>, hits: number): Promise<number> {
  const began = performance.now();
  for (let i = 0; i < hits; i++) await hit();
  return hits / ((performance.now() - began) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Runs `rounds` alternating rounds of `hitsPerRound` hits at each size. */
export async function measureLimiter(options: {
  sizes: number[];
  hitsPerRound: number;
  rounds: number;
}): Promise<LimiterResult> {
  const stores = options.sizes.map((keys) => ({ keys, ...steadyStore(keys), rounds: [] as number[] }));
  for (const store of stores) for (let i = 0; i < store.keys * 2; i++) await store.hit(); // fill, warm up
  for (let r = 0; r < options.rounds; r++) {
    for (const store of stores) store.rounds.push(await round(store.hit, options.hitsPerRound));
  }
  const sizes = stores.map((s) => ({
    keys: s.keys,
    hitsPerSecond: median(s.rounds),
    roundsHitsPerSecond: s.rounds.map(Math.round),
  }));
  const first = sizes[0]?.hitsPerSecond ?? 0;
  const last = sizes[sizes.length - 1]?.hitsPerSecond ?? 0;
  return {
    settings: { hitsPerRound: options.hitsPerRound, rounds: options.rounds },
    sizes,
    ratio: first > 0 ? last / first : 0,
  };
}

/** Shared wiring for the Authentiq8 integration suites: fixture keys, a fake clock, provider ↔ simulator. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Authentiq8Provider,
  type Authentiq8ProviderOptions,
} from '../../../lib/providers/authentiq8/provider';
import {
  Authentiq8Simulator,
  type Authentiq8SimulatorOptions,
} from '../../../lib/testing/authentiq8-simulator';

const FIXTURES = join(__dirname, '../../fixtures/authentiq8');
export const PRIVATE_KEY_PEM = readFileSync(join(FIXTURES, 'test-only-private-key.pem'), 'utf8');
export const PUBLIC_KEY_PEM = readFileSync(join(FIXTURES, 'test-only-public-key.pem'), 'utf8');
/** The client id from the guide's example. */
export const CLIENT_ID = '18cfe20b-7fb8-c27d-d1ee-f127c71e11b7';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2025, 0, 1)): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export interface Pair {
  simulator: Authentiq8Simulator;
  provider: Authentiq8Provider;
  clock: Clock;
}

export async function startPair(
  options: { simulator?: Authentiq8SimulatorOptions; provider?: Partial<Authentiq8ProviderOptions> } = {},
): Promise<Pair> {
  const clock = fakeClock();
  const simulator = await Authentiq8Simulator.start({
    clients: [{ clientId: CLIENT_ID, publicKey: PUBLIC_KEY_PEM }],
    users: ['alice'],
    now: clock.now,
    ...options.simulator,
  });
  const provider = new Authentiq8Provider({
    clientId: CLIENT_ID,
    privateKey: PRIVATE_KEY_PEM,
    endpoint: simulator.url,
    allowInsecureHttp: true,
    // Generous: tests about a timeout set their own, and a loaded machine must not fake one.
    timeoutMs: 10_000,
    now: clock.now,
    ...options.provider,
  });
  return { simulator, provider, clock };
}

export const signal = (): AbortSignal => AbortSignal.timeout(5000);

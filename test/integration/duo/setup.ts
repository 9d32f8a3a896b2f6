import { DuoProvider, type DuoProviderOptions } from '../../../lib/providers/duo';
import type { DuoSimulator } from '../../../lib/testing/duo-simulator';

/** A provider wired to the simulator, with its keys; `overrides` for the option under test. */
export function duoProviderFor(sim: DuoSimulator, overrides: Partial<DuoProviderOptions> = {}): DuoProvider {
  return new DuoProvider({
    integrationKey: sim.integrationKey,
    secretKey: sim.secretKey,
    apiHost: sim.apiHost,
    allowInsecureHttp: true,
    timeoutMs: 5_000,
    ...overrides,
  });
}

/** A signal that never aborts (the provider calls' own deadlines apply). */
export const noAbort = (): AbortSignal => new AbortController().signal;

import { BankIdProvider, type BankIdProviderOptions } from '../../../lib/providers/bankid';
import type { BankIdSimulator } from '../../../lib/testing/bankid-simulator';

/** Valid personal numbers (check digit included); fictitious people. */
export const ALICE = '198512249874';
export const BOB = '196408233234';
export const CLIENT_IP = '192.0.2.10';

export const signal = (): AbortSignal => new AbortController().signal;

const created: BankIdProvider[] = [];

/** A provider for the simulator with its trusted PKCS#12 client certificate; closed after each test. */
export function providerFor(
  sim: BankIdSimulator,
  options: Partial<BankIdProviderOptions> = {},
): BankIdProvider {
  const provider = new BankIdProvider({ ...sim.providerOptions(), ...options });
  created.push(provider);
  return provider;
}

/** The next collect answers the first order as completed by `personalNumber` (another person signed). */
export function completedByAnother(sim: BankIdSimulator, personalNumber: string): void {
  const [order] = sim.orderList();
  const real = sim.collectAnswer(order?.orderRef ?? '') as { completionData: { user: object } };
  const other = { ...real.completionData, user: { ...real.completionData.user, personalNumber } };
  sim.faults.inject({ kind: 'body', body: JSON.stringify({ ...real, completionData: other }) }, 1);
}

afterEach(() => {
  for (const provider of created.splice(0)) provider.close();
});

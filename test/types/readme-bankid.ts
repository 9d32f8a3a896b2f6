/**
 * README's BankID examples, type-checked by `tsc --noEmit` (never run), as readme-usage.ts does for
 * the others: if the public types drift from what the README shows, the type check fails.
 */
import { readFileSync } from 'node:fs';
import { BankIdProvider, BANKID_TEST_URL } from '../../lib';
import { BankIdSimulator } from '../../lib/testing';

declare const clock: { now: () => number };
declare const signal: AbortSignal;

export const configured = new BankIdProvider({
  baseUrl: BANKID_TEST_URL,
  pfx: readFileSync('FPTestcert5_20240610.p12'),
  passphrase: process.env.BANKID_PASSPHRASE,
  ca: readFileSync('bankid-test-server-ca.pem'),
  userVisibleData: 'Log in to Example Shop',
});

export async function simulated(): Promise<void> {
  const sim = await BankIdSimulator.start({ now: clock.now });
  const { pfx, passphrase, ca } = sim.clientCertificate();
  const provider = new BankIdProvider({ baseUrl: sim.url, pfx, passphrase, ca, now: clock.now });
  const { handle } = await provider.start({ clientIp: '192.0.2.10' }, signal);
  const orderRef = sim.scanQr(provider.currentDisplay(handle, clock.now())!.qr!);
  sim.userSign(orderRef);
  sim.approve(orderRef, { personalNumber: '198512249874', givenName: 'Alma', surname: 'Ek' });
  await provider.check(handle, signal);
}

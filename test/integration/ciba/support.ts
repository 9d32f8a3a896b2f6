/** Shared bits for the CIBA integration tests: one real oidc-provider per test file. */
import { inspect } from 'node:util';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import type { StartedChallenge } from '../../../lib/providers/provider';
import type { CibaOp, CibaOpClient } from '../../../lib/testing/ciba-op';
import type { PhoneRequest } from '../../../lib/testing/simulator';

export const signal = (): AbortSignal => AbortSignal.timeout(5000);

export function provider(
  op: CibaOp,
  options: Partial<CibaProviderOptions> = {},
  client: CibaOpClient = 'client_secret_basic',
): CibaProvider {
  return new CibaProvider({ ...op.providerOptions(client), scope: 'openid profile email', ...options });
}

/** Starts a challenge and returns it with the request the phone shows for it. */
export async function startOnPhone(
  op: CibaOp,
  ciba: CibaProvider,
  userId = 'alice',
): Promise<{ started: StartedChallenge; request: PhoneRequest }> {
  const started = await ciba.start({ userId }, signal());
  const request = op.phone.pending(userId).find((r) => r.id === started.handle.authReqId);
  if (!request) throw new Error('the phone did not get the request');
  return { started, request };
}

/** Everything a thrown error exposes: message, fields and the cause chain. */
export function everything(error: unknown): string {
  return `${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)}`;
}

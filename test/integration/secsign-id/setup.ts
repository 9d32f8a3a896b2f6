/** Shared wiring for the SecSign ID integration tests: a simulator and a provider pointed at it. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SecSignIdProvider, type SecSignIdProviderOptions } from '../../../lib/providers/secsign-id';
import type { StartedChallenge } from '../../../lib/providers/provider';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';

export const SERVICE = { serviceName: 'Example Shop', serviceAddress: 'https://shop.example' };

export function providerFor(
  endpoint: string,
  options: Partial<SecSignIdProviderOptions> = {},
): SecSignIdProvider {
  return new SecSignIdProvider({
    ...SERVICE,
    endpoint,
    // Never the real httpapi2.secsign.com from a test.
    fallbackEndpoint: null,
    allowInsecureHttp: true,
    // Generous: tests about a timeout set their own, and a loaded machine must not fake one.
    timeoutMs: 10_000,
    ...options,
  });
}

export function signal(): AbortSignal {
  return AbortSignal.timeout(5000);
}

/** The phone's request for this login and the index of the pass the page shows. */
export function phoneView(
  sim: SecSignIdSimulator,
  userId: string,
  started: StartedChallenge,
): { id: string; choice: number; choices: string[] } {
  const request = sim.phone.pending(userId).find((r) => r.id === started.handle['authsessionid']);
  if (!request) throw new Error(`no pending phone request for ${userId}`);
  const choices = request.choices ?? [];
  return { id: request.id, choice: choices.indexOf(started.display.accessPass ?? ''), choices };
}

/** A loopback port nothing listens on: connecting is refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

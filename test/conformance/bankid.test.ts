/** BankID meets the provider contract, against its mTLS simulator (a fresh one per test). */
import { BankIdProvider, type BankIdHandle } from '../../lib/providers/bankid';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { BankIdSimulator } from '../../lib/testing/bankid-simulator';

/** A valid, fictitious personal number (check digit included). */
const ALICE = '198512249874';

/** Well-framed `/collect` answers that must never log anyone in. */
const malformed: Record<string, string> = {
  'not JSON': '<html>Service Unavailable</html>',
  'an empty object': '{}',
  'complete without completionData': JSON.stringify({ orderRef: 'x', status: 'complete' }),
  'an unknown status': JSON.stringify({ orderRef: 'x', status: 'approved' }),
  'a JSON array': '[]',
};

providerConformance<BankIdHandle>('BankIdProvider', async (): Promise<ConformanceTarget<BankIdHandle>> => {
  const sim = await BankIdSimulator.start();
  const options = sim.providerOptions();
  const provider = new BankIdProvider(options);
  return {
    provider,
    userId: ALICE,
    phone: {
      approve: async ({ handle }) => {
        sim.openWithAutostart(handle.autoStartToken);
        sim.approve(handle.orderRef);
      },
      deny: async ({ handle }) => sim.cancelByUser(handle.orderRef),
      expire: async ({ handle }) => sim.fail(handle.orderRef, 'expiredTransaction'),
    },
    inject(fault) {
      switch (fault.kind) {
        case 'status':
          return sim.faults.inject({ kind: 'status', status: fault.status }, 1);
        case 'reset':
          return sim.faults.inject({ kind: 'reset' }, 1);
        case 'hang':
          return sim.faults.inject({ kind: 'delay', ms: 60_000 }, 1);
        case 'malformed':
          return sim.faults.inject({ kind: 'body', body: malformed[fault.name] ?? '' }, 1);
      }
    },
    malformedAnswers: Object.keys(malformed),
    secrets: [options.passphrase, sim.clientCertificate().key],
    close: async () => {
      provider.close();
      await sim.close();
    },
  };
});

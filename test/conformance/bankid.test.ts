/** BankID meets the provider contract, against its mTLS simulator (a fresh one per test). */
import { randomUUID } from 'node:crypto';
import { BankIdProvider, type BankIdHandle } from '../../lib/providers/bankid';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { BankIdSimulator } from '../../lib/testing/bankid-simulator';

/** Valid, fictitious personal numbers (check digit included). */
const ALICE = '198512249874';
const BOB = '199001011239';

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
  // Tampered answers are built from the order the phone approved last.
  let approved: string | undefined;
  return {
    provider,
    userId: ALICE,
    phone: {
      approve: async ({ handle }) => {
        sim.openWithAutostart(handle.autoStartToken);
        sim.approve(handle.orderRef);
        approved = handle.orderRef;
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
        case 'empty':
          return sim.faults.inject({ kind: 'body', body: '' }, 1);
        case 'truncate':
          return sim.faults.inject({ kind: 'truncate' }, 1);
        case 'foreign': {
          if (approved === undefined) throw new Error('a foreign approval needs an order the phone approved');
          const real = sim.collectAnswer(approved) as { completionData: { user: object } };
          const body =
            fault.about === 'request'
              ? { ...real, orderRef: randomUUID() }
              : {
                  ...real,
                  completionData: {
                    ...real.completionData,
                    user: { ...real.completionData.user, personalNumber: BOB },
                  },
                };
          return sim.faults.inject({ kind: 'body', body: JSON.stringify(body) }, 1);
        }
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

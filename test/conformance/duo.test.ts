/** Duo meets the provider contract, against its signature-checking simulator (a fresh one per test). */
import { DuoProvider, type DuoHandle } from '../../lib/providers/duo';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { DuoSimulator } from '../../lib/testing/duo-simulator';

/** Well-framed `auth_status` answers that must never log anyone in. */
const malformed: Record<string, string> = {
  'not JSON': '<html>Bad gateway</html>',
  'truncated JSON': '{"stat": "OK", "response": {"result": "allow"',
  'OK without a response': JSON.stringify({ stat: 'OK' }),
  'an unknown result': JSON.stringify({ stat: 'OK', response: { result: 'maybe', status: 'allow' } }),
  'allow without a status': JSON.stringify({ stat: 'OK', response: { result: 'allow' } }),
};

providerConformance<DuoHandle>('DuoProvider', async (): Promise<ConformanceTarget<DuoHandle>> => {
  // No hold: a check while the push is out answers `waiting` at once.
  const sim = await DuoSimulator.start({ users: ['alice'], holdCapMs: 0 });
  const provider = new DuoProvider({
    integrationKey: sim.integrationKey,
    secretKey: sim.secretKey,
    apiHost: sim.apiHost,
    allowInsecureHttp: true,
  });
  const txid = (handle: DuoHandle) => handle.txid ?? '';
  return {
    provider,
    userId: 'alice',
    phone: {
      approve: async ({ handle }) => {
        sim.phone.approve(txid(handle));
      },
      deny: async ({ handle }) => sim.phone.deny(txid(handle)),
      expire: async ({ handle }) => sim.phone.timeout(txid(handle)),
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
        case 'foreign':
          throw new Error('Duo answers cannot name another request or user (see inexpressible).');
      }
    },
    malformedAnswers: Object.keys(malformed),
    inexpressible: {
      request: 'auth_status names no transaction: the signed request for this txid alone binds it',
      user: 'auth_status names no user: the subject is the username this push was sent to',
    },
    secrets: [sim.secretKey],
    close: () => sim.close(),
  };
});

/**
 * Authentiq8 Me meets the provider contract, against its signature-checking simulator (a fresh one
 * per test), signing with the committed test-only key pair. The provider asks get-user-status at
 * most once per poll interval per user, so the shared fake clock moves past that interval whenever
 * the phone acts or a fault is armed: the next check then really reaches the simulator.
 */
import type { ChallengeHandle } from '../../lib/providers/provider';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { PRIVATE_KEY_PEM, startPair } from '../integration/authentiq8/setup';

/** Longer than the provider's poll interval (1.5 s) and the simulator's per-user limit (1 s). */
const POLL_STEP_MS = 2_000;

/** The pending authentication's `auth_id`, as the handle keeps it. */
const authIdOf = (handle: ChallengeHandle): string => String(handle['authId']);

/** What a malformed get-user-status answer may echo to be well-framed: our request and our auth. */
interface Echo {
  transactionId: string;
  authId: string;
  userId: string;
}

/** Well-framed get-user-status answers (JSON with `rsp_code`) that must never log anyone in. */
const malformed: Record<string, (echo: Echo) => unknown> = {
  'not JSON': () => '<html>Bad gateway</html>',
  'a JSON array': () => [],
  'no rsp_code': (e) => ({ transaction_id: e.transactionId, status: 'approved', user_id: e.userId }),
  'an rsp_code that is not four digits': (e) => ({
    rsp_code: 'OK',
    transaction_id: e.transactionId,
    status: 'approved',
    user_id: e.userId,
  }),
  'an unknown rsp_code': (e) => ({ rsp_code: '7777', rsp_msg: '?', transaction_id: e.transactionId }),
  'approved without the transaction_id echo': (e) => ({
    rsp_code: '0000',
    status: 'approved',
    user_id: e.userId,
    auth_id: e.authId,
  }),
  'approved for another transaction_id': (e) => ({
    rsp_code: '0000',
    transaction_id: 'tx-someone-else',
    status: 'approved',
    user_id: e.userId,
    auth_id: e.authId,
  }),
  'an unknown status': (e) => ({ rsp_code: '0000', transaction_id: e.transactionId, status: 'accepted' }),
  'a status that is not a string': (e) => ({
    rsp_code: '0000',
    transaction_id: e.transactionId,
    status: true,
  }),
  'approved for another user': (e) => ({
    rsp_code: '0000',
    transaction_id: e.transactionId,
    status: 'approved',
    user_id: 'mallory',
    auth_id: e.authId,
  }),
  'approved for another auth_id': (e) => ({
    rsp_code: '0000',
    transaction_id: e.transactionId,
    status: 'approved',
    user_id: e.userId,
    auth_id: 'auth-someone-else',
  }),
  'approved with a user_id that is not a string': (e) => ({
    rsp_code: '0000',
    transaction_id: e.transactionId,
    status: 'approved',
    user_id: 42,
    auth_id: e.authId,
  }),
};

/** The malformed answers that are foreign approvals: another authentication, another user. */
const FOREIGN = { request: 'approved for another auth_id', user: 'approved for another user' } as const;

/** The private key's base64 lines: no fragment of the PEM may show up anywhere. */
const PRIVATE_KEY_FRAGMENTS = PRIVATE_KEY_PEM.split('\n').filter(
  (line) => line !== '' && !line.startsWith('-----'),
);

providerConformance('Authentiq8Provider', async (): Promise<ConformanceTarget> => {
  let transactions = 0;
  const {
    simulator: sim,
    provider,
    clock,
  } = await startPair({
    simulator: { users: ['alice'], authLifetimeMs: 3_600_000 },
    // Predictable TransactionIDs, so a malformed answer can echo the one the next check sends.
    provider: { newTransactionId: () => `tx-${++transactions}` },
  });
  sim.setCredits(1_000);
  // The malformed answers are about the authentication the phone answered last.
  let answered: ChallengeHandle | undefined;
  return {
    provider,
    userId: 'alice',
    phone: {
      approve: async ({ handle }) => {
        answered = handle;
        clock.advance(POLL_STEP_MS);
        if (!sim.phone.approve(authIdOf(handle))) throw new Error('the phone has no such request');
      },
      deny: async ({ handle }) => {
        clock.advance(POLL_STEP_MS);
        sim.phone.deny(authIdOf(handle));
      },
      expire: async ({ handle }) => {
        clock.advance(POLL_STEP_MS);
        sim.phone.expire(authIdOf(handle));
      },
    },
    inject(fault) {
      clock.advance(POLL_STEP_MS);
      switch (fault.kind) {
        case 'status':
          return sim.faults.inject({ kind: 'status', status: fault.status }, 1);
        case 'reset':
          return sim.faults.inject({ kind: 'reset' }, 1);
        case 'hang':
          return sim.faults.inject({ kind: 'delay', ms: 60_000 }, 1);
        case 'malformed':
        case 'foreign': {
          if (!answered) throw new Error('a tampered answer needs an authentication the phone answered');
          const echo = {
            transactionId: `tx-${transactions + 1}`,
            authId: authIdOf(answered),
            userId: 'alice',
          };
          const name = fault.kind === 'malformed' ? fault.name : FOREIGN[fault.about];
          const answer = malformed[name]?.(echo);
          const body = typeof answer === 'string' ? answer : JSON.stringify(answer);
          return sim.faults.inject({ kind: 'body', body }, 1);
        }
        case 'empty':
          return sim.faults.inject({ kind: 'body', body: '' }, 1);
        case 'truncate':
          return sim.faults.inject({ kind: 'truncate' }, 1);
      }
    },
    malformedAnswers: Object.keys(malformed),
    secrets: PRIVATE_KEY_FRAGMENTS,
    close: () => sim.close(),
  };
});

/**
 * SecSign ID meets the provider contract, against its loopback simulator (a fresh one per test).
 * The configuration holds no secret: the `requestid` capability is the server's, not ours.
 */
import type { ChallengeHandle } from '../../lib/providers/provider';
import { providerConformance, type ConformanceTarget } from '../../lib/testing/conformance';
import { SecSignIdSimulator } from '../../lib/testing/secsign-id-simulator';
import { phoneView, providerFor } from '../integration/secsign-id/setup';

/** The two values a state answer echoes, as the handle keeps them. */
interface Session {
  authsessionid: string;
  secsignid: string;
}

const sessionOf = (handle: ChallengeHandle): Session => ({
  authsessionid: String(handle['authsessionid']),
  secsignid: String(handle['secsignid']),
});

/** Well-framed `ReqGetAuthSessionState` answers (raw `key=value&…`) that must never log anyone in. */
const malformed: Record<string, (session: Session) => string> = {
  'an HTML page': () => '<html><body>Service Unavailable</body></html>',
  'no state': (h) => `authsessionid=${h.authsessionid}&secsignid=${h.secsignid}`,
  'an unknown state': (h) => `authsessionid=${h.authsessionid}&secsignid=${h.secsignid}&authsessionstate=42`,
  'a state that is not a number': (h) =>
    `authsessionid=${h.authsessionid}&secsignid=${h.secsignid}&authsessionstate=three`,
  'state 3 naming nobody': (h) => `authsessionid=${h.authsessionid}&secsignid=&authsessionstate=3`,
  'state 3 with a malformed ID': (h) =>
    `authsessionid=${h.authsessionid}&secsignid=<script>&authsessionstate=3`,
  'state 3 for another session': (h) =>
    `authsessionid=${h.authsessionid === '1' ? '2' : '1'}&secsignid=${h.secsignid}&authsessionstate=3`,
  'the state field twice': (h) =>
    `authsessionid=${h.authsessionid}&secsignid=${h.secsignid}&authsessionstate=1&authsessionstate=3`,
};

providerConformance('SecSignIdProvider', async (): Promise<ConformanceTarget> => {
  const sim = await SecSignIdSimulator.start({ users: ['alice'] });
  const provider = providerFor(sim.url);
  // The malformed answers echo the session the phone answered last, so only their content is wrong.
  let answered: Session | undefined;
  return {
    provider,
    userId: 'alice',
    phone: {
      approve: async (started, userId) => {
        answered = sessionOf(started.handle);
        // The user picks the access pass the wait page shows.
        const { id, choice } = phoneView(sim, userId, started);
        if (!sim.phone.approve(id, choice)) throw new Error('the phone refused the pick');
      },
      deny: async ({ handle }) => sim.phone.deny(sessionOf(handle).authsessionid),
      expire: async ({ handle }) => sim.phone.expire(sessionOf(handle).authsessionid),
    },
    inject(fault) {
      switch (fault.kind) {
        case 'status':
          return sim.faults.inject({ kind: 'status', status: fault.status }, 1);
        case 'reset':
          return sim.faults.inject({ kind: 'reset' }, 1);
        case 'hang':
          return sim.faults.inject({ kind: 'delay', ms: 60_000 }, 1);
        case 'malformed': {
          if (!answered) throw new Error('a malformed answer needs a session the phone answered');
          const body = malformed[fault.name]?.(answered) ?? '';
          return sim.faults.inject({ kind: 'body', body }, 1);
        }
        case 'empty':
          return sim.faults.inject({ kind: 'body', body: '' }, 1);
        case 'truncate':
          return sim.faults.inject({ kind: 'truncate' }, 1);
        case 'foreign': {
          if (!answered) throw new Error('a foreign approval needs a session the phone answered');
          const { authsessionid, secsignid } = answered;
          const body =
            fault.about === 'request'
              ? `authsessionid=${authsessionid === '1' ? '2' : '1'}&secsignid=${secsignid}&authsessionstate=3`
              : `authsessionid=${authsessionid}&secsignid=mallory&authsessionstate=3`;
          return sim.faults.inject({ kind: 'body', body }, 1);
        }
      }
    },
    malformedAnswers: Object.keys(malformed),
    secrets: [],
    close: () => sim.close(),
  };
});

/** The conformance suite, run against the scripted provider (the reference every provider meets). */
import { PushError } from '../../../lib';
import { emptyResponseError, retryableHttpStatus } from '../../../lib/errors';
import { providerConformance, ScriptedProvider, type ConformanceTarget } from '../../../lib/testing';

const malformed: Record<string, unknown> = {
  'approval without a subject': { state: 'approved' },
  'approval with an empty subject': { state: 'approved', subject: '' },
  'an unknown state': { state: 'maybe' },
  'no object at all': 'approved',
  null: null,
};

providerConformance('ScriptedProvider', async (): Promise<ConformanceTarget> => {
  const provider = new ScriptedProvider();
  return {
    provider,
    userId: 'alice',
    phone: {
      approve: async (started, userId) =>
        provider.answerFor(started.handle, { state: 'approved', subject: userId }),
      deny: async (started) => provider.answerFor(started.handle, { state: 'denied' }),
      expire: async (started) => provider.answerFor(started.handle, { state: 'expired' }),
    },
    inject(fault) {
      switch (fault.kind) {
        case 'status':
          return provider.failNext(
            new PushError('protocol', `The provider answered HTTP ${fault.status}.`, {
              code: 'http_status',
              retryable: retryableHttpStatus(fault.status),
              details: { status: fault.status },
            }),
          );
        case 'reset':
          return provider.failNext(
            new PushError('protocol', 'Connection reset.', { code: 'reset', retryable: true }),
          );
        case 'hang':
          provider.checkGate = new Promise(() => undefined);
          return;
        case 'malformed':
          return provider.answerRaw(malformed[fault.name]);
        case 'empty':
          return provider.failNext(emptyResponseError('The provider', 200));
        case 'truncate':
          return provider.failNext(
            new PushError('protocol', 'The answer was cut short.', { code: 'reset', retryable: true }),
          );
        case 'foreign':
          throw new Error('Scripted answers are kept per challenge (see inexpressible).');
      }
    },
    malformedAnswers: Object.keys(malformed),
    inexpressible: {
      request: 'each challenge keeps its own scripted answer, found by the handle',
      user: 'an approval names the user the phone approved for',
    },
    secrets: ['scripted-secret-never-configured'],
  };
});

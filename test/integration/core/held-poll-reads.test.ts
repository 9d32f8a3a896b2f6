import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';
import { CountingStore } from '../../helpers/counting-store';

const json = { Accept: 'application/json' };

async function waitFor(condition: () => boolean, attempts = 400): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not reached');
}

describe('a held long poll and the session store', () => {
  test('while the login waits, the store is read at most once per provider check', async () => {
    const store = new CountingStore();
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 100 },
      router: { longPollMs: 10_000 },
      sessionStore: store,
    });
    const readsBefore = store.reads;
    const checksBefore = provider.calls.check;
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r);
    // Several provider checks while the one request is held, all of them still pending.
    await waitFor(() => provider.calls.check - checksBefore >= 4);
    provider.answer('approved');
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('authenticated');
    const checks = provider.calls.check - checksBefore;
    // The request's own session load and the reads that complete the login are included.
    expect(store.reads - readsBefore).toBeLessThanOrEqual(checks);
    await agent.get('/me').expect(200);
  });

  test('a provider fault that ends the challenge ends the held poll too: invalid, never logged in', async () => {
    const { provider, agent } = await startedLogin({
      provider: new ScriptedProvider(),
      strategy: { pollIntervalMs: 100 },
      router: { longPollMs: 10_000 },
    });
    const checksBefore = provider.calls.check;
    const held = agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r);
    await waitFor(() => provider.calls.check - checksBefore >= 2);
    // A malformed answer: a protocol fault, and one that the provider repeats on every check.
    provider.answerRaw({ state: 'nonsense' });
    const answer = await held;
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ state: 'invalid', code: 'invalid_response' });
    await agent.get('/auth/push/status').set(json).expect(404);
    await agent.get('/me').expect(401);
  });
});

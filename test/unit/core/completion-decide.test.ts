/**
 * `CompletionStore.decide`: the first ending of a challenge is recorded and read back by every later
 * request, a deadline already past records nothing; and a custom store with only `claim` still
 * reports each ending once, while a late cancel there says only that the login had ended (it cannot
 * know it was a completion).
 */
import type { CompletionStore } from '../../../lib';
import { MemoryCompletionStore } from '../../../lib/core/completion';
import { ScriptedProvider } from '../../../lib/testing';
import { startedLogin } from '../../helpers/app';
import { manualClock } from '../../helpers/clock';

const json = { Accept: 'application/json' };

test('the first ending holds: later calls read it back, and a past deadline records nothing', async () => {
  const clock = manualClock();
  const store = new MemoryCompletionStore(clock.now);
  const until = clock.now() + 60_000;
  expect(await store.decide('c1', until, 'denied')).toEqual({ decided: true, ending: 'denied' });
  expect(await store.decide('c1', until, 'cancelled')).toEqual({ decided: false, ending: 'denied' });
  expect(await store.claim('c1', until)).toBe(false);
  expect(await store.decide('c2', clock.now() - 1, 'expired')).toEqual({ decided: false });
  expect(await store.claim('c3', until)).toBe(true);
  expect(await store.decide('c3', until, 'cancelled')).toEqual({ decided: false });
});

test('with a claim-only store, a cancel after another ending answers that the login had ended', async () => {
  // Another request (another instance) decided first; this store cannot say which ending it was.
  const completions: CompletionStore = { claim: async () => false };
  const events: string[] = [];
  const { agent } = await startedLogin({
    provider: new ScriptedProvider(),
    strategy: { stores: { completions }, onEvent: (event) => events.push(event.type) },
  });
  const answer = await agent.post('/auth/push/cancel').set(json).send({});
  expect(answer.body).toMatchObject({
    state: 'none',
    message: 'No login is waiting for approval.',
    detail: 'The login had already ended.',
  });
  expect(events).toEqual(['start']);
});

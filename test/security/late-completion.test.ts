/**
 * A challenge completes at most once, ever, and never after its deadline, however late the
 * provider answers and however many polls wait for that answer.
 */
import { ScriptedProvider } from '../../lib/testing';
import { startedLogin } from '../helpers/app';
import { manualClock } from '../helpers/clock';

const json = { Accept: 'application/json' };

function gate() {
  let open = () => {};
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open: () => open() };
}

async function waitFor(condition: () => boolean, attempts = 400): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}

test('an approval the provider gives after the deadline logs nobody in, whatever the number of polls', async () => {
  const time = manualClock();
  const provider = new ScriptedProvider();
  const { agent, verified } = await startedLogin({
    provider,
    strategy: { challengeTimeoutMs: 2000, pollIntervalMs: 0, now: time.now },
  });
  const held = gate();
  provider.checkGate = held.closed;
  const polls = Array.from({ length: 5 }, () =>
    agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r),
  );
  await waitFor(() => provider.calls.check >= 1);
  time.advance(2500); // the provider answers after the local deadline
  provider.answer('approved');
  held.open();
  const answers = await Promise.all(polls);
  expect(answers.map((a) => a.body.state)).not.toContain('authenticated');
  expect(verified).toHaveLength(0);
  await agent.get('/me').expect(401);
});

test('concurrent polls of an approved challenge complete it exactly once', async () => {
  const provider = new ScriptedProvider();
  const { agent, verified } = await startedLogin({ provider, strategy: { pollIntervalMs: 0 } });
  const held = gate();
  provider.checkGate = held.closed;
  const polls = Array.from({ length: 5 }, () =>
    agent
      .get('/auth/push/status')
      .set(json)
      .then((r) => r),
  );
  await waitFor(() => provider.calls.check >= 1);
  provider.answer('approved');
  held.open();
  await Promise.all(polls);
  expect(verified).toHaveLength(1);
  await agent.get('/me').expect(200);
});

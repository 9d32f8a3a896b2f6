/**
 * Held long polls reload the session between rounds. Whatever one round learned (the next check
 * time) must not be lost to another: all requests of one challenge share one provider call per
 * interval, held or not. The strategy's clock stands still here, so one interval never passes and
 * exactly one provider call may happen, however many rounds the held requests make.
 */
import { ScriptedProvider } from '../../lib/testing';
import { startedLogin } from '../helpers/app';
import { manualClock } from '../helpers/clock';

const json = { Accept: 'application/json' };

test('20 held polls inside one interval cause one provider call', async () => {
  const time = manualClock();
  const provider = new ScriptedProvider();
  const { agent } = await startedLogin({
    provider,
    strategy: { pollIntervalMs: 100, now: time.now },
    router: { longPollMs: 600 },
  });
  time.advance(100); // the first check is due
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      agent
        .get('/auth/push/status')
        .set(json)
        .then((r) => r),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
  expect(provider.calls.check).toBe(1);
});

test('held and short polls together share that call', async () => {
  const time = manualClock();
  const provider = new ScriptedProvider();
  const { agent } = await startedLogin({
    provider,
    strategy: { pollIntervalMs: 100, now: time.now },
    router: { longPollMs: 400 },
  });
  time.advance(100);
  await Promise.all([
    ...Array.from({ length: 5 }, () =>
      agent
        .get('/auth/push/status')
        .set(json)
        .then((r) => r),
    ),
    ...Array.from({ length: 5 }, () => agent.get('/auth/push/wait').then((r) => r)),
  ]);
  expect(provider.calls.check).toBe(1);
});

import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { duoProviderFor, noAbort } from './setup';

let sim: DuoSimulator;
afterEach(() => sim.close());

async function pushedTo(holdCapMs: number, statusWaitMs: number) {
  sim = await DuoSimulator.start({ users: ['alice'], holdCapMs });
  const provider = duoProviderFor(sim, { statusWaitMs });
  const { handle } = await provider.start({ userId: 'alice' }, noAbort());
  const [push] = sim.phone.pending('alice');
  if (!push) throw new Error('no push reached the phone');
  return { provider, handle, push };
}

describe('Duo auth_status long poll', () => {
  it("the held auth_status answers the phone's approval in the same round trip", async () => {
    // Both caps far beyond the test: only the approval can end the held call.
    const { provider, handle, push } = await pushedTo(60_000, 60_000);
    const checking = provider.check(handle, noAbort());
    await sim.whenHeld(1);
    expect(sim.phone.approve(push.id)).toBe(true);
    expect(await checking).toEqual({ state: 'approved', subject: 'alice' });
    expect(sim.calls['auth_status']).toBe(1);
  });

  it('a fraud report ends the held call the same way', async () => {
    const { provider, handle, push } = await pushedTo(60_000, 60_000);
    const checking = provider.check(handle, noAbort());
    await sim.whenHeld(1);
    sim.phone.reportFraud(push.id);
    expect(await checking).toMatchObject({ state: 'denied', reason: 'fraud' });
    expect(sim.calls['auth_status']).toBe(1);
  });

  it("the server's cap ends a hold with waiting: pending, not an error", async () => {
    const { provider, handle } = await pushedTo(50, 60_000);
    expect(await provider.check(handle, noAbort())).toMatchObject({
      state: 'pending',
      message: { key: 'duo.status.pushed' },
    });
  });

  it('statusWaitMs ends a longer hold as pending; the next check sees the answer', async () => {
    const { provider, handle, push } = await pushedTo(60_000, 100);
    expect(await provider.check(handle, noAbort())).toEqual({ state: 'pending' });
    sim.phone.approve(push.id);
    expect(await provider.check(handle, noAbort())).toEqual({ state: 'approved', subject: 'alice' });
    expect(sim.calls['auth_status']).toBe(2);
  });

  it("the caller's abort during a hold stays an error (aborted, retryable)", async () => {
    const { provider, handle } = await pushedTo(60_000, 60_000);
    const controller = new AbortController();
    const checking = provider.check(handle, controller.signal);
    await sim.whenHeld(1);
    controller.abort();
    await expect(checking).rejects.toMatchObject({ code: 'aborted', retryable: true });
  });
});

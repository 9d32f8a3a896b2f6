import { PushError } from '../../../lib/errors';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { duoProviderFor, noAbort } from './setup';

let sim: DuoSimulator;
beforeEach(async () => {
  // holdCapMs 0: auth_status answers at once, so each check is one plain round trip.
  sim = await DuoSimulator.start({ users: ['alice'], holdCapMs: 0 });
});
afterEach(() => sim.close());

async function started(overrides = {}) {
  const provider = duoProviderFor(sim, overrides);
  const challenge = await provider.start(
    {
      userId: 'alice',
      clientIp: '203.0.113.7',
      serviceName: 'Example Shop',
      serviceAddress: 'https://shop.example',
      message: 'Log in & pay',
    },
    noAbort(),
  );
  const [push] = sim.phone.pending('alice');
  if (!push) throw new Error('no push reached the phone');
  return { provider, challenge, push };
}

async function startError(userId: string, overrides = {}): Promise<PushError> {
  try {
    await duoProviderFor(sim, overrides).start({ userId }, noAbort());
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected start to fail');
}

describe('Duo provider against DuoSimulator', () => {
  it('start: preauth then an async push to device auto, with pushinfo and the client IP', async () => {
    const { challenge, push } = await started({ pushType: 'Login request' });
    expect(sim.calls).toEqual({ preauth: 1, auth: 1 });
    expect(sim.lastRequest?.params).toEqual({
      username: 'alice',
      factor: 'push',
      device: 'auto',
      async: '1',
      ipaddr: '203.0.113.7',
      type: 'Login request',
      pushinfo: 'Service=Example%20Shop&Address=https%3A%2F%2Fshop.example&Message=Log%20in%20%26%20pay',
    });
    expect(sim.phone.pushInfo(push.id)).toEqual({
      Service: 'Example Shop',
      Address: 'https://shop.example',
      Message: 'Log in & pay',
    });
    expect(challenge.handle).toEqual({ username: 'alice', txid: push.id });
    expect(challenge.display.instruction).toMatch(/Duo Push/);
  });

  it('the handle is plain JSON and holds no key material', async () => {
    const { challenge } = await started();
    const stored = JSON.stringify(challenge.handle);
    expect(JSON.parse(stored)).toEqual(challenge.handle);
    expect(stored).not.toContain(sim.secretKey);
    expect(stored).not.toContain(sim.integrationKey);
  });

  it('check: pending with duo.status.pushed, then approved for the username', async () => {
    const { provider, challenge, push } = await started();
    expect(await provider.check(challenge.handle, noAbort())).toEqual({
      state: 'pending',
      message: { key: 'duo.status.pushed', text: expect.stringMatching(/Pushed/) },
    });
    sim.phone.approve(push.id);
    expect(await provider.check(challenge.handle, noAbort())).toEqual({
      state: 'approved',
      subject: 'alice',
    });
  });

  it.each([
    ['deny', 'denied', 'deny'],
    ['reportFraud', 'denied', 'fraud'],
    ['timeout', 'expired', 'timeout'],
  ] as const)('the phone answers %s → %s (reason %s)', async (action, state, reason) => {
    const { provider, challenge, push } = await started();
    sim.phone[action](push.id);
    expect(await provider.check(challenge.handle, noAbort())).toMatchObject({
      state,
      reason,
      message: { key: `duo.status.${reason}` },
    });
  });

  it('an unknown user (Duo asks to enrol) fails at preauth with unknown_user; no push is sent', async () => {
    expect(await startError('mallory')).toMatchObject({ code: 'unknown_user', retryable: false });
    expect(sim.calls).toEqual({ preauth: 1 });
  });

  it('a denied user fails at preauth with user_locked', async () => {
    sim.addUser('bob', { preauth: 'deny' });
    expect(await startError('bob')).toMatchObject({ code: 'user_locked', details: { providerCode: 'deny' } });
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a user with only SMS and phone fails fast with no_device', async () => {
    sim.addUser('carol', { devices: [{ device: 'DP1', capabilities: ['sms', 'phone'] }] });
    const error = await startError('carol');
    expect(error).toMatchObject({ code: 'no_device' });
    expect(error.message).toMatch(/no device that can receive a Duo Push/);
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a bypass user is refused by default', async () => {
    sim.addUser('dave', { preauth: 'allow' });
    expect(await startError('dave')).toMatchObject({
      code: 'not_supported',
      details: { providerCode: 'allow' },
    });
  });

  it('with acceptBypass, a bypass user is approved without a push; the handle stops approving once it is off', async () => {
    sim.addUser('dave', { preauth: 'allow' });
    const challenge = await duoProviderFor(sim, { acceptBypass: true }).start({ userId: 'dave' }, noAbort());
    expect(sim.calls['auth']).toBeUndefined();
    expect(await duoProviderFor(sim, { acceptBypass: true }).check(challenge.handle, noAbort())).toEqual({
      state: 'approved',
      subject: 'dave',
    });
    expect(await duoProviderFor(sim).check(challenge.handle, noAbort())).toMatchObject({ state: 'invalid' });
    expect(sim.calls['auth_status']).toBeUndefined();
  });

  it('a malformed handle is refused without a call', async () => {
    const provider = duoProviderFor(sim);
    await expect(provider.check({ username: 'alice', txid: '../../x' }, noAbort())).rejects.toMatchObject({
      code: 'invalid_challenge',
    });
    expect(sim.calls['auth_status']).toBeUndefined();
  });

  it('an unknown txid is a terminal provider_error from Duo', async () => {
    const provider = duoProviderFor(sim);
    await expect(
      provider.check({ username: 'alice', txid: '00000000-0000-4000-8000-000000000000' }, noAbort()),
    ).rejects.toMatchObject({ code: 'provider_error', retryable: false, details: { providerCode: '40002' } });
  });
});

/**
 * Duo action approval against the simulator: `/auth` carries the action as the push's `type` and
 * `pushinfo`, within Duo's documented size; only Duo's `allow` for this push's `txid` approves, and
 * the approval names the intent hash the push was sent for.
 */
import { actionRequest } from '../../../lib/core/intent';
import { PushError } from '../../../lib/errors';
import type { ActionIntent } from '../../../lib/providers/action';
import { DuoClient } from '../../../lib/providers/duo/client';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { PAYMENT } from '../../helpers/intents';
import { duoProviderFor, noAbort } from './setup';

const action = actionRequest(PAYMENT);

let sim: DuoSimulator;
beforeEach(async () => {
  sim = await DuoSimulator.start({ users: ['alice', 'bob'], holdCapMs: 0 });
});
afterEach(() => sim.close());

async function startedAction(request = action, overrides = {}) {
  const provider = duoProviderFor(sim, { pushType: 'Login request', ...overrides });
  const started = await provider.start(
    { userId: 'alice', clientIp: '203.0.113.7', serviceName: 'Example Bank', action: request },
    noAbort(),
  );
  const [push] = sim.phone.pending('alice');
  if (!push) throw new Error('no push reached the phone');
  return { provider, started, push };
}

async function startError(intent: ActionIntent): Promise<unknown> {
  return duoProviderFor(sim)
    .start({ userId: 'alice', action: actionRequest(intent) }, noAbort())
    .catch((error: unknown) => error);
}

describe('Duo /auth for an action', () => {
  it('declares what it can show and prove: the action as text, and Duo saying yes', () => {
    expect(duoProviderFor(sim).actions).toEqual({ shows: 'text', proves: 'provider-yes' });
  });

  it('sends the action as the push title and pushinfo (never the login title), for the signed-in user', async () => {
    const { started, push } = await startedAction();
    expect(sim.lastRequest?.path).toBe('/auth/v2/auth');
    expect(sim.lastRequest?.params).toEqual({
      username: 'alice',
      display_username: 'alice',
      factor: 'push',
      device: 'auto',
      async: '1',
      ipaddr: '203.0.113.7',
      type: 'Approve payment',
      pushinfo:
        'Service=Example%20Bank&Amount=500.00%20SEK&To=Anna%20Berg&Account=5491-0000003&Reference=Rent%20May',
    });
    // The phone shows the action, as Duo Mobile would: the title, then the pairs.
    expect(push.action).toBe(
      'Approve payment\n\nService: Example Bank\nAmount: 500.00 SEK\nTo: Anna Berg\nAccount: 5491-0000003\nReference: Rent May',
    );
    // The handle keeps the hash the approval must name, never the text.
    expect(started.handle).toEqual({ username: 'alice', txid: push.id, intentHash: action.hash });
    expect(JSON.stringify(started.handle)).not.toContain('Anna');
  });

  it('a generic action: its title is the push title, its lines the pairs', async () => {
    const generic = actionRequest({
      type: 'generic',
      title: 'Export customer data',
      lines: ['All 1,204 customers', 'Format: CSV'],
    });
    await startedAction(generic);
    expect(sim.lastRequest?.params).toMatchObject({
      type: 'Export customer data',
      pushinfo: 'Service=Example%20Bank&Line%201=All%201%2C204%20customers&Line%202=Format%3A%20CSV',
    });
  });

  it("Duo's allow for this txid approves, naming this intent's hash and the txid as proof", async () => {
    const { provider, started, push } = await startedAction();
    expect(sim.phone.approve(push.id)).toBe(true);
    await expect(provider.check(started.handle, noAbort())).resolves.toEqual({
      state: 'approved',
      subject: 'alice',
      action: { intentHash: action.hash, proof: { txid: push.id, result: 'allow', status: 'allow' } },
    });
  });

  it('a denied or fraud-reported push is no approval', async () => {
    const { provider, started, push } = await startedAction();
    sim.phone.reportFraud(push.id);
    await expect(provider.check(started.handle, noAbort())).resolves.toMatchObject({
      state: 'denied',
      reason: 'fraud',
    });
  });

  it("an action whose pushinfo would reach 20,000 bytes (Duo's limit) is refused before any push, never cut", async () => {
    // 20 lines of 140 euro signs: 9 bytes each once URL-encoded, 25,200 bytes in all.
    const long = '€'.repeat(140);
    const error = await startError({ type: 'generic', title: 'Bulk transfer', lines: Array(20).fill(long) });
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_intent' });
    expect((error as Error).message).toMatch(/20,000 bytes/);
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a title longer than a push title may be is refused, never cut', async () => {
    const error = await startError({ type: 'generic', title: 'A'.repeat(101), lines: ['x'] });
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_intent' });
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('bypass (preauth allow) never approves an action, even when the app accepts bypass for logins', async () => {
    sim.addUser('carol', { preauth: 'allow' });
    const error = await duoProviderFor(sim, { acceptBypass: true })
      .start({ userId: 'carol', action }, noAbort())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_supported' });
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a handle with a malformed intent hash is refused', async () => {
    const { provider, started } = await startedAction();
    await expect(
      provider.check({ ...started.handle, intentHash: 'not-a-hash' }, noAbort()),
    ).rejects.toMatchObject({ code: 'invalid_challenge' });
  });
});

describe('the simulator checks what it receives', () => {
  it('refuses a pushinfo of 20,000 bytes or more, as Duo documents', async () => {
    const client = new DuoClient({
      apiHost: sim.apiHost.replace(/^http:\/\//, ''),
      protocol: 'http:',
      integrationKey: sim.integrationKey,
      secretKey: sim.secretKey,
      now: () => new Date(),
    });
    const push = { username: 'alice', type: 'Approve payment' };
    const error = await client
      .pushAuth({ ...push, pushinfo: `Note=${'x'.repeat(19_995)}` }, 5_000, noAbort())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_error', details: { providerCode: '40002' } });
    await expect(
      client.pushAuth({ ...push, pushinfo: `Note=${'x'.repeat(19_994)}` }, 5_000, noAbort()),
    ).resolves.toEqual({ txid: expect.any(String) });
  });
});

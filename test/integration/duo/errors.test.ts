import { PushError } from '../../../lib/errors';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { duoProviderFor, noAbort } from './setup';

let sim: DuoSimulator;
beforeEach(async () => {
  sim = await DuoSimulator.start({ users: ['alice'], holdCapMs: 0 });
});
afterEach(() => sim.close());

async function startError(overrides = {}): Promise<PushError> {
  try {
    await duoProviderFor(sim, overrides).start({ userId: 'alice' }, noAbort());
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected start to fail');
}

describe('Duo errors and retry classes against DuoSimulator', () => {
  it('a wrong secret key fails closed: 401 → unauthorized, not retryable, says what to check; no push', async () => {
    const error = await startError({ secretKey: 'A'.repeat(40) });
    expect(error).toMatchObject({ kind: 'provider', code: 'unauthorized', retryable: false });
    expect(error.details['providerCode']).toBe('40103');
    expect(error.message).toMatch(/integrationKey, secretKey and apiHost/);
    expect(error.message).not.toContain(sim.secretKey);
    expect(sim.phone.pending()).toEqual([]);
  });

  it('a wrong integration key is refused the same way', async () => {
    expect(await startError({ integrationKey: 'DI' + 'Z'.repeat(18) })).toMatchObject({
      code: 'unauthorized',
      details: { providerCode: '40102' },
    });
  });

  it('a clock far from Duo’s is refused (unauthorized), even with the right keys', async () => {
    const error = await startError({ now: () => new Date(Date.now() - 3_600_000) });
    expect(error).toMatchObject({ code: 'unauthorized', details: { providerCode: '40105' } });
  });

  it('a clock within the allowed skew is fine', async () => {
    await expect(
      duoProviderFor(sim, { now: () => new Date(Date.now() - 60_000) }).start({ userId: 'alice' }, noAbort()),
    ).resolves.toMatchObject({ handle: { username: 'alice' } });
  });

  it.each([
    ['rate_limited', { code: 'rate_limited', retryable: true }],
    ['server_error', { code: 'http_status', retryable: true }],
    ['bad_signature', { code: 'unauthorized', retryable: false }],
    ['malformed_json', { code: 'invalid_response', retryable: false }],
  ] as const)('fault %s → %o', async (fault, expected) => {
    sim.injectFault(fault, 1);
    expect(await startError()).toMatchObject(expected);
  });

  it('a server slower than timeoutMs is a retryable timeout', async () => {
    sim.injectFault({ kind: 'slow', ms: 2_000 }, 1);
    expect(await startError({ timeoutMs: 100 })).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('a reset connection is retryable', async () => {
    sim.faults.inject({ kind: 'reset' }, 1);
    expect(await startError()).toMatchObject({ code: 'reset', retryable: true });
  });

  it('an answer over maxResponseBytes is refused', async () => {
    sim.faults.inject({ kind: 'huge', bytes: 5_000 }, 1);
    expect(await startError({ maxResponseBytes: 1_000 })).toMatchObject({ code: 'too_large' });
  });

  it('check after a transient fault: the same handle works once Duo is back', async () => {
    const provider = duoProviderFor(sim);
    const { handle } = await provider.start({ userId: 'alice' }, noAbort());
    sim.injectFault('server_error', 1);
    await expect(provider.check(handle, noAbort())).rejects.toMatchObject({ retryable: true });
    const [push] = sim.phone.pending('alice');
    sim.phone.approve(push?.id ?? '');
    expect(await provider.check(handle, noAbort())).toEqual({ state: 'approved', subject: 'alice' });
  });

  it('a malformed auth_status answer never approves', async () => {
    const provider = duoProviderFor(sim);
    const { handle } = await provider.start({ userId: 'alice' }, noAbort());
    sim.faults.inject({ kind: 'body', body: '{"stat":"OK","response":{"result":"allow"}}' }, 1);
    await expect(provider.check(handle, noAbort())).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

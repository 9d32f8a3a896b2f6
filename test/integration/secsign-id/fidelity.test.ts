/**
 * SecSign ID protocol fidelity: the seed guide's release step, canonical IDs, frozen IDs, the one
 * retry rule, answers tied to their session, and timeouts that leave room for the fallback.
 */
import { SECSIGN_DEFAULT_TIMEOUT_MS } from '../../../lib/providers/secsign-id/provider';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { phoneView, providerFor, signal } from './setup';
import { thrown } from '../../helpers/errors';

describe('SecSign ID protocol fidelity', () => {
  let sim: SecSignIdSimulator;
  afterEach(() => sim.close());

  async function approvedLogin(
    typed: string,
    options: Parameters<typeof providerFor>[1] = {},
  ): Promise<{ status: unknown; authsessionid: string }> {
    const provider = providerFor(sim.url, options);
    const started = await provider.start({ userId: typed }, signal());
    const view = phoneView(sim, started.handle['secsignid'] as string, started);
    sim.phone.approve(view.id, view.choice);
    return { status: await provider.check(started.handle, signal()), authsessionid: view.id };
  }

  it('declares its name, that it needs an ID, and that the server ID is the subject', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const provider = providerFor(sim.url);
    expect([provider.displayName, provider.userId, provider.subjectRule]).toEqual([
      'SecSign ID',
      'required',
      'provider',
    ]);
  });

  it('releases an approved session (seed guide step 5)', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const { status, authsessionid } = await approvedLogin('alice');
    expect(status).toMatchObject({ state: 'approved', subject: 'alice' });
    expect(await sim.releasesReceived(1)).toEqual([authsessionid]);
    expect(sim.lastRequest?.keys).toEqual([
      'apimethod',
      'secsignid',
      'authsessionid',
      'requestid',
      'request',
    ]);
  });

  it('still approves when the server refuses the release', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'], releaseAnswer: 'error' });
    const { status } = await approvedLogin('alice');
    expect(status).toMatchObject({ state: 'approved', subject: 'alice' });
    expect(await sim.releasesReceived(1)).toHaveLength(1);
  });

  it('sends no release when releaseAfterApproval is false, and none for a denial', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    await approvedLogin('alice', { releaseAfterApproval: false });
    const provider = providerFor(sim.url);
    const started = await provider.start({ userId: 'alice' }, signal());
    sim.phone.deny(phoneView(sim, 'alice', started).id);
    expect((await provider.check(started.handle, signal())).state).toBe('denied');
    expect(sim.calls['ReqReleaseAuthSession']).toBeUndefined();
  });

  it("takes the server's canonical ID as the subject when it differs from the typed one", async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice.smith'] });
    sim.addAlias('alice', 'alice.smith');
    const { status } = await approvedLogin('Alice');
    expect(status).toMatchObject({ state: 'approved', subject: 'alice.smith' });
  });

  it('reports a frozen ID (errorcode 20006) as user_locked with a clear message', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    sim.freeze('alice');
    const error = await thrown(providerFor(sim.url).start({ userId: 'alice' }, signal()));
    expect(error).toMatchObject({
      kind: 'input',
      code: 'user_locked',
      retryable: false,
      details: expect.objectContaining({ providerCode: '20006' }),
    });
    expect(error.message).toMatch(/frozen/);
  });

  it('reports an unknown ID (errorcode 20000) as unknown_user', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const error = await thrown(providerFor(sim.url).start({ userId: 'mallory' }, signal()));
    expect(error).toMatchObject({ code: 'unknown_user', retryable: false });
    expect(error.details['providerCode']).toBe('20000');
  });

  it('refuses an approval that names another auth session', async () => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const provider = providerFor(sim.url);
    const started = await provider.start({ userId: 'alice' }, signal());
    const view = phoneView(sim, 'alice', started);
    sim.phone.approve(view.id, view.choice);
    sim.variance.foreignSessionId = true;
    const error = await thrown(provider.check(started.handle, signal()));
    expect(error).toMatchObject({ code: 'transaction_mismatch', retryable: false });
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [403, false],
  ])('HTTP %i is http_status, retryable: %s', async (status, retryable) => {
    sim = await SecSignIdSimulator.start({ users: ['alice'] });
    sim.faults.inject({ kind: 'status', status, body: 'no' }, 1);
    const error = await thrown(providerFor(sim.url).start({ userId: 'alice' }, signal()));
    expect(error).toMatchObject({ code: 'http_status', retryable, details: { status } });
  });
});

it('defaults to per-attempt timeouts that leave the fallback room in the default 20 s', () => {
  expect(2 * SECSIGN_DEFAULT_TIMEOUT_MS).toBeLessThanOrEqual(20_000);
});

/**
 * Authentiq8 Me protocol fidelity against the simulator's variance modes: what the guide does not
 * pin down (echoes, error envelopes, numeric codes, where txn_type travels) is read leniently, while
 * an answer that names another user or another authentication is always refused.
 */
import { startPair, signal, type Pair } from './setup';
import { thrown } from '../../helpers/errors';

/** Starts a login for alice, approves it on the phone, and moves past the poll interval. */
async function approvedHandle(pair: Pair): Promise<Parameters<Pair['provider']['check']>[0]> {
  const started = await pair.provider.start({ userId: 'alice' }, signal());
  const [request] = pair.simulator.phone.pending('alice');
  pair.simulator.phone.approve(request?.id ?? '');
  pair.clock.advance(1500);
  return started.handle;
}

describe('Authentiq8 Me protocol fidelity', () => {
  let pair: Pair;
  afterEach(() => pair.simulator.close());

  it('declares its name, that it needs an ID, and that the typed ID must match', async () => {
    pair = await startPair();
    const { displayName, userId, subjectRule } = pair.provider;
    expect({ displayName, userId, subjectRule }).toEqual({
      displayName: 'Authentiq8 Me',
      userId: 'required',
      subjectRule: 'must-match',
    });
  });

  it('accepts an approval that echoes neither user_id nor auth_id, and notes it in the claims', async () => {
    pair = await startPair();
    const handle = await approvedHandle(pair);
    pair.simulator.variance.noEchoes = true;
    expect(await pair.provider.check(handle, signal())).toMatchObject({
      state: 'approved',
      subject: 'alice',
      claims: { userEchoed: false },
    });
  });

  it('refuses an approval without a user_id echo when requireUserEcho is set', async () => {
    pair = await startPair({ provider: { requireUserEcho: true } });
    const handle = await approvedHandle(pair);
    pair.simulator.variance.noEchoes = true;
    expect(await thrown(pair.provider.check(handle, signal()))).toMatchObject({ code: 'invalid_response' });
  });

  it('refuses an approval that echoes another user_id', async () => {
    pair = await startPair();
    const handle = await approvedHandle(pair);
    pair.simulator.variance.echoUserId = 'mallory';
    expect(await thrown(pair.provider.check(handle, signal()))).toMatchObject({ code: 'subject_mismatch' });
  });

  it('refuses an approval that echoes another auth_id', async () => {
    pair = await startPair();
    const handle = await approvedHandle(pair);
    pair.simulator.variance.echoAuthId = 'auth-someone-else';
    expect(await thrown(pair.provider.check(handle, signal()))).toMatchObject({
      code: 'transaction_mismatch',
    });
  });

  it('keeps the real rsp_code of an error answer without transaction_id', async () => {
    pair = await startPair();
    pair.simulator.variance.errorsWithoutTransactionId = true;
    const error = await thrown(pair.provider.start({ userId: 'mallory' }, signal()));
    expect(error).toMatchObject({ code: 'unknown_user', details: { providerCode: '1044' } });
  });

  it('still refuses an answer whose transaction_id names another request', async () => {
    pair = await startPair();
    pair.simulator.faults.inject(
      { kind: 'body', body: '{"rsp_code":"1044","rsp_msg":"x","transaction_id":"someone-else"}' },
      1,
    );
    expect(await thrown(pair.provider.start({ userId: 'alice' }, signal()))).toMatchObject({
      code: 'transaction_mismatch',
    });
  });

  it('reads numeric rsp_codes', async () => {
    pair = await startPair();
    pair.simulator.variance.numericCodes = true;
    const handle = await approvedHandle(pair);
    expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'approved' });
    const error = await thrown(pair.provider.start({ userId: 'mallory' }, signal()));
    expect(error.details['providerCode']).toBe('1044');
  });

  it.each(['header', 'query'] as const)('sends txn_type in the %s when configured so', async (location) => {
    pair = await startPair({
      simulator: { txnTypeLocation: location },
      provider: { txnTypeLocation: location },
    });
    const handle = await approvedHandle(pair);
    expect(await pair.provider.check(handle, signal())).toMatchObject({ state: 'approved' });
    expect(pair.simulator.lastRequest?.body.toString('utf8')).not.toContain('txn_type');
  });

  it('signs the body as PHP json_encode writes it (escaped / and non-ASCII)', async () => {
    pair = await startPair({ provider: { message: 'Sign in to shop.example/ü' } });
    await pair.provider.start({ userId: 'alice' }, signal());
    const body = pair.simulator.lastRequest?.body.toString('utf8') ?? '';
    expect(body).toContain('"message":"Sign in to shop.example\\/\\u00fc"');
    expect(pair.simulator.phone.pending('alice')[0]?.bindingMessage).toBe('Sign in to shop.example/ü');
  });

  it('does not ask check-user-devices by default', async () => {
    pair = await startPair();
    await pair.provider.start({ userId: 'alice' }, signal());
    expect(pair.simulator.calls['check-user-devices']).toBeUndefined();
  });

  it('skips an opted-in pre-flight whose answer it cannot read', async () => {
    pair = await startPair({ provider: { preflightDevices: true } });
    pair.simulator.faults.inject({ kind: 'body', body: 'not json' }, 1);
    await expect(pair.provider.start({ userId: 'alice' }, signal())).resolves.toMatchObject({
      handle: { userId: 'alice' },
    });
  });

  it('surfaces 9998/9999 as terminal errors with their code instead of retrying', async () => {
    pair = await startPair();
    pair.simulator.faults.inject({ kind: 'body', body: '{"rsp_code":"9999","rsp_msg":"x"}' }, 1);
    expect(await thrown(pair.provider.start({ userId: 'alice' }, signal()))).toMatchObject({
      code: 'provider_error',
      retryable: false,
      details: { providerCode: '9999' },
    });
  });

  it('surfaces 1010 (too late) as an error with its code, not as expiry', async () => {
    pair = await startPair();
    const handle = await approvedHandle(pair);
    pair.simulator.faults.inject({ kind: 'body', body: '{"rsp_code":"1010","rsp_msg":"x"}' }, 1);
    expect(await thrown(pair.provider.check(handle, signal()))).toMatchObject({
      details: { providerCode: '1010' },
      retryable: false,
    });
  });

  it('treats 1009 (too early) as a bounded, retryable rate limit', async () => {
    pair = await startPair();
    const handle = await approvedHandle(pair);
    pair.simulator.faults.inject({ kind: 'body', body: '{"rsp_code":"1009","rsp_msg":"x"}' }, 1);
    expect(await thrown(pair.provider.check(handle, signal()))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      details: { providerCode: '1009' },
    });
  });
});

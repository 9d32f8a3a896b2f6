import { authorizationHeader, canonicalParams, duoDate } from '../../../lib/providers/duo/signing';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';

let sim: DuoSimulator;
beforeEach(async () => {
  sim = await DuoSimulator.start({ users: ['alice'], holdCapMs: 0 });
});
afterEach(() => sim.close());

/** A raw signed request, so each test can break exactly one part. */
async function raw(
  path: string,
  params: Record<string, string>,
  tamper: { body?: string; authorization?: string; date?: string } = {},
) {
  const date = tamper.date ?? duoDate(new Date());
  const host = sim.apiHost.replace(/^http:\/\//, '');
  const authorization =
    tamper.authorization ??
    authorizationHeader(sim.integrationKey, sim.secretKey, { date, method: 'POST', host, path, params });
  const response = await fetch(`${sim.apiHost}${path}`, {
    method: 'POST',
    headers: {
      Date: date,
      Authorization: authorization,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: tamper.body ?? canonicalParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('DuoSimulator checks what it receives', () => {
  it('answers a correctly signed preauth', async () => {
    expect(await raw('/auth/v2/preauth', { username: 'alice' })).toMatchObject({
      status: 200,
      body: { stat: 'OK', response: { result: 'auth' } },
    });
  });

  it('refuses a body that differs from what was signed', async () => {
    const answer = await raw('/auth/v2/preauth', { username: 'alice' }, { body: 'username=bob' });
    expect(answer).toMatchObject({ status: 401, body: { stat: 'FAIL', code: 40103 } });
  });

  it('refuses a request without credentials', async () => {
    const answer = await raw('/auth/v2/preauth', { username: 'alice' }, { authorization: '' });
    expect(answer).toMatchObject({ status: 401, body: { code: 40101 } });
  });

  it('refuses a stale Date even when it is signed', async () => {
    const date = duoDate(new Date(Date.now() - 3_600_000));
    const answer = await raw('/auth/v2/preauth', { username: 'alice' }, { date });
    expect(answer).toMatchObject({ status: 401, body: { code: 40105 } });
  });

  it('refuses unknown and missing parameters with 40002', async () => {
    expect(await raw('/auth/v2/preauth', { username: 'alice', extra: '1' })).toMatchObject({
      status: 400,
      body: { code: 40002, message_detail: 'extra' },
    });
    expect(await raw('/auth/v2/auth', { username: 'alice', factor: 'push', device: 'auto' })).toMatchObject({
      status: 400,
      body: { code: 40002, message_detail: 'async' },
    });
  });

  it('counts calls per endpoint, signed or not', async () => {
    await raw('/auth/v2/preauth', { username: 'alice' }, { authorization: '' });
    await raw('/auth/v2/preauth', { username: 'alice' });
    expect(sim.calls).toEqual({ preauth: 2 });
  });

  it('the phone refuses to answer a push twice', async () => {
    const answer = await raw('/auth/v2/auth', {
      username: 'alice',
      factor: 'push',
      device: 'auto',
      async: '1',
    });
    const txid = (answer.body['response'] as { txid: string }).txid;
    expect(sim.phone.approve(txid)).toBe(true);
    expect(sim.phone.approve(txid)).toBe(false);
    expect(() => sim.phone.deny(txid)).toThrow(/no pending push/);
  });
});

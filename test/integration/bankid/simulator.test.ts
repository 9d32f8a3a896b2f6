import { Agent, request } from 'node:https';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { qrData } from '../../../lib/providers/bankid';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { ALICE, CLIENT_IP, providerFor, signal } from './setup';

let clock: ManualClock;
let sim: BankIdSimulator;
let agent: Agent;
beforeEach(async () => {
  clock = manualClock();
  sim = await BankIdSimulator.start({ now: clock.now });
  const { pfx, passphrase, ca } = sim.clientCertificate();
  agent = new Agent({ pfx, passphrase, ca });
});
afterEach(async () => {
  agent.destroy();
  await sim.close();
});

/** A raw call with the trusted certificate: what the server answers to exactly these bytes. */
function call(
  path: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${new URL(sim.url).origin}${path}`,
      { method: 'POST', agent, headers: { 'Content-Type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('BankID simulator', () => {
  it.each([
    ['no endUserIp', {}],
    ['a malformed endUserIp', { endUserIp: 'localhost' }],
    ['an unknown field', { endUserIp: CLIENT_IP, personalNumber: ALICE }],
    ['a 10-digit personal number', { endUserIp: CLIENT_IP, requirement: { personalNumber: '8512249874' } }],
    ['an unknown requirement', { endUserIp: CLIENT_IP, requirement: { colour: 'blue' } }],
    ['userVisibleData that is not base64', { endUserIp: CLIENT_IP, userVisibleData: 'hello!' }],
    ['a format without data', { endUserIp: CLIENT_IP, userVisibleDataFormat: 'simpleMarkdownV1' }],
  ])('/auth with %s → 400 invalidParameters', async (_what, body) => {
    const answer = await call('/rp/v6.0/auth', JSON.stringify(body));
    expect(answer).toMatchObject({ status: 400, json: { errorCode: 'invalidParameters' } });
  });

  it('/collect for an unknown order → 400 invalidParameters; other paths, types and bodies are refused', async () => {
    expect(await call('/rp/v6.0/collect', '{"orderRef":"nope"}')).toMatchObject({
      status: 400,
      json: { errorCode: 'invalidParameters' },
    });
    expect(await call('/rp/v5.1/auth', '{}')).toMatchObject({ status: 404, json: { errorCode: 'notFound' } });
    expect(await call('/rp/v6.0/auth', '{}', 'text/plain')).toMatchObject({
      status: 415,
      json: { errorCode: 'unsupportedMediaType' },
    });
    expect(await call('/rp/v6.0/auth', 'not json')).toMatchObject({
      status: 400,
      json: { errorCode: 'invalidParameters' },
    });
  });

  it('scanQr needs the right HMAC for the current second (or the one before)', async () => {
    const provider = providerFor(sim, { now: clock.now });
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    const frame = (at: number, secret = handle.qrStartSecret) =>
      qrData(handle.qrStartToken, secret, handle.startedAt, at);
    clock.advance(5000);
    expect(() => sim.scanQr(frame(clock.now(), 'another-secret-value'))).toThrow(/HMAC/);
    expect(() => sim.scanQr(frame(clock.now() - 3000))).toThrow(/second 2, it is second 5/);
    expect(() => sim.scanQr('https://example.com/')).toThrow(/not BankID QR data/);
    expect(sim.order(handle.orderRef).started).toBe(false);
    expect(sim.scanQr(frame(clock.now() - 1000))).toBe(handle.orderRef);
    expect(sim.order(handle.orderRef)).toMatchObject({ started: true, hintCode: 'started' });
  });

  it('the phone cannot approve an order the app does not have yet', async () => {
    const { handle } = await providerFor(sim).start({ clientIp: CLIENT_IP }, signal());
    expect(() => sim.approve(handle.orderRef)).toThrow(/does not have the order/);
    expect(() => sim.userSign(handle.orderRef)).toThrow(/does not have the order/);
  });

  it('the generic phone lists, opens, approves and denies orders', async () => {
    const provider = providerFor(sim);
    const first = await provider.start({ userId: ALICE, clientIp: CLIENT_IP }, signal());
    const second = await provider.start({ clientIp: CLIENT_IP }, signal());
    expect(sim.phone.pending().map((r) => r.id)).toEqual([second.handle.orderRef, first.handle.orderRef]);
    expect(sim.phone.pending(ALICE).map((r) => r.id)).toEqual([first.handle.orderRef]);
    sim.phone.fetch(first.handle.orderRef);
    expect(sim.phone.pending(ALICE)[0]?.fetched).toBe(true);
    expect(sim.phone.approve(first.handle.orderRef)).toBe(true);
    sim.phone.deny(second.handle.orderRef);
    expect(sim.orderList().map((o) => [o.status, o.hintCode])).toEqual([
      ['complete', undefined],
      ['failed', 'userCancel'],
    ]);
    expect(sim.calls).toEqual({ auth: 2 });
  });
});

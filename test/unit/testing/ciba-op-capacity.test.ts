/**
 * The CIBA test OP at a surge's scale: a request stays pending, approvable and redeemable however
 * many other requests arrive after it (oidc-provider's development adapter keeps only about a
 * thousand entries, so a 2,000-login bench lost requests it had not yet approved). The OP is no
 * Express app, so this runs once (the unit project), not again under Express 4.
 */
import { request } from 'node:http';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { provider, signal, startOnPhone } from '../../integration/ciba/support';

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp();
});
afterAll(() => op.close());

/** One backchannel request for bob, on a connection of its own (no keep-alive socket to race). */
function backchannel(authorization: string): Promise<number> {
  const body = new URLSearchParams({ scope: 'openid', login_hint: 'bob' }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${op.issuer}/backchannel`,
      {
        method: 'POST',
        agent: false,
        headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` backchannel requests for bob, `inFlight` at a time, as other browsers' starts would be. */
async function otherStarts(count: number, inFlight: number): Promise<void> {
  const { clientId, clientSecret } = op.providerOptions('client_secret_basic');
  const authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret ?? ''}`).toString('base64')}`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const status = await backchannel(authorization);
      if (status !== 200) throw new Error(`backchannel: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

test('a request approved after 2,100 later requests still completes (approved once, with its subject)', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba);

  // More than the development adapter keeps (a thousand-entry LRU of two generations).
  await otherStarts(2100, 8);

  await expect(ciba.check(started.handle, signal())).resolves.toEqual({ state: 'pending' });
  await expect(op.phone.approveNow(request.id)).resolves.toBe(true);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
    state: 'approved',
    subject: 'alice',
  });
}, 300_000);

/**
 * BankID action approval against the simulator: `/sign` shows the intent's text and signs it with
 * the intent hash as hidden data; only a signature over exactly that text and hash is an approval.
 */
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { actionRequest } from '../../../lib/core/intent';
import { PushError } from '../../../lib/errors';
import { ALICE, CLIENT_IP, providerFor, signal } from './setup';
import { PAYMENT } from '../../helpers/intents';

const action = actionRequest(PAYMENT);

let sim: BankIdSimulator;
beforeEach(async () => {
  sim = await BankIdSimulator.start();
});
afterEach(() => sim.close());

async function startedSign() {
  const provider = providerFor(sim);
  const started = await provider.start({ userId: ALICE, clientIp: CLIENT_IP, action }, signal());
  sim.openWithAutostart(started.handle.autoStartToken);
  return { provider, started };
}

describe('BankID /sign for an action', () => {
  it('sends the text to show, the intent hash as hidden data, and only the signed-in person may sign', async () => {
    const { started } = await startedSign();
    expect(sim.lastRequest?.path).toBe('/rp/v6.0/sign');
    expect(sim.lastRequest?.json).toEqual({
      endUserIp: CLIENT_IP,
      requirement: { personalNumber: ALICE },
      userVisibleData: Buffer.from(action.text).toString('base64'),
      userNonVisibleData: Buffer.from(action.hash).toString('base64'),
    });
    // The handle keeps hashes only: no personal number, no text.
    expect(JSON.stringify(started.handle)).not.toContain(ALICE);
    expect(JSON.stringify(started.handle)).not.toContain('Anna');
  });

  it('a signature over exactly the sent text and hash approves, with the signature as proof', async () => {
    const { provider, started } = await startedSign();
    sim.approve(started.handle.orderRef);
    const status = await provider.check(started.handle, signal());
    expect(status).toMatchObject({
      state: 'approved',
      subject: ALICE,
      action: {
        intentHash: action.hash,
        proof: { signature: expect.any(String), ocspResponse: expect.any(String) },
      },
    });
  });

  it.each([
    ['another text signed', { visibleText: action.text.replace('500.00', '5000.00') }],
    ['another intent hash signed', { nonVisibleText: actionRequest({ ...PAYMENT, amount: '5.00' }).hash }],
  ])('%s: refused as intent_mismatch', async (_case, signed) => {
    const { provider, started } = await startedSign();
    sim.approve(started.handle.orderRef, {}, signed);
    const error = await provider.check(started.handle, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ code: 'intent_mismatch', retryable: false });
  });

  it('a signature without signed data (a login signature) is refused', async () => {
    const { provider, started } = await startedSign();
    sim.approve(started.handle.orderRef);
    const real = sim.collectAnswer(started.handle.orderRef) as { completionData: Record<string, unknown> };
    const loginSignature = Buffer.from(
      '<Signature><bankIdSignedData></bankIdSignedData></Signature>',
    ).toString('base64');
    sim.faults.inject(
      {
        kind: 'body',
        body: JSON.stringify({
          ...real,
          completionData: { ...real.completionData, signature: loginSignature },
        }),
      },
      1,
    );
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({ code: 'intent_mismatch' });
  });

  it('a signature holding a second, different visible text is refused', async () => {
    const { provider, started } = await startedSign();
    sim.approve(started.handle.orderRef);
    const real = sim.collectAnswer(started.handle.orderRef) as { completionData: Record<string, string> };
    const xml = Buffer.from(real.completionData['signature'] ?? '', 'base64').toString('utf8');
    const doubled = xml.replace(
      '<usrNonVisibleData>',
      `<usrVisibleData>${Buffer.from('Approve payment of 1 SEK').toString('base64')}</usrVisibleData><usrNonVisibleData>`,
    );
    sim.faults.inject(
      {
        kind: 'body',
        body: JSON.stringify({
          ...real,
          completionData: { ...real.completionData, signature: Buffer.from(doubled).toString('base64') },
        }),
      },
      1,
    );
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({ code: 'intent_mismatch' });
  });

  it('an action without the personal number of the signed-in user is refused before BankID is called', async () => {
    const provider = providerFor(sim);
    await expect(provider.start({ clientIp: CLIENT_IP, action }, signal())).rejects.toMatchObject({
      code: 'missing_user_id',
    });
    expect(sim.lastRequest).toBeUndefined();
  });
});

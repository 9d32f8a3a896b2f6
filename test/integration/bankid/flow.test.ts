import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { BANKID_PERSONAL_CLAIMS, type BankIdHandle } from '../../../lib/providers/bankid';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { ALICE, BOB, CLIENT_IP, providerFor, signal } from './setup';

let clock: ManualClock;
let sim: BankIdSimulator;
beforeEach(async () => {
  clock = manualClock();
  sim = await BankIdSimulator.start({ now: clock.now });
});
afterEach(() => sim.close());

describe('BankID login against the simulator', () => {
  it('without a personal number: the phone scans the QR, the subject comes from completionData', async () => {
    const provider = providerFor(sim, { now: clock.now });
    const started = await provider.start({ clientIp: CLIENT_IP }, signal());
    expect(sim.lastRequest?.json).toEqual({ endUserIp: CLIENT_IP });
    expect(started.pollIntervalMs).toBe(2000);
    expect(started.expiresAt).toBe(clock.now() + 180_000);
    expect(started.display.launchUrl).toBe(
      `bankid:///?autostarttoken=${started.handle.autoStartToken}&redirect=null`,
    );

    expect(await provider.check(started.handle, signal())).toEqual({
      state: 'pending',
      message: { key: 'bankid.rfa.1', text: 'Start your BankID app.' },
    });

    clock.advance(3500);
    const frame = provider.currentDisplay(started.handle, clock.now())?.qr ?? '';
    expect(frame).toMatch(/^bankid\.[0-9a-f-]+\.3\.[0-9a-f]{64}$/);
    const orderRef = sim.scanQr(frame);
    expect(orderRef).toBe(started.handle.orderRef);
    expect(await provider.check(started.handle, signal())).toMatchObject({
      state: 'fetched',
      message: { key: 'bankid.rfa.21' },
    });

    sim.userSign(orderRef);
    expect(await provider.check(started.handle, signal())).toMatchObject({
      state: 'fetched',
      message: { key: 'bankid.rfa.9' },
    });

    sim.approve(orderRef, { personalNumber: BOB, givenName: 'Bo', surname: 'Ek' });
    const status = await provider.check(started.handle, signal());
    expect(status).toMatchObject({
      state: 'approved',
      subject: BOB,
      claims: {
        personalNumber: BOB,
        name: 'Bo Ek',
        givenName: 'Bo',
        surname: 'Ek',
        device: { ipAddress: CLIENT_IP },
        bankIdIssueDate: '2024-01-15Z',
      },
      personalClaims: BANKID_PERSONAL_CLAIMS,
    });
    // The bulky signature and OCSP response stay out of the claims.
    expect(status.state === 'approved' && Object.keys(status.claims ?? {})).not.toContain('signature');
  });

  it('with a personal number: it goes to BankID only, never into the handle', async () => {
    const provider = providerFor(sim);
    const started = await provider.start({ userId: '19851224-9874', clientIp: '::ffff:127.0.0.1' }, signal());
    expect(sim.lastRequest?.json).toEqual({ endUserIp: '127.0.0.1', requirement: { personalNumber: ALICE } });
    expect(JSON.stringify(started.handle)).not.toContain(ALICE);
    expect(Object.keys(started.handle).sort()).toEqual(
      ['autoStartToken', 'orderRef', 'qrStartSecret', 'qrStartToken', 'startedAt'].sort(),
    );
    sim.openWithAutostart(started.handle.autoStartToken);
    expect(() => sim.approve(started.handle.orderRef, { personalNumber: BOB })).toThrow(
      /another personal number/,
    );
    sim.approve(started.handle.orderRef);
    expect(await provider.check(started.handle, signal())).toMatchObject({
      state: 'approved',
      subject: ALICE,
    });
  });

  it('sends the configured requirement, userVisibleData (base64) and returnRisk, and reads risk and stepUp', async () => {
    const provider = providerFor(sim, {
      requirement: { pinCode: true, mrtd: true, certificatePolicies: ['1.2.752.78.1.5'] },
      userVisibleData: 'Logga in på **Exempel**',
      userVisibleDataFormat: 'simpleMarkdownV1',
      returnRisk: true,
    });
    const started = await provider.start({ clientIp: CLIENT_IP }, signal());
    expect(sim.lastRequest?.json).toEqual({
      endUserIp: CLIENT_IP,
      requirement: { pinCode: true, mrtd: true, certificatePolicies: ['1.2.752.78.1.5'] },
      userVisibleData: Buffer.from('Logga in på **Exempel**').toString('base64'),
      userVisibleDataFormat: 'simpleMarkdownV1',
      returnRisk: true,
    });
    sim.phone.approve(started.handle.orderRef);
    expect(await provider.check(started.handle, signal())).toMatchObject({
      state: 'approved',
      claims: { risk: 'low', stepUp: { mrtd: true } },
    });
  });

  it('a StartRequest.message replaces userVisibleData', async () => {
    const provider = providerFor(sim, { userVisibleData: 'default' });
    await provider.start({ clientIp: CLIENT_IP, message: 'Order 42' }, signal());
    expect(sim.lastRequest?.json).toMatchObject({
      userVisibleData: Buffer.from('Order 42').toString('base64'),
    });
  });

  it.each([
    ['noClient', 'pending', 'bankid.rfa.1'],
    ['outstandingTransaction', 'pending', 'bankid.rfa.1'],
    ['started', 'fetched', 'bankid.rfa.21'],
    ['userMrtd', 'fetched', 'bankid.rfa.23'],
    ['userCallConfirm', 'fetched', 'bankid.hint.userCallConfirm'],
    ['userSign', 'fetched', 'bankid.rfa.9'],
    ['someFutureHint', 'pending', 'bankid.rfa.21'],
  ])('pending hint %s → %s with %s', async (hint, state, key) => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.setHint(handle.orderRef, hint);
    expect(await provider.check(handle, signal())).toMatchObject({ state, message: { key } });
  });

  it.each([
    ['userCancel', 'denied', 'bankid.rfa.6'],
    ['cancelled', 'cancelled', 'bankid.rfa.3'],
    ['expiredTransaction', 'expired', 'bankid.rfa.8'],
    ['certificateErr', 'suspended', 'bankid.rfa.16'],
    ['startFailed', 'expired', 'bankid.rfa.17b'],
    ['userDeclinedCall', 'denied', 'bankid.hint.userDeclinedCall'],
    ['notSupportedByUserApp', 'invalid', 'bankid.hint.notSupportedByUserApp'],
    ['transactionRiskBlocked', 'invalid', 'bankid.hint.transactionRiskBlocked'],
    ['someFutureFailure', 'invalid', 'bankid.rfa.22'],
    ['constructor', 'invalid', 'bankid.rfa.22'],
  ])('failure hint %s → %s with %s', async (hint, state, key) => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.fail(handle.orderRef, hint);
    expect(await provider.check(handle, signal())).toMatchObject({ state, reason: hint, message: { key } });
  });

  it('the user cancelling in the app is denied', async () => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.scanQr(provider.currentDisplay(handle, clock.now())?.qr ?? '');
    sim.cancelByUser(handle.orderRef);
    expect(await provider.check(handle, signal())).toMatchObject({ state: 'denied', reason: 'userCancel' });
  });

  it('an order nobody starts within 30 s fails with startFailed; a started one expires after 3 min', async () => {
    const provider = providerFor(sim, { now: clock.now });
    const first = await provider.start({ clientIp: CLIENT_IP }, signal());
    const second = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.openWithAutostart(second.handle.autoStartToken);
    clock.advance(30_000);
    expect(await provider.check(first.handle, signal())).toMatchObject({
      state: 'expired',
      reason: 'startFailed',
    });
    expect(await provider.check(second.handle, signal())).toMatchObject({ state: 'fetched' });
    clock.advance(150_000);
    expect(await provider.check(second.handle, signal())).toMatchObject({
      state: 'expired',
      reason: 'expiredTransaction',
    });
    expect(provider.currentDisplay(second.handle, clock.now())).toBeUndefined();
  });

  it('cancel withdraws the order: the next collect says cancelled', async () => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    await provider.cancel(handle, signal());
    expect(sim.lastRequest?.json).toEqual({ orderRef: handle.orderRef });
    expect(await provider.check(handle, signal())).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
  });

  it('a second order for the same personal number: alreadyInProgress, and BankID cancels the first', async () => {
    const provider = providerFor(sim);
    const first = await provider.start({ userId: ALICE, clientIp: CLIENT_IP }, signal());
    const error = await provider
      .start({ userId: ALICE, clientIp: CLIENT_IP }, signal())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'provider',
      code: 'already_in_progress',
      retryable: false,
      details: { status: 400, providerCode: 'alreadyInProgress' },
    });
    expect((error as Error).message).not.toContain(ALICE);
    expect(await provider.check(first.handle, signal())).toMatchObject({ state: 'cancelled' });
  });

  it('the browser never gets qrStartSecret: not in the display, nor in any later frame', async () => {
    const provider = providerFor(sim, { now: clock.now });
    const { handle, display } = await provider.start({ clientIp: CLIENT_IP }, signal());
    clock.advance(7000);
    const shown = JSON.stringify([display, provider.currentDisplay(handle, clock.now())]);
    expect(shown).not.toContain(handle.qrStartSecret);
    expect(shown).toContain(handle.qrStartToken);
  });

  it('a check the caller aborts → aborted, retryable', async () => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.faults.inject({ kind: 'delay', ms: 2000 }, 1);
    const controller = new AbortController();
    const pending = provider.check(handle, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted', retryable: true });
  });

  it('a damaged handle is refused before any call', async () => {
    const provider = providerFor(sim);
    const damaged = { orderRef: 'x', startedAt: 'yesterday' } as unknown as BankIdHandle;
    await expect(provider.check(damaged, signal())).rejects.toMatchObject({
      kind: 'state',
      code: 'invalid_challenge',
    });
    expect(provider.currentDisplay(damaged, clock.now())).toBeUndefined();
    expect(sim.calls['collect']).toBeUndefined();
  });

  it('refuses a start without the end user IP or with a malformed personal number, before any call', async () => {
    const provider = providerFor(sim);
    await expect(provider.start({}, signal())).rejects.toMatchObject({ kind: 'input', code: 'invalid_body' });
    const error = await provider
      .start({ userId: '198512249875', clientIp: CLIENT_IP }, signal())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_user_id' });
    expect((error as Error).message).not.toContain('198512249875');
    expect(sim.calls['auth']).toBeUndefined();
  });
});

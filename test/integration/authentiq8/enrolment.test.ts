import express from 'express';
import request from 'supertest';
import { PushError } from '../../../lib/errors';
import { enrolmentRouter } from '../../../lib/web/enrolment-router';
import { decodeQrDataUrl } from '../../helpers/qr-decode';
import { signal, startPair, type Pair } from './setup';

let pair: Pair;
afterEach(() => pair.simulator.close());

const QR_WIDTH = 120;

async function login(userId: string): Promise<string> {
  const started = await pair.provider.start({ userId }, signal());
  const [phoneRequest] = pair.simulator.phone.pending(userId);
  pair.simulator.phone.approve(phoneRequest?.id ?? '');
  pair.clock.advance(1500);
  const status = await pair.provider.check(started.handle, signal());
  return `${status.state}:${status.state === 'approved' ? status.subject : ''}`;
}

describe('Authentiq8 enrolment ↔ simulator', () => {
  beforeEach(async () => {
    pair = await startPair({ provider: { qrWidth: QR_WIDTH } });
  });

  it('enrolment by QR, then login', async () => {
    const { enrolment } = pair.provider;
    expect(await enrolment.status('carol', { signal: signal() })).toEqual({ state: 'unlinked' });

    const { qr, expiresAt } = await enrolment.qr('carol', { signal: signal() });
    const [payload] = pair.simulator.qrPayloads('carol');
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(decodeQrDataUrl(qr)).toBe(payload);
    expect(expiresAt).toBe(pair.clock.now() + 120_000);
    expect(JSON.parse(String(pair.simulator.lastRequest?.body))).toEqual({
      txn_type: 'get-qr-code',
      user_id: 'carol',
      purpose: 'link',
    });

    // Not scanned yet: no device, no login.
    await expect(pair.provider.start({ userId: 'carol' }, signal())).rejects.toMatchObject({
      code: 'no_device',
    });

    expect(pair.simulator.phone.scanQr(payload ?? '')).toBe(true);
    expect(pair.simulator.phone.scanQr(payload ?? '')).toBe(false);
    pair.clock.advance(1500);
    expect(await enrolment.status('carol', { signal: signal() })).toEqual({ state: 'linked' });
    pair.clock.advance(1500);
    expect(await login('carol')).toBe('approved:carol');
  });

  it('an expired QR code links nothing', async () => {
    await pair.provider.client.getQrCode('carol', 'link', { signal: signal() });
    pair.clock.advance(120_000);
    expect(pair.simulator.phone.scanQr(pair.simulator.qrPayloads('carol')[0] ?? '')).toBe(false);
    expect(pair.simulator.phone.scanQr('authentiq8me://link?code=forged')).toBe(false);
  });

  it('passes through a PNG the API renders itself', async () => {
    await pair.simulator.close();
    pair = await startPair({ simulator: { qrFormat: 'png' }, provider: { qrWidth: QR_WIDTH } });
    const { qr } = await pair.provider.enrolment.qr('carol', { signal: signal() });
    // The simulator's own PNG, not one of our SVGs, and it scans to the link it made.
    const payload = pair.simulator.qrPayloads('carol')[0] ?? '';
    expect(qr).toMatch(/^data:image\/png;base64,/);
    expect(decodeQrDataUrl(qr)).toBe(payload);
  });

  it('disconnect, then login fails; disconnecting again is harmless', async () => {
    expect(await login('alice')).toBe('approved:alice');
    await pair.provider.enrolment.disconnect('alice', { signal: signal() });
    expect(pair.simulator.calls['disconnect-user']).toBe(1);
    const error = await pair.provider.start({ userId: 'alice' }, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({
      code: 'no_device',
      message: expect.stringMatching(/no connected devices/),
    });
    await pair.provider.enrolment.disconnect('alice', { signal: signal() });
    await pair.provider.enrolment.disconnect('nobody', { signal: signal() });
    pair.clock.advance(1500);
    expect(await pair.provider.enrolment.status('alice', { signal: signal() })).toEqual({
      state: 'unlinked',
    });
  });
});

describe('enrolmentRouter', () => {
  beforeEach(async () => {
    pair = await startPair({ provider: { qrWidth: QR_WIDTH } });
  });

  function app() {
    const server = express();
    // Stands in for the app's own login: the user comes from a header here.
    server.use(
      '/enrol',
      enrolmentRouter({ enrolment: pair.provider.enrolment, userId: (req) => req.get('x-user') }),
    );
    return server;
  }

  it('refuses without a user (401) and calls nothing', async () => {
    await request(app())
      .get('/enrol/qr')
      .expect(401, /Sign in/);
    await request(app()).post('/enrol/disconnect').expect(401);
    expect(pair.simulator.calls).toEqual({});
  });

  it('QR, status until linked (with Retry-After when too early), login, disconnect', async () => {
    const server = app();
    const qr = await request(server).get('/enrol/qr').set('x-user', 'dave').expect(200);
    expect(qr.headers['cache-control']).toBe('no-store');
    expect(decodeQrDataUrl(qr.body.qr)).toBe(pair.simulator.qrPayloads('dave')[0]);

    await request(server).get('/enrol/status').set('x-user', 'dave').expect(200, { state: 'unlinked' });
    const early = await request(server).get('/enrol/status').set('x-user', 'dave').expect(200);
    expect(early.body).toEqual({ state: 'unknown', retryAfterMs: 1500 });
    expect(early.headers['retry-after']).toBe('2');

    pair.simulator.phone.scanQr(pair.simulator.qrPayloads('dave')[0] ?? '');
    pair.clock.advance(1500);
    await request(server).get('/enrol/status').set('x-user', 'dave').expect(200, { state: 'linked' });
    pair.clock.advance(1500);
    expect(await login('dave')).toBe('approved:dave');

    await request(server).post('/enrol/disconnect').set('x-user', 'dave').expect(200, { state: 'unlinked' });
    await expect(pair.provider.start({ userId: 'dave' }, signal())).rejects.toMatchObject({
      code: 'no_device',
    });
  });

  it('answers provider trouble as JSON with the error kind, never a QR', async () => {
    // A 5xx is transient under the library's one retry rule: 503, try again.
    pair.simulator.faults.inject({ kind: 'status', status: 503, body: '<h1>down</h1>' }, 1);
    const down = await request(app()).get('/enrol/qr').set('x-user', 'dave').expect(503);
    expect(down.body).toMatchObject({ error: 'protocol', code: 'http_status' });
    expect(down.body.qr).toBeUndefined();
    // Any other status is final: the provider, not this server, failed (502).
    pair.simulator.faults.inject({ kind: 'status', status: 404, body: '<h1>gone</h1>' }, 1);
    const gone = await request(app()).get('/enrol/qr').set('x-user', 'dave').expect(502);
    expect(gone.body).toMatchObject({ error: 'protocol', code: 'http_status' });
    expect(gone.body.qr).toBeUndefined();
  });

  it("answers in the request's language, its technical words in detail", async () => {
    const refused = await request(app()).get('/enrol/qr').set('Accept-Language', 'de').expect(401);
    expect(refused.body).toEqual({
      error: 'state',
      message: 'Melden Sie sich an, bevor Sie Ihr Telefon verknüpfen.',
    });
    const swedish = await request(app()).get('/enrol/qr').set('Accept-Language', 'sv').expect(401);
    expect(swedish.body.message).toBe('Logga in innan du kopplar din telefon.');

    pair.simulator.faults.inject({ kind: 'status', status: 503, body: '<h1>down</h1>' }, 1);
    const down = await request(app()).get('/enrol/qr').set('x-user', 'dave').set('Accept-Language', 'sv');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      error: 'protocol',
      code: 'http_status',
      message: 'Det gick inte att koppla din telefon. Försök igen.',
    });
    expect(down.body.detail).toMatch(/503/);
  });
});

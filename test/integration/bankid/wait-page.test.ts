/**
 * BankID through pushLogin(): the JSON status carries the animated QR as an image the wait page
 * can show (a new frame each second, served without asking BankID again), the QR goes once the app
 * has the order, and the HTML wait page offers the same-device link. Loads no other provider.
 */
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { Passport } from 'passport';
import { PushStrategy } from '../../../lib/core/strategy';
import { pushLogin, type PushLoginOptions } from '../../../lib/web/router';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { MemoryDisplayStore } from '../../../lib/core/display-store';
import type { PushStores } from '../../../lib/core/push-stores';
import { manualClock, type ManualClock } from '../../helpers/clock';
import type { BankIdProviderOptions } from '../../../lib/providers/bankid';
import { providerFor } from './setup';

interface User {
  id: string;
}

let clock: ManualClock;
let sim: BankIdSimulator;
beforeEach(async () => {
  clock = manualClock();
  sim = await BankIdSimulator.start({ now: clock.now });
});
afterEach(() => sim.close());

function bankIdApp(
  router: Partial<PushLoginOptions<User>> = {},
  provider: Partial<BankIdProviderOptions> = {},
  stores: Partial<PushStores> = {},
) {
  const passport = new Passport();
  const strategy = new PushStrategy<User>(
    {
      provider: providerFor(sim, { now: clock.now, ...provider }),
      now: clock.now,
      limiter: false,
      pollIntervalMs: 2000,
      stores,
    },
    (subject, _info, done) => done(null, { id: subject }),
  );
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.set('trust proxy', false);
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());
  app.use('/auth/push', pushLogin({ strategy, ...router }));
  return request.agent(app);
}

const status = (agent: ReturnType<typeof bankIdApp>) =>
  agent.get('/auth/push/status').set('Accept', 'application/json');

/** The text a data URL's SVG encodes is not readable; two different frames give two different images. */
const svgDataUrl = /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/;

describe('the BankID wait page over HTTP', () => {
  it('each status answer has the current QR frame as an SVG image; frames between checks cost no collect', async () => {
    const agent = bankIdApp();
    const start = await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    expect(start.status).toBe(202);
    expect(start.body.display.qrImage).toMatch(svgDataUrl);

    clock.advance(1000);
    const collectsBefore = sim.calls['collect'] ?? 0;
    const first = await status(agent);
    clock.advance(1000);
    const second = await status(agent);
    expect(first.status).toBe(202);
    expect(first.body.display.qr).toMatch(/^bankid\.[0-9a-f-]+\.1\./);
    expect(second.body.display.qr).toMatch(/^bankid\.[0-9a-f-]+\.2\./);
    expect(first.body.display.qrImage).toMatch(svgDataUrl);
    expect(second.body.display.qrImage).not.toBe(first.body.display.qrImage);
    // The QR changes every second, BankID is still asked at most once per interval.
    expect((sim.calls['collect'] ?? 0) - collectsBefore).toBeLessThanOrEqual(1);
    expect(first.body.retryAfterMs).toBeGreaterThan(0);
  });

  it('polls answered without a provider call write nothing to the display store (the QR is recomputed)', async () => {
    const displayStore = new MemoryDisplayStore();
    let writes = 0;
    const set = displayStore.set.bind(displayStore);
    displayStore.set = async (...args) => {
      writes += 1;
      return set(...args);
    };
    const agent = bankIdApp({}, {}, { displays: displayStore });
    await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    const afterStart = writes;
    for (let second = 0; second < 5; second++) {
      clock.advance(300);
      expect((await status(agent)).status).toBe(202);
    }
    expect(sim.calls['collect'] ?? 0).toBe(0);
    expect(writes).toBe(afterStart);
  });

  it('a long-poll configuration still answers at once while a QR is shown (it must change every second)', async () => {
    const agent = bankIdApp({ longPollMs: 60_000 });
    await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    clock.advance(1000);
    const answer = await status(agent);
    expect(answer.status).toBe(202);
    expect(answer.body.display.qrImage).toMatch(svgDataUrl);
  });

  it('once the app has the order (fetched), neither the JSON nor the page shows the QR', async () => {
    const agent = bankIdApp();
    const start = await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    sim.scanQr(start.body.display.qr);
    clock.advance(2000);
    const answer = await status(agent);
    expect(answer.body).toMatchObject({ state: 'fetched', providerMessage: { key: 'bankid.rfa.21' } });
    expect(answer.body.display?.qrImage).toBeUndefined();
    const page = await agent.get('/auth/push/wait');
    expect(page.text).not.toContain('id="push-qr"');
    expect(page.text).toContain('Identification in progress.');
  });

  it('the HTML page shows the QR, the same-device link as a real link, and no empty "signing in as"', async () => {
    const agent = bankIdApp();
    const start = await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    const page = await agent.get('/auth/push/wait');
    expect(page.text).toContain('id="push-qr"');
    const token = String(start.body.display.launchUrl).split('autostarttoken=')[1]?.split('&')[0];
    expect(page.text).toContain(
      `<a class="push-button" id="push-launch" href="bankid:///?autostarttoken=${token}&amp;redirect=null">`,
    );
    expect(page.text).not.toContain('<strong></strong>');
  });
});

describe('BankID mutual TLS through the login', () => {
  it('a client certificate BankID does not trust: the start fails closed with a clear configuration error', async () => {
    const { cert, key } = sim.untrustedClientCertificate();
    const agent = bankIdApp({}, { pfx: undefined, passphrase: undefined, cert, key });
    const start = await agent.post('/auth/push/start').set('Accept', 'application/json').send({});
    expect(start.status).toBeGreaterThanOrEqual(400);
    expect(start.body).toMatchObject({ error: 'unauthorized', retryable: false });
    expect(start.body.detail).toMatch(/client certificate/);
    expect(sim.calls['auth']).toBeUndefined();
    // Nothing is pending: no poll can complete a login.
    const poll = await status(agent);
    expect(poll.body.state).toBe('none');
  });
});

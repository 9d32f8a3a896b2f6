/**
 * examples/ run as a user would run them: each app is built from its options against the provider's
 * simulator from passport-push/testing, a browser (a supertest cookie jar) signs in through the
 * HTML form, the phone approves, and the user lands on the home page, logged in. The strategy's
 * clock is moved by hand, so no test waits for a poll interval.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createClient } from 'redis';
import {
  Authentiq8Simulator,
  BankIdSimulator,
  SecSignIdSimulator,
  startCibaOp,
  type Phone,
} from 'passport-push/testing';
import type { ActionApproval } from 'passport-push';
import { createApp as createActionApp } from '../../examples/action-approval';
import { createApp as createMinimalApp } from '../../examples/minimal';
import { createApp as createAuthentiq8App } from '../../examples/authentiq8';
import { createApp as createCibaApp } from '../../examples/ciba';
import { createApp as createRedisApp } from '../../examples/redis';
import { signInAcrossInstances } from './across-instances';
import { manualClock, type ManualClock } from '../helpers/clock';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server';

/** What the instances share to key IDs in the stores' keys (PUSH_SECRET in production). */
const SHARED_SECRET = 'an app secret of at least thirty-two characters';

const sessionSecret = 'examples test secret';
const secsignOn = (url: string) => ({ endpoint: url, fallbackEndpoint: null, allowInsecureHttp: true });

/** Sign in as `userId` through the login form; `approve` is what the user does on the phone. */
async function signIn(
  app: Express,
  clock: ManualClock,
  approve: (page: string) => Promise<void> | void,
  userId = 'alice',
): Promise<string> {
  const browser = request.agent(app);
  const form = await browser.get('/login').expect(200);
  expect(form.text).toContain('action="/auth/push/start"');
  await browser.get('/').expect(302).expect('Location', '/login');

  await browser
    .post('/auth/push/start')
    .type('form')
    .set('Accept', 'text/html')
    .set('Sec-Fetch-Site', 'same-origin')
    .send({ username: userId })
    .expect(303)
    .expect('Location', '/auth/push/wait');
  const wait = await browser.get('/auth/push/wait').set('Accept', 'text/html').expect(200);
  await approve(wait.text);

  // The wait page's poller: after the interval, the status answers the approval.
  let status = await browser.get('/auth/push/status').set('Accept', 'application/json');
  for (let round = 0; status.status === 202 && round < 5; round++) {
    clock.advance(Number(status.body.retryAfterMs) + 1);
    status = await browser.get('/auth/push/status').set('Accept', 'application/json');
  }
  expect(status.status).toBe(200);
  expect(status.body).toEqual({ state: 'authenticated', redirect: '/' });
  const home = await browser.get('/').expect(200);
  return home.text;
}

/** Approve the newest request for `userId` (SecSign ID: pick the pass the wait page shows). */
function approveOn(phone: Phone, userId = 'alice') {
  return (page: string) => {
    const [pending] = phone.pending(userId);
    if (!pending) throw new Error(`no pending request for ${userId}`);
    const pass = /src="(data:image\/png;base64,[^"]+)"[^>]*id="push-access-pass"/.exec(page)?.[1];
    const choice = pending.choices && pass ? pending.choices.indexOf(pass) : undefined;
    expect(phone.approve(pending.id, choice)).toBe(true);
  };
}

test('minimal (README Usage, SecSign ID): sign in through the form and land logged in', async () => {
  const sim = await SecSignIdSimulator.start({ users: ['alice'] });
  try {
    const clock = manualClock(Date.now());
    const app = createMinimalApp({
      sessionSecret,
      secsign: secsignOn(sim.url),
      strategy: { now: clock.now },
    });
    expect(await signIn(app, clock, approveOn(sim.phone))).toContain('Hello Alice');
  } finally {
    await sim.close();
  }
});

test('minimal: an unknown user is sent back to the form, not logged in', async () => {
  const sim = await SecSignIdSimulator.start({ users: ['alice'] });
  try {
    const app = createMinimalApp({ sessionSecret, secsign: secsignOn(sim.url) });
    const browser = request.agent(app);
    const start = await browser
      .post('/auth/push/start')
      .type('form')
      .send({ username: 'mallory' })
      .expect(303);
    expect(start.headers.location).toMatch(/^\/login\?push=/);
    const form = await browser.get(start.headers.location as string).expect(200);
    expect(form.text).toContain('Not signed in');
    await browser.get('/').expect(302);
  } finally {
    await sim.close();
  }
});

test('authentiq8: approve on the simulated app and land logged in', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientId = randomUUID();
  const sim = await Authentiq8Simulator.start({ clients: [{ clientId, publicKey }], users: ['alice'] });
  try {
    const clock = manualClock(Date.now());
    const app = createAuthentiq8App(
      { clientId, privateKey, endpoint: sim.url, allowInsecureHttp: true },
      { sessionSecret, strategy: { now: clock.now } },
    );
    expect(await signIn(app, clock, approveOn(sim.phone))).toContain('Hello Alice');
  } finally {
    await sim.close();
  }
});

// The OP makes its keys first: a busy machine took 13 s of the default 20 (not what the test asserts).
test('ciba: approve at the OpenID provider and land logged in', async () => {
  const op = await startCibaOp();
  try {
    const clock = manualClock(Date.now());
    const app = createCibaApp(op.providerOptions(), { sessionSecret, strategy: { now: clock.now } });
    const text = await signIn(app, clock, async () => {
      const [pending] = op.phone.pending('alice');
      if (!pending) throw new Error('no pending request');
      expect(await op.phone.approveNow(pending.id)).toBe(true);
    });
    expect(text).toContain('Hello Alice');
  } finally {
    await op.close();
  }
}, 60_000);

const withRedis = hasRedisServer() ? test : test.skip;
withRedis(
  'redis: the access pass started on instance A is shown by instance B, and the login completes there',
  async () => {
    const server = await startRedisServer();
    // Two instances as two processes: a client each, one redis-server.
    const clients = [createClient({ url: server.url }), createClient({ url: server.url })];
    const sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const instances: Awaited<ReturnType<typeof createRedisApp>>[] = [];
    try {
      await Promise.all(clients.map((client) => client.connect()));
      const clock = manualClock(Date.now());
      const options = { sessionSecret, secsign: secsignOn(sim.url), strategy: { now: clock.now } };
      for (const client of clients) instances.push(await createRedisApp(client, options, SHARED_SECRET));
      const [first, second] = instances.map((instance) => instance.app) as [Express, Express];
      expect(await signInAcrossInstances(first, second, sim, clock)).toContain('Hello Alice');
    } finally {
      await Promise.all(instances.map((instance) => instance.stores.close()));
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await sim.close();
      await server.stop();
    }
  },
);

test('action-approval (BankID): a payment is sent only after the signed-in user signed exactly it, once', async () => {
  const sim = await BankIdSimulator.start();
  const alva = '198512249874';
  const audit: ActionApproval[] = [];
  try {
    const clock = manualClock(Date.now());
    const app = createActionApp(
      { ...sim.providerOptions(), now: clock.now },
      { sessionSecret, strategy: { now: clock.now }, audit: (record) => audit.push(record) },
    );
    const browser = request.agent(app);
    const approveOnPhone = async () => {
      const [pending] = sim.phone.pending(alva);
      expect(sim.phone.approve(pending?.id ?? '')).toBe(true);
      clock.advance(2001);
    };
    // Sign in with BankID.
    await browser.post('/auth/push/start').type('form').send({ username: alva }).expect(303);
    await approveOnPhone();
    await browser.get('/auth/push/status').expect(303).expect('Location', '/');
    expect((await browser.get('/').expect(200)).text).toContain('Hello Alva');

    // Sending without an approval is refused.
    await browser.post('/payments/p1/send').expect(403);
    clock.advance(5000); // the start limiter's per-ID cooldown counts approvals and logins alike
    // Approve: the phone is asked to sign the payment, the wait page shows the same text.
    await browser.post('/payments/p1/approve').expect(303).expect('Location', '/auth/push/wait');
    const wait = await browser.get('/auth/push/wait').expect(200);
    expect(wait.text).toContain('Amount: 500.00 SEK\nTo: Anna Berg');
    await approveOnPhone();
    await browser.get('/auth/push/status').expect(303).expect('Location', '/');
    expect(audit).toEqual([expect.objectContaining({ provider: 'bankid', proves: 'user-signature' })]);

    await browser.post('/payments/p1/send').expect(303);
    expect((await browser.get('/').expect(200)).text).toContain('to Anna Berg: sent');
    await browser.post('/payments/p1/send').expect(404); // sent once
  } finally {
    await sim.close();
  }
});

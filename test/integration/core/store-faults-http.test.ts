/**
 * What a browser meets while a shared store is down or hangs: starts and polls answer 503 with
 * `Retry-After` and a message in its language (JSON and the HTML pages), nobody is logged in, the
 * wait page comes back by itself (no redirect loop), a held long poll and a status stream are let
 * go at the store call's deadline, and once the store answers the pending login completes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { PushEvent } from '../../../lib';
import { MemoryCompletionStore } from '../../../lib/core/completion';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp, sessionCookie } from '../../helpers/app';
import { openStateStream } from '../../helpers/event-stream-client';
import { heldLongPoll } from '../../helpers/held-long-poll';
import { PromptSessionStore } from '../../helpers/prompt-session-store';

const json = { Accept: 'application/json' };
/**
 * Small, so a hung call ends at once. The stores here answer within the turn they are asked in
 * (PromptSessionStore, the memory stores): a deadline's timer cannot beat them, however long the
 * machine pauses the process.
 */
const storeTimeoutMs = 50;
const hang = () => new Promise<never>(() => undefined);
const refused = () =>
  Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));

/** A completion store that can be made to hang (a paused Redis) and healed. */
function completionStore() {
  const store = new MemoryCompletionStore();
  const decide = store.decide.bind(store);
  return {
    store,
    down: () => (store.decide = hang),
    heal: () => (store.decide = decide),
  };
}

describe('a counter store that is down at the start', () => {
  test('JSON: 503 with Retry-After and the message in the request language; no push sent', async () => {
    const rateLimits = new MemoryRateLimitStore();
    rateLimits.hit = refused;
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      sessionStore: new PromptSessionStore(),
      strategy: { storeTimeoutMs, limiter: { sessionCooldownMs: 30_000 }, stores: { rateLimits } },
    });
    const answer = await request(app)
      .post('/auth/push/start')
      .set({ ...json, 'Accept-Language': 'de' })
      .send({ username: 'alice' })
      .expect(503)
      .expect('Retry-After', '2');
    expect(answer.body).toMatchObject({
      error: 'store_unavailable',
      retryable: true,
      retryAfterMs: 2000,
      message: 'Der Anmeldedienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.',
    });
    expect(provider.challenges).toHaveLength(0);
  });

  test('HTML: a 503 page in the language, linking back to the form with the typed ID', async () => {
    const rateLimits = new MemoryRateLimitStore();
    rateLimits.hit = refused;
    const { app } = buildTestApp({
      provider: new ScriptedProvider(),
      sessionStore: new PromptSessionStore(),
      strategy: { storeTimeoutMs, limiter: { sessionCooldownMs: 30_000 }, stores: { rateLimits } },
      router: { retryWithUserId: true },
    });
    const page = await request(app)
      .post('/auth/push/start')
      .set('Accept-Language', 'sv')
      .type('form')
      .send({ username: 'alice' })
      .expect(503)
      .expect('Retry-After', '2')
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('Inloggningstjänsten är tillfälligt otillgänglig. Försök igen om en stund.');
    expect(page.text).toContain('href="/login?push=store_unavailable&amp;id=alice"');
    expect(page.text).not.toContain('http-equiv="refresh"');
  });
});

describe('a completion store that hangs at completion', () => {
  test('JSON: the poll answers 503 at the deadline, nobody is logged in; healed, the login completes once', async () => {
    const events: PushEvent[] = [];
    const completions = completionStore();
    const provider = new ScriptedProvider();
    const { app, verified } = buildTestApp({
      provider,
      sessionStore: new PromptSessionStore(),
      strategy: {
        storeTimeoutMs,
        stores: { completions: completions.store },
        onEvent: (e) => events.push(e),
      },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    provider.answer('approved');
    completions.down();
    const refusal = await agent.get('/auth/push/status').set(json).expect(503).expect('Retry-After', '2');
    expect(refusal.body).toMatchObject({ error: 'store_unavailable', retryable: true });
    await agent.get('/me').expect(401);
    expect(verified).toHaveLength(0);
    expect(events.filter((e) => e.type === 'store_error')).toEqual([
      expect.objectContaining({ store: 'completion', operation: 'decide', cause: 'TimeoutError' }),
    ]);

    completions.heal();
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
    await agent.get('/me').expect(200);
    expect(verified).toHaveLength(1);
  });

  test('HTML: the wait page answers 503 and comes back by itself after the wait (no redirect loop)', async () => {
    const completions = completionStore();
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      sessionStore: new PromptSessionStore(),
      strategy: { storeTimeoutMs, stores: { completions: completions.store } },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    provider.answer('approved');
    completions.down();
    const page = await agent
      .get('/auth/push/wait')
      .set('Accept-Language', 'en')
      .expect(503)
      .expect('Retry-After', '2');
    expect(page.text).toContain('The login service is briefly unavailable. Please try again in a moment.');
    expect(page.text).toContain('<meta http-equiv="refresh" content="2; url=/auth/push/wait">');
    await agent.get('/me').expect(401);

    completions.heal();
    await agent.get('/auth/push/wait').expect(303).expect('Location', '/me');
    await agent.get('/me').expect(200);
  });
});

describe('a session store that hangs while a long poll is held', () => {
  test('the held poll is let go with 503 at the deadline; healed, the next poll completes', async () => {
    const sessions = new PromptSessionStore();
    const get = sessions.get.bind(sessions);
    let hung = false;
    sessions.get = (sid, callback) => (hung ? undefined : get(sid, callback));
    const { agent, verified, provider, notificationBus, poll, challengeId } = await heldLongPoll(
      sessions,
      storeTimeoutMs,
    );
    // The phone approves (and says so), and the session store stops answering: the held poll must
    // re-read the session to complete.
    hung = true;
    provider.answer('approved');
    await notificationBus.publish(challengeId, { type: 'check' });
    const answer = await poll;
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('2');
    expect(verified).toHaveLength(0);

    hung = false;
    await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
  });
});

test('a status stream whose session store hangs ends at the deadline instead of waiting for it', async () => {
  const sessions = new PromptSessionStore();
  const get = sessions.get.bind(sessions);
  let hung = false;
  let busy = false;
  sessions.get = (sid, callback) => {
    if (hung) return;
    get(sid, callback);
    // A busy machine pauses this process past the deadline right after the store was asked.
    if (busy) pauseProcess(2 * storeTimeoutMs);
  };
  const provider = new ScriptedProvider({ notificationSecret: 's3cret' });
  const { app, verified } = buildTestApp({ provider, sessionStore: sessions, strategy: { storeTimeoutMs } });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const started = await request(base).post('/auth/push/start').set(json).send({ username: 'alice' });
    const cookie = sessionCookie(started.headers['set-cookie']) ?? '';
    busy = true;
    const stream = await openStateStream(`${base}/auth/push/events`, cookie);
    // The healthy store answered in time all the same: the stream says the login is pending.
    expect(await stream.nextState()).toMatchObject({ state: 'pending' });
    busy = false;
    // A notification makes the stream re-read the stored session, which no longer answers.
    hung = true;
    provider.answer('approved');
    const { headers, body } = provider.notification();
    await request(base).post('/auth/push/notify').set(headers).send(body).expect(204);
    let state = await stream.nextState();
    while (state?.state === 'pending') state = await stream.nextState();
    expect(state).toBeNull(); // ended: the page falls back to polling
    expect(verified).toHaveLength(0);
    stream.close();
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
});

/** Holds the process for `ms`, as a machine busy with other work (or a long GC) would. */
function pauseProcess(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('the default display store on a session store that hangs', () => {
  test('the wait page is answered at the deadline (without the kept access pass), not held', async () => {
    const sessionStore = new PromptSessionStore();
    const get = sessionStore.get.bind(sessionStore);
    // Only the display entries hang (a session store slow on one key): the user's session is read.
    sessionStore.get = (sid, callback) => (sid.startsWith('push-display:') ? undefined : get(sid, callback));
    const events: PushEvent[] = [];
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({
      provider,
      sessionStore,
      strategy: { storeTimeoutMs, onEvent: (event) => events.push(event) },
    });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
    const page = await agent.get('/auth/push/wait').expect(200);
    expect(page.text).toContain('id="push-wait"');
    expect(events).toContainEqual(expect.objectContaining({ type: 'store_error', store: 'display' }));
  });
});

/**
 * The status stream and the session store: it reads the stored session when something can have
 * changed (a provider check is due, or a notification arrived), not on every recheck; and a shared
 * index's note (a notification another instance heard) once, when it opens.
 */
import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { listeningLogin } from '../../helpers/loopback-servers';
import { CountingStore } from '../../helpers/counting-store';
import { manualClock } from '../../helpers/clock';
import { openStateStream, type EventStreamClient } from '../../helpers/event-stream-client';
import { notingIndex } from '../../helpers/noting-index';

const FLOOR_MS = 1000;

/** The phone approves and the provider notifies: the stream's first state past pending. */
async function approvedOnStream(base: string, provider: ScriptedProvider, stream: EventStreamClient) {
  provider.answer('approved');
  const { headers, body } = provider.notification();
  await request(base).post('/auth/push/notify').set(headers).send(body).expect(204);
  let state = await stream.nextState();
  while (state?.state === 'pending') state = await stream.nextState();
  return state;
}

test('rechecks without a notification and with no check due read nothing; a notification reads once', async () => {
  const clock = manualClock();
  const store = new CountingStore();
  const provider = new ScriptedProvider({ notificationSecret: 's3cret', minCheckIntervalMs: FLOOR_MS });
  // Regular checks a minute apart (the manual clock never gets there): only notifications count.
  const login = await listeningLogin({
    provider,
    strategy: { pollIntervalMs: 60_000, now: clock.now },
    router: { eventsRecheckMs: 10 },
    sessionStore: store,
  });
  try {
    const { base, cookie } = login;
    clock.advance(FLOOR_MS);
    const stream = await openStateStream(`${base}/auth/push/events`, cookie);
    expect(await stream.nextState()).toMatchObject({ state: 'pending' });
    const readsOpen = store.reads;
    // Twenty rechecks (10 ms apart), nothing heard, nothing due.
    for (let i = 0; i < 20; i++) expect(await stream.nextState()).toMatchObject({ state: 'pending' });
    expect(store.reads).toBe(readsOpen);
    expect(provider.calls.check).toBe(0);

    expect(await approvedOnStream(base, provider, stream)).toEqual({ state: 'approved' });
    expect(store.reads).toBe(readsOpen + 1);
    expect(provider.calls.check).toBe(1);
    stream.close();
  } finally {
    await login.close();
  }
});

test("the shared index's note is read when the stream opens, not at its later reads", async () => {
  const clock = manualClock();
  const { index: notificationIndex, reads: noteReads } = notingIndex(undefined, clock.now);
  const provider = new ScriptedProvider({ notificationSecret: 's3cret', minCheckIntervalMs: FLOOR_MS });
  const login = await listeningLogin({
    provider,
    strategy: { pollIntervalMs: 60_000, now: clock.now, stores: { notificationIndex } },
    router: { eventsRecheckMs: 10 },
  });
  try {
    const { base, cookie } = login;
    clock.advance(FLOOR_MS);
    const stream = await openStateStream(`${base}/auth/push/events`, cookie);
    expect(await stream.nextState()).toMatchObject({ state: 'pending' });
    expect(noteReads()).toBe(1);
    // Its later reads (rechecks, and the one a notification asks for) have listened all along.
    expect(await approvedOnStream(base, provider, stream)).toEqual({ state: 'approved' });
    expect(noteReads()).toBe(1);
    stream.close();
  } finally {
    await login.close();
  }
});

/**
 * Provider notifications in the login core: a notification is a hint that makes the challenge's
 * next check due now (within the provider's floor), never an approval; what the core answers for
 * every kind of notification; and the status stream's view (`observe`), which checks but never
 * completes.
 */
import { PushError } from '../../../lib/errors';
import { ARRIVING, DEFAULT_MIN_CHECK_INTERVAL_MS } from '../../../lib/core/login';
import { PushStrategy } from '../../../lib/core/strategy';
import { MemoryNotificationBus, type NotificationEvent } from '../../../lib/core/notification-bus';
import { MemoryNotificationIndex, type NotificationIndex } from '../../../lib/core/notification-index';
import type { NotificationRequest } from '../../../lib/providers/provider';
import { manualClock } from '../../helpers/clock';
import { alterStart, setupLogin } from '../../helpers/login-core';
import { withNotes } from '../../helpers/noting-index';

type Login = ReturnType<typeof setupLogin>;
const FLOOR_MS = 1_000;

/** A login whose provider takes notifications, with checks a minute apart unless notified. */
function notifying(strategy = {}) {
  return setupLogin(
    { notificationSecret: 's3cret', minCheckIntervalMs: FLOOR_MS },
    { pollIntervalMs: 60_000, ...strategy },
  );
}

function asRequest({
  headers,
  body,
}: {
  headers: Record<string, string>;
  body: string;
}): NotificationRequest {
  return { headers, body: Buffer.from(body) };
}

/** The audit event of a note the index could not write. */
const NOTE_LOST = expect.objectContaining({
  type: 'store_error',
  store: 'notification_index',
  operation: 'noteNotification',
}) as unknown;

async function startAlice({ login, req }: Login) {
  const started = await login.start(req({ username: 'alice' }));
  return (started as { challengeId: string }).challengeId;
}

describe('notify', () => {
  test('an authentic notification of an open challenge wakes its waiters and makes the next check due', async () => {
    const setup = notifying();
    const { login, provider, req, time } = setup;
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    login.subscribe(challengeId, (event) => heard.push(event));
    time.advance(FLOOR_MS);
    expect(await login.notify(asRequest(provider.notification()))).toEqual({
      kind: 'accepted',
      secretKey: true,
    });
    expect(heard).toEqual([{ type: 'check' }]);
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(1);
  });

  test('asks admit, with whether the key is a provider secret, before the lookup: refused, nothing is woken', async () => {
    const setup = notifying();
    const { login, provider } = setup;
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    login.subscribe(challengeId, (event) => heard.push(event));
    const asked: boolean[] = [];
    const refuse = (secretKey: boolean) => (asked.push(secretKey), false);
    expect(await login.notify(asRequest(provider.notification()), refuse)).toEqual({ kind: 'limited' });
    expect(asked).toEqual([true]);
    expect(heard).toEqual([]);
    // A notification refused before admit (not authentic) never asks it.
    const forged = { ...provider.notification(), headers: { authorization: 'Bearer wrong' } };
    expect(await login.notify(asRequest(forged), refuse)).toMatchObject({ kind: 'refused', status: 401 });
    expect(asked).toEqual([true]);
    expect(await login.notify(asRequest(provider.notification()), () => true)).toEqual({
      kind: 'accepted',
      secretKey: true,
    });
    expect(heard).toEqual([{ type: 'check' }]);
    // A key anyone could guess (no `secret`): admit hears so.
    Object.assign(provider, { readNotification: async () => ({ kind: 'hint', key: 'alice' }) });
    await login.notify(asRequest(provider.notification()), refuse);
    expect(asked).toEqual([true, false]);
  });

  test('is never an approval: without a provider check the challenge stays pending', async () => {
    const setup = notifying();
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS);
    await login.notify(asRequest(provider.notification()));
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(1);
  });

  test("asks the provider no sooner than its floor after the challenge's last check", async () => {
    const setup = notifying();
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS - 1);
    await login.notify(asRequest(provider.notification()));
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', retryAfterMs: 1 });
    expect(provider.calls.check).toBe(0);
    time.advance(1);
    await login.poll(req());
    expect(provider.calls.check).toBe(1);
  });

  test('a provider that declares no floor: notifications wait a second after the last check', async () => {
    const { login, provider, req, time } = setupLogin(
      { notificationSecret: 's3cret' },
      { pollIntervalMs: 60_000 },
    );
    await login.start(req({ username: 'alice' }));
    time.advance(DEFAULT_MIN_CHECK_INTERVAL_MS - 1);
    await login.notify(asRequest(provider.notification()));
    expect(await login.poll(req())).toMatchObject({ kind: 'pending', retryAfterMs: 1 });
    expect(provider.calls.check).toBe(0);
    time.advance(1);
    await login.poll(req());
    expect(provider.calls.check).toBe(1);
  });

  test("a note from the future (a clock ahead, a corrupt value) never holds back this instance's notifications", async () => {
    const notificationIndex = withNotes(new MemoryNotificationIndex({ now: manualClock().now }), {
      // Another instance's note, an hour ahead of this instance's clock.
      lastNotification: async () => manualClock().now() + 3_600_000,
    });
    const setup = notifying({ stores: { notificationIndex } });
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(0);
    await login.notify(asRequest(provider.notification()));
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(1);
  });

  test("a note at most the floor ahead of this instance's clock is a note: the check is due now", async () => {
    let heardAt = 0;
    const notificationIndex = withNotes(new MemoryNotificationIndex({ now: manualClock().now }), {
      lastNotification: async () => heardAt,
    });
    const setup = notifying({ stores: { notificationIndex } });
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS);
    // Another instance's clock a floor ahead: a notification it heard just now, here.
    heardAt = time.now() + FLOOR_MS;
    provider.answer('approved');
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(1);
  });

  test('a notification for a challenge that ended is unknown', async () => {
    const setup = notifying();
    const { login, provider, req } = setup;
    await startAlice(setup);
    const late = asRequest(provider.notification());
    await login.cancel(req());
    expect(await login.notify(late)).toEqual({ kind: 'unknown', secretKey: true });
  });

  test("a wrong secret is refused 401 with the provider's code", async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers, body } = setup.provider.notification();
    expect(
      await setup.login.notify(asRequest({ headers: { ...headers, authorization: 'Bearer wrong' }, body })),
    ).toEqual({ kind: 'refused', status: 401, code: 'unauthorized' });
  });

  test('a body the provider cannot read is refused 400 with its code', async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers } = setup.provider.notification();
    expect(await setup.login.notify(asRequest({ headers, body: '{}' }))).toEqual({
      kind: 'refused',
      status: 400,
      code: 'invalid_body',
    });
  });

  test('a provider that takes no notifications refuses them all as not_supported', async () => {
    const { login } = setupLogin();
    expect(await login.notify(asRequest({ headers: {}, body: '{}' }))).toEqual({
      kind: 'refused',
      status: 400,
      code: 'not_supported',
    });
  });

  test.each([
    ['a reader that throws', () => Promise.reject(new Error('broken')), 400, 'invalid_notification'],
    ['a reader that answers nothing', async () => undefined, 400, 'invalid_notification'],
    ['an answer of no known kind', async () => ({ kind: 'maybe' }), 400, 'invalid_notification'],
    ['a hint without a key', async () => ({ kind: 'hint', key: '' }), 400, 'invalid_notification'],
    ['a hint whose key is no string', async () => ({ kind: 'hint', key: 42 }), 400, 'invalid_notification'],
    ['a refusal with an odd status', async () => ({ kind: 'refused', status: 403, code: 'x' }), 400, 'x'],
    ['a refusal without a code', async () => ({ kind: 'refused', status: 401 }), 401, 'invalid_notification'],
  ])('%s: refused, never a throw', async (_name, read, status, code) => {
    const setup = notifying();
    Object.assign(setup.provider, { readNotification: read });
    expect(await setup.login.notify(asRequest({ headers: {}, body: '{}' }))).toEqual({
      kind: 'refused',
      status,
      code,
    });
  });
});

describe("notifications the app's wiring loses (an error event tells the app to fix it)", () => {
  test('a body that middleware before the router read and dropped: refused 400 body_unavailable', async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers } = setup.provider.notification();
    expect(await setup.login.notify({ headers, body: Buffer.alloc(0), bodyIsRaw: false })).toEqual({
      kind: 'refused',
      status: 400,
      code: 'body_unavailable',
    });
    expect(setup.provider.calls.readNotification).toBe(0);
    // What happened and the fix, both: the app's developer reads this in the audit log.
    expect(setup.events.at(-1)).toEqual({
      type: 'error',
      message:
        'A provider notification arrived without its body: middleware before pushLogin read it and kept ' +
        'nothing. Mount pushLogin before it, or use a body parser (docs/notifications.md).',
      provider: 'scripted',
    });
  });

  test('a rebuilt body that is not empty reaches the provider (a parser that kept the fields)', async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers, body } = setup.provider.notification();
    expect(await setup.login.notify({ headers, body: Buffer.from(body), bodyIsRaw: false })).toEqual({
      kind: 'accepted',
      secretKey: true,
    });
  });

  test('a key anyone could guess (no `secret` in the read) finds its challenge but proves no sender', async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers, body } = setup.provider.notification();
    const key = (JSON.parse(body) as { key: string }).key;
    Object.assign(setup.provider, { readNotification: async () => ({ kind: 'hint', key }) });
    expect(await setup.login.notify({ headers, body: Buffer.from(body) })).toEqual({
      kind: 'accepted',
      secretKey: false,
    });
    Object.assign(setup.provider, { readNotification: async () => ({ kind: 'hint', key: 'nobody' }) });
    expect(await setup.login.notify({ headers, body: Buffer.from(body) })).toEqual({
      kind: 'unknown',
      secretKey: false,
    });
  });

  test('a rebuilt body where the provider needs the exact bytes: refused, and an error event', async () => {
    const setup = notifying();
    await startAlice(setup);
    Object.assign(setup.provider, {
      readNotification: async () => ({ kind: 'refused', status: 400, code: 'raw_body_required' }),
    });
    const { headers, body } = setup.provider.notification();
    expect(await setup.login.notify(asRequest({ headers, body }))).toEqual({
      kind: 'refused',
      status: 400,
      code: 'raw_body_required',
    });
    expect(setup.events.at(-1)).toEqual({
      type: 'error',
      message:
        'A provider notification needs its exact bytes, but an app-wide body parser read them first: ' +
        'add `verify: keepRawBody` to that parser, or mount pushLogin before it (docs/notifications.md).',
      provider: 'scripted',
    });
  });

  test('other refusals leave no error event (a stranger cannot fill the audit log)', async () => {
    const setup = notifying();
    await startAlice(setup);
    const { headers, body } = setup.provider.notification();
    await setup.login.notify(asRequest({ headers: { ...headers, authorization: 'Bearer wrong' }, body }));
    await setup.login.notify(asRequest({ headers, body: '' }));
    expect(setup.events.map((event) => event.type)).toEqual(['start']);
  });
});

describe('notification keys from the provider', () => {
  /** Makes the provider's next start name `key` as its notification key. */
  function withKey(setup: Login, key: unknown) {
    alterStart(setup.provider, (started) => ({ ...started, notificationKey: key as string }));
  }
  const notificationOf = (key: string) =>
    asRequest({ headers: { authorization: 'Bearer s3cret' }, body: JSON.stringify({ key }) });

  test('up to 4096 characters are indexed; a longer one is not (the challenge still polls)', async () => {
    const kept = notifying();
    withKey(kept, 'k'.repeat(4096));
    await startAlice(kept);
    expect(await kept.login.notify(notificationOf('k'.repeat(4096)))).toEqual({
      kind: 'accepted',
      secretKey: true,
    });

    const dropped = notifying();
    withKey(dropped, 'k'.repeat(4097));
    await startAlice(dropped);
    expect(await dropped.login.notify(notificationOf('k'.repeat(4097)))).toEqual({
      kind: 'unknown',
      secretKey: true,
    });
    expect(await dropped.login.poll(dropped.req())).toMatchObject({ kind: 'pending' });
  });

  test('a provider that takes no notifications gets no index entry, whatever key it names', async () => {
    const added: string[] = [];
    const notificationIndex = {
      add: async (key: string) => void added.push(key),
      find: async () => undefined,
      remove: async () => undefined,
    };
    const setup = setupLogin({}, { stores: { notificationIndex } });
    withKey(setup, 'k-1');
    expect(await startAlice(setup)).toEqual(expect.any(String));
    expect(added).toEqual([]);
  });

  test('an index that fails only costs the notification: the start succeeds', async () => {
    const notificationIndex = {
      add: async () => Promise.reject(new Error('redis down')),
      find: async () => undefined,
      remove: async () => undefined,
    };
    const setup = notifying({ stores: { notificationIndex } });
    expect(await setup.login.start(setup.req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
    expect(await setup.login.notify(asRequest(setup.provider.notification()))).toEqual({
      kind: 'unknown',
      secretKey: true,
    });
  });

  test('a note that cannot be written still wakes the waiters, and is a store_error event', async () => {
    const clock = manualClock();
    const notificationIndex = withNotes(new MemoryNotificationIndex({ now: clock.now }), {
      noteNotification: async () => Promise.reject(new Error('redis down')),
      lastNotification: async () => undefined,
    });
    const setup = notifying({ stores: { notificationIndex } });
    const { login, provider, events } = setup;
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    login.subscribe(challengeId, (event) => heard.push(event));
    expect(await login.notify(asRequest(provider.notification()))).toMatchObject({ kind: 'accepted' });
    // The note is for requests that arrive later; the ones waiting now are told all the same.
    expect(heard).toEqual([{ type: 'check' }]);
    expect(events).toContainEqual(NOTE_LOST);
  });

  test('a note the store refuses to write tells no one which users have a login open (no oracle)', async () => {
    const clock = manualClock();
    const memory = new MemoryNotificationIndex({ now: clock.now });
    // As Redis refuses a script's write and not its read (maxmemory with noeviction, a primary
    // that became a replica in a failover): only a key with an entry fails, as that one is noted.
    const notificationIndex = withNotes(memory, {
      noteNotification: async (keyHash) => {
        const challengeId = await memory.find(keyHash);
        if (challengeId !== undefined)
          throw new Error("OOM command not allowed when used memory > 'maxmemory'");
        return undefined;
      },
      lastNotification: async () => undefined,
    });
    const setup = notifying({ stores: { notificationIndex } });
    const { login, provider, req, events } = setup;
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    login.subscribe(challengeId, (event) => heard.push(event));
    const late = asRequest(provider.notification());
    const open = await login.notify(asRequest(provider.notification()));
    // The waiters are told; the lost note is the operators' to hear of.
    expect(heard).toEqual([{ type: 'check' }]);
    expect(events).toContainEqual(NOTE_LOST);
    await login.cancel(req());
    const ended = await login.notify(late);
    // The route answers both 204, as with a store that writes: a 503 for the open login only
    // would tell anyone who can name a key (an unsigned webhook's user ID) that it is open.
    expect(open).toEqual({ kind: 'accepted', secretKey: true });
    expect(ended).toEqual({ kind: 'unknown', secretKey: true });
  });

  test('a note that cannot be written, and a lookup that cannot be made: a 503, nothing on the bus; a lookup that works answers', async () => {
    const clock = manualClock();
    const down = new Error('redis down');
    const memory = new MemoryNotificationIndex({ now: clock.now });
    const notificationIndex = withNotes(memory, {
      noteNotification: async () => Promise.reject(down),
      lastNotification: async () => undefined,
    });
    const setup = notifying({ stores: { notificationIndex } });
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    setup.login.subscribe(challengeId, (event) => heard.push(event));
    memory.find = async () => Promise.reject(down);
    expect(await setup.login.notify(asRequest(setup.provider.notification()))).toMatchObject({
      kind: 'unavailable',
    });
    expect(heard).toEqual([]);
    // The lookup works again but finds no entry: answered as it found it, as for any key.
    memory.find = async () => undefined;
    expect(await setup.login.notify(asRequest(setup.provider.notification()))).toMatchObject({
      kind: 'unknown',
    });
    expect(heard).toEqual([]);
  });

  test('a notification is looked up and noted in one call where the index notes', async () => {
    const clock = manualClock();
    const memory = new MemoryNotificationIndex({ now: clock.now });
    const calls: string[] = [];
    const find = memory.find.bind(memory);
    memory.find = async (keyHash) => (calls.push('find'), find(keyHash));
    const notificationIndex = withNotes(memory, {
      noteNotification: async (keyHash, at) => (calls.push(`note at ${at}`), find(keyHash)),
      lastNotification: async () => undefined,
    });
    const setup = notifying({ stores: { notificationIndex } });
    await startAlice(setup);
    calls.length = 0;
    expect(await setup.login.notify(asRequest(setup.provider.notification()))).toMatchObject({
      kind: 'accepted',
    });
    expect(calls).toEqual([`note at ${setup.time.now()}`]);
  });

  test('the note is written before the bus message: a request that found no note was listening', async () => {
    const clock = manualClock();
    const said: string[] = [];
    const notificationBus = new MemoryNotificationBus();
    const publish = notificationBus.publish.bind(notificationBus);
    notificationBus.publish = async (...args) => (said.push('bus message'), publish(...args));
    const memory = new MemoryNotificationIndex({ now: clock.now });
    const notificationIndex = withNotes(memory, {
      noteNotification: async (keyHash) => (said.push('note'), memory.find(keyHash)),
      lastNotification: async () => undefined,
    });
    const setup = notifying({ stores: { notificationIndex, notificationBus } });
    await startAlice(setup);
    await setup.login.notify(asRequest(setup.provider.notification()));
    expect(said).toEqual(['note', 'bus message']);
  });

  test('the index entry goes when the challenge ends, whatever ends it', async () => {
    const removed: string[] = [];
    const added: string[] = [];
    const notificationIndex = {
      add: async (key: string) => void added.push(key),
      find: async () => undefined,
      remove: async (key: string) => void removed.push(key),
    };
    const setup = notifying({ stores: { notificationIndex } });
    await startAlice(setup);
    setup.provider.answer('denied');
    setup.time.advance(60_000);
    await setup.login.poll(setup.req());
    expect(added).toHaveLength(1);
    expect(removed).toEqual(added);
  });

  test.each([
    ['no key', undefined],
    ['an empty key', ''],
  ])(
    'a challenge the provider names %s for: no index entry, and it completes by polling',
    async (_name, key) => {
      const added: string[] = [];
      const notificationIndex = {
        add: async (key: string) => void added.push(key),
        find: async () => undefined,
        remove: async () => undefined,
      };
      const setup = notifying({ stores: { notificationIndex } });
      withKey(setup, key);
      expect(await setup.login.start(setup.req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
      expect(added).toEqual([]);
      setup.provider.answer('approved');
      setup.time.advance(60_000);
      expect(await setup.login.poll(setup.req())).toMatchObject({ kind: 'approved' });
    },
  );

  test('a challenge with no index entry ends without touching the index', async () => {
    const removed: (string | undefined)[] = [];
    const notificationIndex = {
      add: async () => undefined,
      find: async () => undefined,
      remove: async (key: string) => void removed.push(key),
    };
    const setup = setupLogin({}, { stores: { notificationIndex } });
    await startAlice(setup);
    setup.provider.answer('approved');
    expect(await setup.login.poll(setup.req())).toMatchObject({ kind: 'approved' });
    expect(removed).toHaveLength(0);
  });
});

describe('a notification another instance heard while no request of the login listened', () => {
  /**
   * Two instances on one provider, one clock and one shared index with notes (each with its own
   * in-process bus, so what B publishes reaches no request on A): B hears, A serves the browser.
   */
  function twoInstances(index: Partial<NotificationIndex> = {}) {
    const entries = new Map<string, string>();
    const notes = new Map<string, string>();
    const reads: string[] = [];
    const notificationIndex: NotificationIndex = {
      add: async (keyHash, challengeId) => void entries.set(keyHash, challengeId),
      find: async (keyHash) => entries.get(keyHash),
      remove: async (keyHash) => void entries.delete(keyHash),
      noteNotification: async (keyHash, at) => {
        const challengeId = entries.get(keyHash);
        if (challengeId !== undefined) notes.set(keyHash, `${challengeId} ${at}`);
        return challengeId;
      },
      lastNotification: async (keyHash, challengeId) => {
        reads.push(keyHash);
        const [id, at] = (notes.get(keyHash) ?? '').split(' ');
        return id === challengeId ? Number(at) : undefined;
      },
      ...index,
    };
    const secret = 'one app secret that both instances share';
    const onA = notifying({ stores: { notificationIndex }, secret });
    const onB = new PushStrategy(
      {
        provider: onA.provider,
        pollIntervalMs: 60_000,
        limiter: false,
        now: onA.time.now,
        stores: { notificationIndex },
        secret,
      },
      async (subject) => ({ id: subject }),
    ).login;
    const notifyB = () => onB.notify(asRequest(onA.provider.notification()));
    return { ...onA, notifyB, notes, reads };
  }

  test("B notes it; A's next arriving request checks at once and completes", async () => {
    const setup = twoInstances();
    const { login, provider, req, session, time } = setup;
    const challengeId = await startAlice(setup);
    time.advance(FLOOR_MS);
    provider.answer('approved');
    expect(await setup.notifyB()).toEqual({ kind: 'accepted', secretKey: true });
    expect([...setup.notes.values()]).toEqual([`${challengeId} ${time.now()}`]);
    // What A knows by itself says wait; a request that arrives asks the index first.
    expect(login.localAnswer(session)).toMatchObject({ state: 'pending' });
    expect(login.localAnswer(session, ARRIVING)).toBeUndefined();
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(1);
  });

  test('a note no newer than the last check makes no check, however often requests arrive', async () => {
    const setup = twoInstances();
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    // Heard in the same moment as the start's call: that call answered it.
    await setup.notifyB();
    time.advance(FLOOR_MS);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(0);
    // Heard later: one check answers it, and the requests after it do not ask again.
    await setup.notifyB();
    time.advance(FLOOR_MS);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(1);
    time.advance(FLOOR_MS);
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(1);
  });

  test("a request that has listened since it arrived (a held poll's later round) reads no note", async () => {
    const setup = twoInstances();
    const { login, req } = setup;
    await startAlice(setup);
    await login.poll({ ...req(), listening: true });
    expect(setup.reads).toHaveLength(0);
    await login.poll(req());
    expect(setup.reads).toHaveLength(1);
  });

  test('the status stream reads the note when it opens, not at its later reads', async () => {
    const setup = twoInstances();
    const { login, provider, session, time } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS);
    provider.answer('approved');
    await setup.notifyB();
    expect(await login.observe(session)).toMatchObject({ state: 'pending' });
    expect(setup.reads).toHaveLength(0);
    expect(await login.observe(session, ARRIVING)).toMatchObject({ state: 'approved' });
    expect(setup.reads).toHaveLength(1);
    expect(provider.calls.check).toBe(1);
  });

  test('no note is read for a challenge without a notification key, nor from an index without notes', async () => {
    const withoutKey = twoInstances();
    alterStart(withoutKey.provider, ({ notificationKey: _key, ...started }) => started);
    await startAlice(withoutKey);
    expect(withoutKey.login.localAnswer(withoutKey.session, ARRIVING)).toMatchObject({
      state: 'pending',
    });
    await withoutKey.login.poll(withoutKey.req());
    expect(withoutKey.reads).toHaveLength(0);

    const withoutNotes = twoInstances({ noteNotification: undefined, lastNotification: undefined });
    await startAlice(withoutNotes);
    expect(await withoutNotes.notifyB()).toEqual({ kind: 'accepted', secretKey: true });
    expect(withoutNotes.login.localAnswer(withoutNotes.session, ARRIVING)).toMatchObject({
      state: 'pending',
    });
  });

  test('a note that cannot be read: the request is answered from the record, and an event says what was lost', async () => {
    const setup = twoInstances({ lastNotification: async () => Promise.reject(new Error('index down')) });
    const { login, provider, req, time, events } = setup;
    await startAlice(setup);
    time.advance(FLOOR_MS);
    provider.answer('approved');
    await setup.notifyB();
    expect(await login.poll(req())).toMatchObject({ kind: 'pending' });
    expect(provider.calls.check).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'store_error',
        store: 'notification_index',
        operation: 'lastNotification',
        lost: "whether another instance heard a notification for this login (the challenge's next check makes up for it)",
      }),
    );
  });
});

describe("what an arriving request reads of another instance's note", () => {
  /** A shared index whose note says `heardAt()`; `reads` counts the arriving requests that asked. */
  function noting(heardAt: () => number | undefined = () => undefined) {
    const reads = { count: 0 };
    const notificationIndex = withNotes(new MemoryNotificationIndex({ now: manualClock().now }), {
      lastNotification: async () => (reads.count++, heardAt()),
    });
    return { setup: notifying({ stores: { notificationIndex } }), reads };
  }

  test('a poll that arrives when its check is due asks the provider, not the index', async () => {
    const { setup, reads } = noting();
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(60_000);
    await login.poll(req());
    expect(provider.calls.check).toBe(1);
    // The call it starts now answers whatever was noted before.
    expect(reads.count).toBe(0);
    // Inside the interval a note can make the check due: it is read.
    time.advance(FLOOR_MS);
    await login.poll(req());
    expect(reads.count).toBe(1);
  });

  test('a poll that arrives while a check is in flight reads the note: one made after the call began asks again', async () => {
    const note: { heardAt?: number } = {};
    const { setup, reads } = noting(() => note.heardAt);
    const { login, provider, req, time } = setup;
    await startAlice(setup);
    time.advance(60_000);
    let open = () => {};
    provider.checkGate = new Promise<void>((resolve) => (open = resolve));
    let called = () => {};
    const calling = new Promise<void>((resolve) => (called = resolve));
    const check = provider.check.bind(provider);
    provider.check = (...args) => (called(), check(...args));
    const first = login.poll(req());
    await calling;
    // The phone's answer reaches another instance after the call began.
    time.advance(10);
    note.heardAt = time.now();
    const second = login.poll(req());
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads.count).toBe(1);
    open();
    expect(await first).toMatchObject({ kind: 'pending' });
    expect(await second).toMatchObject({ kind: 'pending' });
    provider.answer('approved');
    time.advance(FLOOR_MS);
    expect(await login.poll(req())).toMatchObject({ kind: 'approved' });
    expect(provider.calls.check).toBe(2);
  });
});

describe('observe (the status stream)', () => {
  test('with no session data or no challenge: none', async () => {
    const { login, session } = setupLogin();
    expect(await login.observe({ ...session, data: undefined } as never)).toEqual({ state: 'none' });
    expect(await login.observe(session)).toEqual({ state: 'none' });
  });

  test('a session without an id holds none, even with a challenge in its data', async () => {
    const setup = notifying();
    await startAlice(setup);
    expect(await setup.login.observe({ ...setup.session, id: undefined })).toEqual({ state: 'none' });
  });

  test('a record that cannot be read: invalid', async () => {
    const setup = setupLogin();
    await startAlice(setup);
    setup.session.data['push:scripted'] = { v: 1 };
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'invalid' });
  });

  test('before the next check: pending with the display, and no provider call', async () => {
    const setup = setupLogin({}, { pollIntervalMs: 5_000 });
    await startAlice(setup);
    setup.time.advance(1_000);
    expect(await setup.login.observe(setup.session)).toEqual({
      state: 'pending',
      message: expect.any(String),
      userId: 'alice',
      expiresAt: expect.any(Number),
      expiresInMs: 119_000,
      retryAfterMs: 4_000,
    });
    expect(setup.provider.calls.check).toBe(0);
  });

  test('past the deadline: expired', async () => {
    const setup = setupLogin({}, { challengeTimeoutMs: 5_000 });
    await startAlice(setup);
    setup.time.advance(5_000);
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'expired' });
  });

  test('a check that finds the approval announces it but leaves the login to the status request', async () => {
    const setup = setupLogin();
    const challengeId = await startAlice(setup);
    const heard: NotificationEvent[] = [];
    setup.login.subscribe(challengeId, (event) => heard.push(event));
    setup.provider.answer('approved');
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'approved' });
    expect(heard).toEqual([{ type: 'settled', state: 'approved' }]);
    expect(setup.verified).toEqual([]);
    // Seen again: pending until the status request completes it, without asking the provider again.
    expect(await setup.login.observe(setup.session)).toMatchObject({ state: 'pending' });
    expect(await setup.login.poll(setup.req())).toMatchObject({ kind: 'approved' });
    expect(setup.provider.calls.check).toBe(1);
  });

  test('the status request that completes what a check found asks the store no second time whether its session is still there', async () => {
    // It loaded its session after the provider answered (no provider call of its own to wait
    // for): the read before its writes would only repeat that load, one more store round trip
    // on the way to the signed-in answer.
    const setup = setupLogin();
    await startAlice(setup);
    setup.provider.answer('approved');
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'approved' });
    let reads = 0;
    setup.session.stillStored = async () => (reads += 1) > 0;
    expect(await setup.login.poll(setup.req())).toMatchObject({ kind: 'approved' });
    expect(reads).toBe(0);
    expect(setup.provider.calls.check).toBe(1);
  });

  test('a final state other than approval is observed as that state', async () => {
    const setup = setupLogin();
    await startAlice(setup);
    setup.provider.answer('denied');
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'denied' });
  });

  test("a pending check carries the status's display and message", async () => {
    const setup = setupLogin();
    await startAlice(setup);
    setup.provider.answer('fetched', {
      display: { launchUrl: 'scripted:///?t=2' },
      message: { key: 'scripted.open', text: 'Open the app.' },
    });
    expect(await setup.login.observe(setup.session)).toMatchObject({
      state: 'fetched',
      display: { launchUrl: 'scripted:///?t=2' },
      providerMessage: { key: 'scripted.open', text: 'Open the app.' },
    });
  });

  test('a fault that ends the challenge reads invalid; a passing one keeps it pending', async () => {
    const setup = setupLogin();
    await startAlice(setup);
    setup.provider.failNext(new PushError('protocol', 'Malformed.', { code: 'invalid_response' }));
    expect(await setup.login.observe(setup.session)).toEqual({ state: 'invalid' });
    setup.provider.failNext(new PushError('protocol', 'Slow.', { code: 'timeout', retryable: true }));
    expect(await setup.login.observe(setup.session)).toMatchObject({ state: 'pending' });
  });
});

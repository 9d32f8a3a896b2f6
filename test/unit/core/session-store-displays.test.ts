/**
 * The default display store keeps each display in the app's session store, beside the sessions:
 * what the wait page shows comes back exactly until the challenge's expiry, a reload finds it in
 * whatever store the sessions are in, and an entry can never be loaded as somebody's session.
 */
import session from 'express-session';
import { SessionStoreDisplays } from '../../../lib/core/session-store-displays';
import { randomDesign, renderAccessPass, toDataUrl } from '../../../lib/testing/secsign-id-access-pass';
import { manualClock } from '../../helpers/clock';
import { PushError } from '../../../lib';

const MINUTE = 60_000;
const display = () => ({ accessPass: toDataUrl(renderAccessPass(randomDesign())), instruction: 'Pick it' });

function allStored(store: session.MemoryStore): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) =>
    store.all((error, all) => (error ? reject(error) : resolve((all ?? {}) as Record<string, unknown>))),
  );
}

function setup() {
  const clock = manualClock();
  const sessions = new session.MemoryStore();
  const displays = new SessionStoreDisplays(clock.now);
  displays.useSessionStore(sessions);
  return { clock, sessions, displays };
}

test('a display comes back exactly from the session store, read by another store object (another instance)', async () => {
  const { clock, sessions, displays } = setup();
  const shown = display();
  await displays.set('c1', shown, clock.now() + MINUTE);
  const elsewhere = new SessionStoreDisplays(clock.now);
  elsewhere.useSessionStore(sessions);
  await expect(elsewhere.get('c1')).resolves.toEqual(shown);
  // Kept in the session store: one entry, under a key no session id can take.
  expect(Object.keys(await allStored(sessions))).toEqual(['push-display:c1']);
});

test('past the challenge expiry it is a miss; an already expired challenge stores nothing', async () => {
  const { clock, sessions, displays } = setup();
  await displays.set('c1', display(), clock.now() + MINUTE);
  clock.advance(MINUTE);
  await expect(displays.get('c1')).resolves.toBeUndefined();
  await displays.set('c2', display(), clock.now());
  expect(Object.keys(await allStored(sessions))).not.toContain('push-display:c2');
});

test('delete() forgets it for every reader', async () => {
  const { clock, displays } = setup();
  await displays.set('c1', display(), clock.now() + MINUTE);
  await displays.delete('c1');
  await expect(displays.get('c1')).resolves.toBeUndefined();
});

test('a display over the cap is refused with a typed limit error, storing nothing', async () => {
  const clock = manualClock();
  const sessions = new session.MemoryStore();
  const displays = new SessionStoreDisplays(clock.now, 1024);
  displays.useSessionStore(sessions);
  const refused = displays.set('c1', display(), clock.now() + MINUTE);
  await expect(refused).rejects.toBeInstanceOf(PushError);
  await expect(refused).rejects.toMatchObject({ kind: 'limit', code: 'display_too_large' });
  expect(await allStored(sessions)).toEqual({});
});

test.each<[string, unknown]>([
  ['not an object', 'text'],
  ['no display', { cookie: {}, pushExpiresAt: Number.MAX_SAFE_INTEGER }],
  ['a display that is not JSON', { pushDisplay: '{', pushExpiresAt: Number.MAX_SAFE_INTEGER }],
  ['a display of non-text fields', { pushDisplay: '{"qr":1}', pushExpiresAt: Number.MAX_SAFE_INTEGER }],
  ['no expiry', { pushDisplay: '{"qr":"x"}' }],
])('a corrupt or foreign entry (%s) is a miss, not an error', async (_name, entry) => {
  const { sessions, displays } = setup();
  sessions.set('push-display:c1', entry as session.SessionData);
  await expect(displays.get('c1')).resolves.toBeUndefined();
});

test('a failing session store fails the call (the router reports it and the page shows no picture)', async () => {
  const clock = manualClock();
  const displays = new SessionStoreDisplays(clock.now);
  const broken = new Error('store down');
  displays.useSessionStore({
    get: (_sid: string, callback: (error: unknown) => void) => callback(broken),
    set: (_sid: string, _data: unknown, callback: (error: unknown) => void) => callback(broken),
    destroy: (_sid: string, callback: (error: unknown) => void) => callback(broken),
  });
  await expect(displays.set('c1', display(), clock.now() + MINUTE)).rejects.toBe(broken);
  await expect(displays.get('c1')).rejects.toBe(broken);
});

test('without a session store (cookie sessions) the displays stay in this process, bounded', async () => {
  const clock = manualClock();
  const displays = new SessionStoreDisplays(clock.now);
  displays.useSessionStore(undefined);
  displays.useSessionStore({ get: () => undefined });
  const shown = display();
  await displays.set('c1', shown, clock.now() + MINUTE);
  await expect(displays.get('c1')).resolves.toEqual(shown);
});

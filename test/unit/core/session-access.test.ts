import { PushError } from '../../../lib';
import { requireSession, sessionOf, storedSessionReader } from '../../../lib/core/session-access';

/** A request as express-session leaves it: regenerate() swaps in a new session object. */
function requestWith(data: Record<string, unknown>) {
  class Session {
    regenerate(callback: (error?: unknown) => void): void {
      request.session = new Session() as unknown as typeof request.session;
      request.sessionID = 'new-id';
      callback();
    }
    save(): void {}
  }
  const request: { session: Record<string, unknown>; sessionID: string } = {
    // defineProperties, as a store's JSON.parse does: a key named __proto__ stays an own property.
    session: Object.defineProperties(
      new Session(),
      Object.getOwnPropertyDescriptors(data),
    ) as unknown as Record<string, unknown>,
    sessionID: 'old-id',
  };
  return request;
}

describe('sessionOf(req).regenerate', () => {
  it('keeps what the app stored, under a new id, when asked to', async () => {
    const request = requestWith({ cart: ['book'], cookie: { maxAge: 1 } });
    await sessionOf(request).regenerate(true);
    expect(request.sessionID).toBe('new-id');
    expect(request.session['cart']).toEqual(['book']);
    expect(request.session['cookie']).toBeUndefined();
  });

  it('keeps nothing when asked not to', async () => {
    const request = requestWith({ cart: ['book'] });
    await sessionOf(request).regenerate(false);
    expect(Object.keys(request.session)).toEqual([]);
  });

  it('a regenerate that fails (the store is down) fails the call, always with an Error', async () => {
    const down = new Error('store down');
    const failing = (error: unknown) => ({
      session: { regenerate: (callback: (error?: unknown) => void) => callback(error) },
      sessionID: 'old-id',
    });
    await expect(sessionOf(failing(down)).regenerate(true)).rejects.toBe(down);
    await expect(sessionOf(failing('store down')).regenerate(true)).rejects.toThrow(new Error('store down'));
  });

  it('without express-session (no session, or one without regenerate) there is nothing to regenerate', async () => {
    await expect(sessionOf({}).regenerate(true)).resolves.toBeUndefined();
    await expect(sessionOf({ session: { cart: 1 } }).regenerate(false)).resolves.toBeUndefined();
  });

  it('a session middleware that leaves no new session: nothing is carried over, and no crash', async () => {
    const request: { session?: Record<string, unknown> } = {};
    request.session = {
      cart: 1,
      regenerate: (callback: (error?: unknown) => void) => {
        delete request.session;
        callback();
      },
    };
    await expect(sessionOf(request).regenerate(true)).resolves.toBeUndefined();
    expect(request.session).toBeUndefined();
  });

  it('does not let a stored key named __proto__ replace the new session prototype', async () => {
    // What JSON.parse gives a store for {"__proto__": {...}}: an own property, not a prototype.
    const request = requestWith(JSON.parse('{"__proto__":{"save":"not a function"},"cart":1}'));
    await sessionOf(request).regenerate(true);
    expect(typeof request.session['save']).toBe('function');
    expect(request.session['cart']).toBe(1);
  });
});

describe('sessionOf(req): data and id', () => {
  it("the id is express-session's sessionID, and none when that is not a string", () => {
    expect(sessionOf(requestWith({})).id).toBe('old-id');
    expect(sessionOf({ session: {}, sessionID: 42 }).id).toBeUndefined();
  });
});

describe('requireSession', () => {
  const regenerate = () => undefined;

  it('gives the data and id of an express-session session', () => {
    const data = { regenerate };
    expect(requireSession({ ...sessionOf({}), data, id: 'sid' })).toEqual({ data, id: 'sid' });
  });

  it.each([
    ['no session at all', { data: undefined, id: 'sid' }],
    ['a session without regenerate()', { data: { cart: 1 }, id: 'sid' }],
    ['a session without an id', { data: { regenerate }, id: undefined }],
  ])('%s is a configuration error that names express-session', (_name, view) => {
    const call = () => requireSession({ ...sessionOf({}), ...view });
    expect(call).toThrow(PushError);
    expect(call).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringMatching(/express-session/) }),
    );
  });
});

/** A session store that answers get() from a table (or with an error). */
function storeOf(sessions: Record<string, unknown>, error?: unknown) {
  const store = {
    get(this: unknown, sid: string, callback: (error: unknown, data?: unknown) => void) {
      // Stores such as express-session's MemoryStore read their sessions through `this`.
      if (this !== store) throw new Error('get() called without its store');
      callback(error, sessions[sid]);
    },
  };
  return store;
}

function requestOn(
  sessions: Record<string, unknown>,
  options: { error?: unknown; sessionID?: unknown } = {},
) {
  const sessionStore = storeOf(sessions, options.error);
  return { session: { regenerate() {} }, sessionID: options.sessionID ?? 'sid', sessionStore };
}

describe('sessionOf(req).stillStored: whether another request destroyed the session meanwhile', () => {
  it('true while the store holds the session', async () => {
    expect(await sessionOf(requestOn({ sid: { cookie: {} } })).stillStored()).toBe(true);
  });

  it.each([
    ['gone from the store', requestOn({})],
    ['stored as null', requestOn({ sid: null })],
    [
      'a store error (writing nothing is the safe side)',
      requestOn({ sid: {} }, { error: new Error('down') }),
    ],
  ])('false when %s', async (_name, request) => {
    expect(await sessionOf(request).stillStored()).toBe(false);
  });

  it('true when there is no store to ask, or no session id to ask it for', async () => {
    expect(await sessionOf({ session: {}, sessionID: 'sid' }).stillStored()).toBe(true);
    expect(await sessionOf({ session: {}, sessionStore: {}, sessionID: 'sid' }).stillStored()).toBe(true);
    expect(await sessionOf(requestOn({}, { sessionID: 42 })).stillStored()).toBe(true);
  });
});

describe('storedSessionReader: the session as stored now, for the status stream', () => {
  it("reads the stored data each time, under the request's session id", async () => {
    const sessions: Record<string, unknown> = { sid: { challenge: 'a' } };
    const read = storedSessionReader(requestOn(sessions));
    const first = await read();
    expect(first).toMatchObject({ data: { challenge: 'a' }, id: 'sid' });
    expect(await first.stillStored()).toBe(true);
    sessions['sid'] = { challenge: 'b' };
    expect((await read()).data).toEqual({ challenge: 'b' });
  });

  it.each([
    ['gone from the store', requestOn({})],
    ['stored as null', requestOn({ sid: null })],
    ['stored as something that is no object', requestOn({ sid: 'junk' })],
    ['a store error', requestOn({ sid: {} }, { error: new Error('down') })],
    ['no store', { sessionID: 'sid' }],
  ])('no data, and not stored, when %s', async (_name, request) => {
    const view = await storedSessionReader(request)();
    expect(view.data).toBeUndefined();
    expect(await view.stillStored()).toBe(false);
  });

  it('without a session id the store is not asked, whatever it would answer', async () => {
    const asked: unknown[] = [];
    const sessionStore = {
      get: (sid: unknown, callback: (error: unknown, data?: unknown) => void) => {
        asked.push(sid);
        callback(null, { challenge: 'a' });
      },
    };
    const view = await storedSessionReader({ sessionID: 42, sessionStore })();
    expect(view).toMatchObject({ data: undefined, id: undefined });
    expect(asked).toEqual([]);
  });

  it('a stored copy is never regenerated (the stream must not write a session)', async () => {
    const view = await storedSessionReader(requestOn({ sid: {} }))();
    await expect(view.regenerate(true)).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringMatching(/cannot be regenerated/),
    });
  });
});

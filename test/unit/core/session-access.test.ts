import { sessionOf } from '../../../lib/core/session-access';

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
    expect(request.session['cart']).toBeUndefined();
  });

  it('does not let a stored key named __proto__ replace the new session prototype', async () => {
    // What JSON.parse gives a store for {"__proto__": {...}}: an own property, not a prototype.
    const request = requestWith(JSON.parse('{"__proto__":{"save":"not a function"},"cart":1}'));
    await sessionOf(request).regenerate(true);
    expect(typeof request.session['save']).toBe('function');
    expect(request.session['cart']).toBe(1);
  });
});

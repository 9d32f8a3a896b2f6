import { PushStrategy } from '../../../lib';
import { RECORD_VERSION, sessionFingerprint } from '../../../lib/core/challenge';
import { ScriptedProvider } from '../../../lib/testing';

// The router answers polls with peekPending when no provider call is due, skipping passport.
const now = 1_000_000;
const strategy = new PushStrategy({ provider: new ScriptedProvider(), now: () => now }, async () => false);

function request(sessionId: string, nextCheckAt: number) {
  const record = {
    v: RECORD_VERSION,
    id: 'c1',
    sid: sessionFingerprint('s1'),
    provider: 'scripted',
    handle: { id: 'c1' },
    userId: 'alice',
    createdAt: now - 1000,
    expiresAt: now + 60_000,
    nextCheckAt,
    intervalMs: 2000,
    fetched: false,
  };
  return { sessionID: sessionId, session: { [strategy.sessionKey]: record } } as never;
}

describe('PushStrategy#peekPending', () => {
  test('answers pending locally while the next check is not due', () => {
    expect(strategy.peekPending(request('s1', now + 1500))).toMatchObject({
      state: 'pending',
      userId: 'alice',
      retryAfterMs: 1500,
      expiresInMs: 60_000,
    });
  });

  test('leaves a due check to authenticate', () => {
    expect(strategy.peekPending(request('s1', now))).toBeUndefined();
  });

  test('never answers for a record from another session', () => {
    expect(strategy.peekPending(request('s2', now + 1500))).toBeUndefined();
  });

  test('no session, no answer', () => {
    expect(strategy.peekPending({} as never)).toBeUndefined();
  });
});

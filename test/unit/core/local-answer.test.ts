import { PushStrategy } from '../../../lib/core/strategy';
import { RECORD_VERSION, sessionFingerprint } from '../../../lib/core/challenge';
import { sessionOf } from '../../../lib/core/session-access';
import { ScriptedProvider } from '../../../lib/testing/scripted-provider';

// The router answers polls with localAnswer when no provider call is due, without a provider call.
const now = 1_000_000;
const provider = new ScriptedProvider({ currentDisplay: (_handle, at) => ({ qr: `qr-${at}` }) });
const strategy = new PushStrategy({ provider, now: () => now }, async () => false);

function session(sessionId: string, nextCheckAt: number) {
  const record = {
    v: RECORD_VERSION,
    id: 'c1',
    sid: sessionFingerprint('s1'),
    provider: 'scripted',
    handle: { id: 'c1' },
    userId: 'alice',
    expiresAt: now + 60_000,
    nextCheckAt,
    intervalMs: 2000,
    fetched: false,
    message: { key: 'scripted.hint', text: 'Open the app' },
  };
  return sessionOf({ sessionID: sessionId, session: { [strategy.sessionKey]: record } });
}

describe('PushLogin#localAnswer', () => {
  test('answers pending locally while the next check is not due, with the current display and message', () => {
    expect(strategy.login.localAnswer(session('s1', now + 1500))).toMatchObject({
      state: 'pending',
      userId: 'alice',
      retryAfterMs: 1500,
      expiresInMs: 60_000,
      display: { qr: `qr-${now}` },
      providerMessage: { key: 'scripted.hint', text: 'Open the app' },
    });
    expect(provider.calls.check).toBe(0);
  });

  test('leaves a due check to poll', () => {
    expect(strategy.login.localAnswer(session('s1', now))).toBeUndefined();
  });

  test('never answers for a record from another session', () => {
    expect(strategy.login.localAnswer(session('s2', now + 1500))).toBeUndefined();
  });

  test('no session, no answer', () => {
    expect(strategy.login.localAnswer(sessionOf({}))).toBeUndefined();
  });
});

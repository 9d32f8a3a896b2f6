/**
 * A held long poll whose session re-read outlives the store's deadline: the poll is answered 503 at
 * the deadline, and when the store finally answers (an error, as a Redis client that was closed
 * meanwhile reports it, or the session) nothing throws: an exception there would be uncaught and
 * end the instance's process.
 */
import session from 'express-session';
import { heldLongPoll } from '../../helpers/held-long-poll';
import { PromptSessionStore } from '../../helpers/prompt-session-store';

const json = { Accept: 'application/json' };
const storeTimeoutMs = 50;

type GetCallback = (error: unknown, data?: session.SessionData | null) => void;

async function heldPollPastTheDeadline() {
  // Answers within the turn: only the read held back below can outlive the small deadline.
  const sessions = new PromptSessionStore();
  const get = sessions.get.bind(sessions);
  let late: ((callback: GetCallback) => void) | undefined;
  const lateReads: GetCallback[] = [];
  sessions.get = (sid, callback) => {
    if (!late) return get(sid, callback);
    // Kept, not answered: the store answers after the deadline (see each test).
    lateReads.push(callback);
    late(callback);
  };
  const { agent, verified, provider, notificationBus, poll, challengeId } = await heldLongPoll(
    sessions,
    storeTimeoutMs,
  );
  // The phone approves; the held poll must re-read the session, which the store holds back.
  late = () => undefined;
  provider.answer('approved');
  await notificationBus.publish(challengeId, { type: 'check' });
  const answer = await poll;
  expect(answer.status).toBe(503);
  expect(lateReads).toHaveLength(1);
  return {
    agent,
    verified,
    lateRead: lateReads[0] as GetCallback,
    stored: get,
    heal: () => (late = undefined),
  };
}

test('a store error after the deadline throws nothing; healed, the next poll completes once', async () => {
  const { agent, verified, lateRead, heal } = await heldPollPastTheDeadline();
  expect(() => lateRead(new Error('The client is closed'))).not.toThrow();
  expect(verified).toHaveLength(0);
  heal();
  await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
  expect(verified).toHaveLength(1);
});

test('a session found after the deadline throws nothing and logs no one in', async () => {
  const { agent, verified, lateRead, heal } = await heldPollPastTheDeadline();
  expect(() => lateRead(null, null)).not.toThrow();
  expect(verified).toHaveLength(0);
  heal();
  await agent.get('/auth/push/status').set(json).expect(200, { state: 'authenticated', redirect: '/me' });
  expect(verified).toHaveLength(1);
});

/**
 * A browser and an app for the security suite: the app a library user writes (test/helpers/app.ts)
 * on a target's clock, cookie-jar agents, and direct access to the session store, which is where
 * most of these properties are visible.
 */
import type session from 'express-session';
import request from 'supertest';
import type { ChallengeDisplay } from '../../lib';
import { buildTestApp, sessionIds, type TestApp, type TestAppOptions } from '../helpers/app';
import type { Target } from './harness';

export const JSON_ACCEPT = { Accept: 'application/json' };
export const SESSION_KEY_PREFIX = 'push:';

export type Agent = ReturnType<typeof request.agent>;

export interface SecurityApp extends TestApp {
  agent(): Agent;
}

export function appFor(target: Target, options: Partial<TestAppOptions> = {}): SecurityApp {
  const test = buildTestApp({
    ...options,
    provider: target.provider,
    strategy: { now: target.now, ...options.strategy },
  });
  return { ...test, agent: () => request.agent(test.app) };
}

export interface Started {
  display: ChallengeDisplay;
  /** The session id the start ran in (the pre-login id). */
  sid: string;
  cookie: string;
}

/** POST start as JSON; the login is pending afterwards. */
export async function start(agent: Agent, userId: string): Promise<Started> {
  const answer = await agent.post('/auth/push/start').set(JSON_ACCEPT).send({ username: userId });
  if (answer.status !== 202) throw new Error(`start: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = cookieOf(answer.headers['set-cookie']);
  if (!cookie) throw new Error('start set no session cookie');
  return { display: answer.body.display as ChallengeDisplay, sid: sidOf(cookie), cookie };
}

export function poll(agent: Agent): Promise<request.Response> {
  return agent
    .get('/auth/push/status')
    .set(JSON_ACCEPT)
    .then((r) => r);
}

/** Start, approve on the phone, poll once the check is due: the browser is logged in. */
export async function logIn(agent: Agent, target: Target, userId: string): Promise<Started> {
  const started = await start(agent, userId);
  await target.approve(userId, started.display);
  target.due();
  const done = await poll(agent);
  if (done.status !== 200) throw new Error(`login: ${done.status} ${JSON.stringify(done.body)}`);
  return started;
}

/** Who `/me` says is logged in with this agent (undefined: nobody). */
export async function whoAmI(agent: Agent): Promise<string | undefined> {
  const me = await agent.get('/me');
  return me.status === 200 ? (me.body as { user: { id: string } }).user.id : undefined;
}

/** `connect.sid=…` from a Set-Cookie header. */
export function cookieOf(setCookie: string | string[] | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((c) => c.startsWith('connect.sid='))?.split(';')[0];
}

/** The session id inside a signed `connect.sid=s%3A<id>.<signature>` cookie. */
export function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice('connect.sid='.length));
  return value.slice(2, value.lastIndexOf('.'));
}

export type StoredSession = session.SessionData & Record<string, unknown>;

export function readSession(store: session.MemoryStore, sid: string): Promise<StoredSession | undefined> {
  return new Promise((resolve, reject) =>
    store.get(sid, (error, data) => (error ? reject(error) : resolve(data as StoredSession | undefined))),
  );
}

export function writeSession(store: session.MemoryStore, sid: string, data: StoredSession): Promise<void> {
  return new Promise((resolve, reject) =>
    store.set(sid, data, (error) => (error ? reject(error) : resolve())),
  );
}

/** The push record in a stored session, if any. */
export function recordIn(data: StoredSession | undefined): Record<string, unknown> | undefined {
  const key = Object.keys(data ?? {}).find((k) => k.startsWith(SESSION_KEY_PREFIX));
  return key === undefined ? undefined : (data?.[key] as Record<string, unknown>);
}

/** Every session in the store that still holds a pending record. */
export async function pendingRecords(store: session.MemoryStore): Promise<string[]> {
  const ids = await sessionIds(store);
  const withRecord: string[] = [];
  for (const id of ids) if (recordIn(await readSession(store, id))) withRecord.push(id);
  return withRecord;
}

export { sessionIds };

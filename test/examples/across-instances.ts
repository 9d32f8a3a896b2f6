/**
 * The two-instance walk both Redis examples (node-redis, ioredis) are checked with: a form login
 * started on the first instance, its wait page (a reload, a browser without JavaScript) served by
 * the second with the access pass, the phone picking that pass, the login completed on the second,
 * and the first serving the signed-in session.
 */
import type { Express } from 'express';
import type { SecSignIdSimulator } from 'passport-push/testing';
import request from 'supertest';
import { sessionCookie } from '../helpers/app';
import type { ManualClock } from '../helpers/clock';

/** Signs alice in across `first` and `second`; answers the home page's text. */
export async function signInAcrossInstances(
  first: Express,
  second: Express,
  sim: SecSignIdSimulator,
  clock: ManualClock,
): Promise<string> {
  const start = await request(first).post('/auth/push/start').type('form').send({ username: 'alice' });
  expect(start.status).toBe(303);
  const cookie = sessionCookie(start.headers['set-cookie']) as string;
  const wait = await request(second).get('/auth/push/wait').set('Cookie', cookie).expect(200);
  const pass = /src="(data:image\/png;base64,[^"]+)"[^>]*id="push-access-pass"/.exec(wait.text)?.[1];
  const [pending] = sim.phone.pending('alice');
  if (!pending || !pass) throw new Error('no access pass on the wait page, or nothing on the phone');
  expect(sim.phone.approve(pending.id, (pending.choices ?? []).indexOf(pass))).toBe(true);
  clock.advance(10_000);
  const status = await request(second)
    .get('/auth/push/status')
    .set('Cookie', cookie)
    .set('Accept', 'application/json')
    .expect(200);
  const loggedIn = sessionCookie(status.headers['set-cookie']) as string;
  const home = await request(first).get('/').set('Cookie', loggedIn).expect(200);
  return home.text;
}

/**
 * A display store that fails (Redis down): the wait page still shows what this request has, the
 * login still ends only by the provider's answer, and the app hears of each failure as a
 * `store_error` audit event naming the display store, the operation and what was lost.
 */
import request from 'supertest';
import type { PushEvent } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const down = () => Promise.reject(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }));

test('a display store that cannot write or read: the page still renders, the app hears both', async () => {
  const events: PushEvent[] = [];
  const displayStore = { set: down, get: down, delete: async () => undefined };
  const provider = new ScriptedProvider();
  const { app } = buildTestApp({
    provider,
    strategy: { onEvent: (event) => events.push(event), stores: { displays: displayStore } },
  });
  const agent = request.agent(app);
  await agent.post('/auth/push/start').type('form').send({ username: 'alice' }).expect(303);
  const wait = await agent.get('/auth/push/wait').expect(200);
  expect(wait.text).toContain('<html');
  expect(events.filter((event) => event.type === 'store_error')).toEqual([
    {
      type: 'store_error',
      store: 'display',
      operation: 'set',
      lost: "a challenge's display for reloads and other instances (this page still shows it)",
      cause: 'ECONNREFUSED',
      provider: 'scripted',
    },
    {
      type: 'store_error',
      store: 'display',
      operation: 'get',
      lost: "a challenge's kept display (the page shows what this poll has)",
      cause: 'ECONNREFUSED',
      provider: 'scripted',
    },
  ]);
  // Fails closed: only the provider's approval completes the login.
  await agent.get('/me').expect(401);
  provider.answer('approved');
  await agent.get('/auth/push/wait').expect(303).expect('Location', '/me');
});

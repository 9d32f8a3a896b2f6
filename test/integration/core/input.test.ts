import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

const json = { Accept: 'application/json' };

describe('bad input at start: 400 with a clear message, the pending challenge stays intact', () => {
  async function withPendingChallenge() {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { maxUserIdLength: 64 } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    return { provider, agent };
  }

  const cases: [string, (r: request.Test) => request.Test, RegExp][] = [
    ['missing field', (r) => r.send({}), /missing/],
    ['empty', (r) => r.send({ username: '' }), /Enter your ID/],
    ['only spaces', (r) => r.send({ username: '   ' }), /Enter your ID/],
    ['an array', (r) => r.send({ username: ['alice', 'bob'] }), /single text value/],
    ['an object', (r) => r.send({ username: { $ne: '' } }), /single text value/],
    ['a number', (r) => r.send({ username: 42 }), /single text value/],
    ['over-long', (r) => r.send({ username: 'a'.repeat(65) }), /too long/],
    ['not matching the pattern', (r) => r.send({ username: 'alice smith' }), /not allowed/],
    ['a control character', (r) => r.send({ username: 'alice\u0000' }), /not allowed/],
    [
      'JSON that is not JSON',
      (r) => r.set('Content-Type', 'application/json').send('{"username": '),
      /not valid JSON/,
    ],
    [
      'a form with a repeated field',
      (r) => r.type('form').send('username=a&username=b'),
      /single text value/,
    ],
  ];

  test.each(cases)('%s', async (_name, send, message) => {
    const { provider, agent } = await withPendingChallenge();
    const answer = await send(agent.post('/auth/push/start').set(json)).expect(400);
    // The user reads the catalogue's text; the exact reason is in `detail`.
    expect(answer.body.detail).toMatch(message);
    expect(answer.body.message).toMatch(
      /^(Please enter your ID|That ID is not valid|The request was not understood)\.$/,
    );
    expect(typeof answer.body.error).toBe('string');
    expect(provider.calls.start).toBe(1);
    // The challenge started before is untouched and still completes.
    provider.answer('approved');
    await agent.get('/auth/push/status').set(json).expect(200);
  });

  test('a body over the limit is refused with 413', async () => {
    const { agent } = await withPendingChallenge();
    await agent
      .post('/auth/push/start')
      .set(json)
      .send({ username: 'a', padding: 'x'.repeat(20_000) })
      .expect(413, /body_too_large/);
  });

  test('the ID is not read from a __proto__ key', async () => {
    const { agent } = await withPendingChallenge();
    await agent
      .post('/auth/push/start')
      .set(json)
      .set('Content-Type', 'application/json')
      .send('{"__proto__": {"username": "alice"}}')
      .expect(400, /missing/);
  });
});

describe("providers whose user ID is 'optional'", () => {
  test('an empty field starts without an ID, and the provider names the user', async () => {
    const provider = new ScriptedProvider({ userId: 'optional', subjectRule: 'provider' });
    const { app, verified } = buildTestApp({ provider });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').set(json).send({ username: '' }).expect(202);
    expect(provider.latest.request.userId).toBeUndefined();
    provider.answer('approved', { subject: '199001011234' });
    await agent
      .get('/auth/push/status')
      .set(json)
      .expect(200, /authenticated/);
    expect(verified[0]?.subject).toBe('199001011234');
    expect(verified[0]?.info.requestedUserId).toBeUndefined();
  });
});

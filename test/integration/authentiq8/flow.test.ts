/** The whole login through the app a library user would build: PushStrategy + pushLogin + Authentiq8. */
import request from 'supertest';
import { buildTestApp } from '../../helpers/app';
import { startPair, type Pair } from './setup';

const json = { Accept: 'application/json' };
let pair: Pair;

beforeEach(async () => {
  pair = await startPair();
});
afterEach(() => pair.simulator.close());

function agentFor() {
  const test = buildTestApp({ provider: pair.provider, strategy: { now: pair.clock.now } });
  return { ...test, agent: request.agent(test.app) };
}

describe('Authentiq8 login through PushStrategy and pushLogin', () => {
  it('approve on the phone → 200 authenticated, logged in as the confirmed user', async () => {
    const { agent, verified } = agentFor();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    expect(start.body).toMatchObject({ state: 'pending', pollUrl: '/auth/push/status' });
    expect(start.body.display).toEqual({
      instruction: expect.stringMatching(/Authentiq8 Me app/),
      instructionKey: 'authentiq8.instruction',
    });
    expect(pair.simulator.calls).toEqual({ authenticate: 1 });

    // Right after the start: answered locally, the API is not asked yet.
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(pair.simulator.calls['get-user-status']).toBeUndefined();
    pair.clock.advance(1500);
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(pair.simulator.calls['get-user-status']).toBe(1);

    const [phoneRequest] = pair.simulator.phone.pending('alice');
    expect(pair.simulator.phone.approve(phoneRequest?.id ?? '')).toBe(true);
    // Polled again within the interval: still answered without reaching the API.
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(pair.simulator.calls['get-user-status']).toBe(1);

    pair.clock.advance(1500);
    const done = await agent.get('/auth/push/status').set(json).expect(200);
    expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
    expect(verified).toHaveLength(1);
    expect(verified[0]?.subject).toBe('alice');
    await agent.get('/me').expect(200, /"id":"alice"/);
  });

  it('decline on the phone → 401 denied, not logged in', async () => {
    const { agent, verified } = agentFor();
    await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const [phoneRequest] = pair.simulator.phone.pending('alice');
    pair.simulator.phone.deny(phoneRequest?.id ?? '');
    pair.clock.advance(1500);
    const denied = await agent.get('/auth/push/status').set(json).expect(401);
    expect(denied.body).toMatchObject({ state: 'denied' });
    expect(verified).toHaveLength(0);
    await agent.get('/me').expect(401);
  });

  it('a user without a device is refused at start, nothing pushed', async () => {
    pair.simulator.addUser('bob', { linked: false });
    const { agent } = agentFor();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'bob' });
    expect(start.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(start.body)).not.toMatch(/PRIVATE KEY/);
    expect(pair.simulator.answers['1050']).toBe(1);
    expect(pair.simulator.phone.pending('bob')).toEqual([]);
  });
});

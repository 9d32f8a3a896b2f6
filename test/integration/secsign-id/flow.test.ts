import request from 'supertest';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { buildTestApp, sessionIds } from '../../helpers/app';
import { providerFor } from './setup';

const json = { Accept: 'application/json' };
const POLL_MS = 3000;

let sim: SecSignIdSimulator;
beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['alice'] });
});
afterEach(() => sim.close());

/** The whole app on a clock the test moves, so the provider's 3 s poll interval costs no time. */
function setup() {
  let now = Date.now();
  const test = buildTestApp({ provider: providerFor(sim.url), strategy: { now: () => now } });
  return { ...test, agent: request.agent(test.app), tick: () => (now += POLL_MS) };
}

/** The phone's view of the one pending request and the index of the pass the page showed. */
function phone(accessPass: string): { id: string; choice: number } {
  const [pending] = sim.phone.pending('alice');
  if (!pending) throw new Error('nothing pending on the phone');
  return { id: pending.id, choice: (pending.choices ?? []).indexOf(accessPass) };
}

describe('SecSign ID login through PushStrategy and pushLogin', () => {
  it('start 202 → pending 202 → the phone picks the right pass → 200 authenticated', async () => {
    const { agent, tick, verified, store } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: ' Alice ' }).expect(202);
    expect(start.body).toMatchObject({ state: 'pending', pollUrl: '/auth/push/status' });
    const accessPass: string = start.body.display.accessPass;
    expect(accessPass).toMatch(/^data:image\/png;base64,/);
    expect(sim.lastRequest?.params['secsignid']).toBe('alice');
    // The session holds the handle, never the access pass.
    const stored = JSON.stringify(
      await Promise.all(
        (await sessionIds(store)).map(
          (sid) => new Promise((resolve) => store.get(sid, (_e, s) => resolve(s))),
        ),
      ),
    );
    expect(stored).toContain(String(sim.phone.pending('alice')[0]?.id));
    expect(stored).not.toContain('iVBOR');

    // Before the poll interval the app answers locally; the server is not asked.
    await agent.get('/auth/push/status').set(json).expect(202);
    expect(sim.calls['ReqGetAuthSessionState']).toBeUndefined();

    tick();
    const pending = await agent.get('/auth/push/status').set(json).expect(202);
    expect(pending.body.state).toBe('pending');
    expect(sim.calls['ReqGetAuthSessionState']).toBe(1);

    const { id, choice } = phone(accessPass);
    expect(choice).toBeGreaterThanOrEqual(0);
    expect(sim.phone.approve(id, choice)).toBe(true);
    tick();
    const done = await agent.get('/auth/push/status').set(json).expect(200);
    expect(done.body).toEqual({ state: 'authenticated', redirect: '/me' });
    expect(verified.map((v) => v.subject)).toEqual(['alice']);
    expect((await agent.get('/me').expect(200)).body.user.id).toBe('alice');
  });

  it('reports fetched while the phone has the request open', async () => {
    const { agent, tick } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    sim.phone.fetch(phone(start.body.display.accessPass).id);
    tick();
    expect((await agent.get('/auth/push/status').set(json).expect(202)).body.state).toBe('fetched');
  });

  it('a wrong pick logs nobody in; denying on the phone answers 401 denied', async () => {
    const { agent, tick, verified } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { id, choice } = phone(start.body.display.accessPass);
    expect(sim.phone.approve(id, (choice + 1) % 4)).toBe(false);
    tick();
    await agent.get('/auth/push/status').set(json).expect(202);

    sim.phone.deny(id);
    tick();
    const denied = await agent.get('/auth/push/status').set(json).expect(401);
    expect(denied.body.state).toBe('denied');
    expect(verified).toEqual([]);
    await agent.get('/me').expect(401);
  });

  it('an unknown SecSign ID never starts a challenge', async () => {
    const { agent } = setup();
    const start = await agent.post('/auth/push/start').set(json).send({ username: 'mallory' });
    expect(start.status).toBeGreaterThanOrEqual(400);
    await agent.get('/auth/push/status').set(json).expect(404);
  });
});

describe('issue 23 through the app, on Express 4 and 5', () => {
  /** Alice's login, started and approved on the phone; the next poll reaches the server. */
  async function approvedLogin() {
    const app = setup();
    const start = await app.agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
    const { id, choice } = phone(start.body.display.accessPass);
    expect(sim.phone.approve(id, choice)).toBe(true);
    app.tick();
    return { ...app, id };
  }

  it.each([
    ['with the session id', (id: string) => `authsessionid=${id}&authsessionstate=3&secsignid=bob`],
    ['without it', () => 'authsessionstate=3&secsignid=bob'],
  ])('a state 3 naming bob for alice’s login (%s) logs nobody in', async (_what, body) => {
    const { agent, verified, id } = await approvedLogin();
    sim.faults.inject({ kind: 'body', body: body(id) }, 1);
    const answer = await agent.get('/auth/push/status').set(json).expect(401);
    expect(answer.body).toMatchObject({ state: 'invalid' });
    expect(verified).toHaveLength(0);
    await agent.get('/me').expect(401);
  });

  it('an empty 200 keeps the login: 503 retryable, and the next poll signs alice in', async () => {
    const { agent, tick, verified } = await approvedLogin();
    sim.faults.inject({ kind: 'body', body: '' }, 1);
    const faulted = await agent.get('/auth/push/status').set(json).expect(503);
    expect(faulted.body).toMatchObject({ retryable: true });
    tick();
    await agent.get('/auth/push/status').set(json).expect(200);
    expect(verified.map((v) => v.subject)).toEqual(['alice']);
  });
});

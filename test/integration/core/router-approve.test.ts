/**
 * `router.approve` through HTTP with the ScriptedProvider: an app's own route starts the approval,
 * the answer links to where the router is mounted (not to the app's route), and the approval
 * answers `action_approved` (JSON) or a redirect to `approvedRedirect` (HTML), signing nobody in.
 */
import request from 'supertest';
import { PushError } from '../../../lib';
import { actionRequest } from '../../../lib/core/intent';
import type { PushLoginOptions } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { approvalApp } from '../../helpers/approval-app';
import { PAYMENT } from '../../helpers/intents';
import type { TestUser } from '../../helpers/app';
import { decidedElsewhere } from '../../helpers/login-core';

const json = { Accept: 'application/json' };

/** A bank whose provider approves actions, and a signed-in browser. */
async function bank(router: Omit<PushLoginOptions<TestUser>, 'strategy'> = {}, mountPath?: string) {
  const provider = new ScriptedProvider();
  Object.assign(provider, { actions: { shows: 'text', proves: 'provider-yes' } });
  const { app, executed } = approvalApp(
    { provider, router, ...(mountPath ? { mountPath } : {}) },
    new Map([['p1', PAYMENT]]),
    { userId: 'alice' },
  );
  const agent = request.agent(app);
  await agent.post('/test-login').expect(204);
  /** The phone approves exactly the payment's intent. */
  const phoneApproves = () =>
    provider.answerRaw({
      state: 'approved',
      subject: 'alice',
      action: { intentHash: actionRequest(PAYMENT).hash, proof: { txid: 't-1' } },
    });
  return { agent, executed, phoneApproves, provider };
}

describe("approve from the app's own route", () => {
  test('in JSON: 202 with the links of the mounted router, then action_approved and its redirect', async () => {
    const { agent, executed, phoneApproves } = await bank({ approvedRedirect: '/pay/done' });
    const started = await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(started.body).toMatchObject({
      state: 'pending',
      pollUrl: '/auth/push/status',
      waitUrl: '/auth/push/wait',
      cancelUrl: '/auth/push/cancel',
    });
    phoneApproves();
    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toEqual({
      state: 'action_approved',
      intentHash: actionRequest(PAYMENT).hash,
      redirect: '/pay/done',
    });
    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    expect(executed).toEqual(['p1']);
  });

  test('in HTML: to the wait page, then to approvedRedirect', async () => {
    const { agent, phoneApproves } = await bank({ approvedRedirect: '/pay/done' });
    await agent.post('/pay/p1/approve').expect(303).expect('Location', '/auth/push/wait');
    phoneApproves();
    await agent.get('/auth/push/wait').expect(303).expect('Location', '/pay/done');
  });

  test('without approvedRedirect, an approved action goes to successRedirect', async () => {
    const { agent, phoneApproves } = await bank({ successRedirect: '/home' });
    await agent.post('/pay/p1/approve').set(json).expect(202);
    phoneApproves();
    const status = await agent.get('/auth/push/status').set(json).expect(200);
    expect(status.body).toMatchObject({ state: 'action_approved', redirect: '/home' });
  });

  test('a router mounted elsewhere links there (mountPath, a trailing slash dropped)', async () => {
    const { agent, phoneApproves } = await bank({ mountPath: '/login/push/' }, '/login/push');
    const started = await agent.post('/pay/p1/approve').set(json).expect(202);
    expect(started.body).toMatchObject({
      pollUrl: '/login/push/status',
      waitUrl: '/login/push/wait',
      cancelUrl: '/login/push/cancel',
    });
    phoneApproves();
    await agent.get('/login/push/status').set(json).expect(200);
  });
});

describe('a cancel that comes after the approval (another tab, another instance)', () => {
  /** A bank whose completion store says another request already completed the challenge. */
  async function approvedElsewhere() {
    const provider = new ScriptedProvider();
    Object.assign(provider, { actions: { shows: 'text', proves: 'provider-yes' } });
    const { app } = approvalApp(
      {
        provider,
        strategy: { stores: { completions: decidedElsewhere('approved') } },
        router: { approvedRedirect: '/pay/done', successRedirect: '/home' },
      },
      new Map([['p1', PAYMENT]]),
      { userId: 'alice' },
    );
    const agent = request.agent(app);
    await agent.post('/test-login').expect(204);
    await agent.post('/pay/p1/approve').set(json).expect(202);
    return agent;
  }

  test('in JSON: the action was approved (its redirect), never a login', async () => {
    const agent = await approvedElsewhere();
    const answer = await agent.post('/auth/push/cancel').set(json).expect(200);
    expect(answer.body).toEqual({ state: 'action_approved', redirect: '/pay/done' });
  });

  test('in HTML: to approvedRedirect, not to the login redirect', async () => {
    const agent = await approvedElsewhere();
    await agent.post('/auth/push/cancel').expect(303).expect('Location', '/pay/done');
  });
});

describe('an action that does not end approved, in a signed-in session', () => {
  const denied = 'The action was denied on the phone: it was not approved.';

  test('denied on the phone, in JSON: the denial in the action\'s words, never "authenticated"', async () => {
    const { agent, provider } = await bank({ approvedRedirect: '/pay/done' });
    await agent.post('/pay/p1/approve').set(json).expect(202);
    provider.answer('denied');
    const status = await agent.get('/auth/push/status').set(json);
    expect(status.status).toBe(401);
    expect(status.body).toMatchObject({ state: 'denied', message: denied });
  });

  test('denied on the phone, in HTML: to the failure page, not to a redirect after success', async () => {
    const { agent, provider } = await bank({ approvedRedirect: '/pay/done' });
    await agent.post('/pay/p1/approve').expect(303).expect('Location', '/auth/push/wait');
    provider.answer('denied');
    await agent.get('/auth/push/wait').expect(303).expect('Location', '/login?push=denied');
  });

  test("a start the provider cannot answer: the error in the action's words", async () => {
    const { agent, provider } = await bank();
    provider.failNext(new PushError('protocol', 'Down.', { code: 'timeout', retryable: true }));
    const answer = await agent.post('/pay/p1/approve').set(json);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      error: 'timeout',
      message: 'The service did not answer in time. Please try again.',
      retryable: true,
    });
  });
});

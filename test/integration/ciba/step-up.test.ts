/**
 * Step-up with OpenID CIBA against a real oidc-provider: the signed-in user authenticates again at
 * the level the app asks (`acr_values`, checked in the ID token), on the same approve / status /
 * useApproval path as an action; an OP answering at another level, or another user, is refused.
 */
import request from 'supertest';
import type { ActionIntent } from '../../../lib/providers/action';
import { startCibaOp, type CibaOp, type CibaOpApproval } from '../../../lib/testing/ciba-op';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock } from '../../helpers/clock';
import { provider } from './support';

const HIGH = 'urn:example:high';
const json = { Accept: 'application/json' };
let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp({ users: { alice: {}, bob: {} } });
});
afterAll(() => op.close());

const clock = manualClock(Date.now());

async function signedIn(approver = { userId: 'alice', subject: 'alice' }) {
  const steps = new Map<string, ActionIntent>([
    ['high', { type: 'step-up', acr: HIGH }],
    ['any', { type: 'step-up', maxAgeSeconds: 300 }],
  ]);
  const built = approvalApp({ provider: provider(op), strategy: { now: clock.now } }, steps, approver);
  const agent = request.agent(built.app);
  await agent.post('/test-login').expect(204);
  return { agent, executed: built.executed };
}

/** The user's phone approves the newest request, at `approval`'s level. */
async function phoneApproves(userId: string, approval: CibaOpApproval = {}): Promise<void> {
  const [pending] = op.phone.pending(userId);
  expect(await op.phone.approveNow(pending?.id ?? '', approval)).toBe(true);
}

/** Polls until the status is final, moving the strategy's clock past the OP's interval. */
async function settled(agent: request.Agent): Promise<Record<string, unknown>> {
  let status = await agent.get('/auth/push/status').set(json);
  for (let round = 0; status.status === 202 && round < 5; round++) {
    clock.advance(Number(status.body.retryAfterMs) + 1);
    status = await agent.get('/auth/push/status').set(json);
  }
  return status.body as Record<string, unknown>;
}

test('acr asked and confirmed in the ID token: approved, used once', async () => {
  const { agent, executed } = await signedIn();
  const started = await agent.post('/pay/high/approve').set(json).expect(202);
  expect(started.body.display.action).toContain('Confirm that it is you');
  await phoneApproves('alice', { acr: HIGH });
  expect(await settled(agent)).toMatchObject({ state: 'action_approved' });
  await agent.post('/pay/high/execute').expect(200, { executed: 'high' });
  await agent.post('/pay/high/execute').expect(403, { error: 'not_approved' });
  expect(executed).toEqual(['high']);
});

test('the OP answers at another level: refused, nothing to use', async () => {
  const { agent, executed } = await signedIn();
  await agent.post('/pay/high/approve').set(json).expect(202);
  await phoneApproves('alice', { acr: 'urn:example:low' });
  expect(await settled(agent)).toMatchObject({ state: 'invalid' });
  await agent.post('/pay/high/execute').expect(403, { error: 'not_approved' });
  expect(executed).toEqual([]);
});

test('the approver must be the signed-in user: another sub is refused (subject_mismatch)', async () => {
  // The app names alice's login hint but bob's subject: the OP confirms alice, not bob.
  const { agent, executed } = await signedIn({ userId: 'alice', subject: 'bob' });
  await agent.post('/pay/any/approve').set(json).expect(202);
  await phoneApproves('alice');
  expect(await settled(agent)).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
  await agent.post('/pay/any/execute').expect(403);
  expect(executed).toEqual([]);
});

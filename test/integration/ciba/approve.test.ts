/**
 * Approving an action with CIBA through the router: `authorization_details` to the OP, the same
 * status route, and the app's handler using the approval once. The OP's `sub` is its own
 * identifier, so the app names it (`approver.subject`).
 */
import request from 'supertest';
import type { PaymentIntent } from '../../../lib/providers/action';
import { startCibaOp, type CibaOp, type CibaOpApproval } from '../../../lib/testing/ciba-op';
import { approvalApp } from '../../helpers/approval-app';
import { paymentBank, sharedApprovalCases } from '../../helpers/approval-cases';
import { manualClock } from '../../helpers/clock';
import { provider } from './support';

const PAYMENT: PaymentIntent = {
  type: 'payment',
  amount: '500.00',
  currency: 'EUR',
  payee: { name: 'Anna Berg' },
};
const ALICE = { userId: 'alice', subject: 'alice' };
const json = { Accept: 'application/json' };

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp({ users: { alice: {}, bob: {} }, authorizationDetails: true });
});
afterAll(() => op.close());

const clock = manualClock(Date.now());

function app() {
  return approvalApp(
    {
      provider: provider(op, { authorizationDetails: true }),
      strategy: {
        now: clock.now,
        approval: { require: { shows: 'amount-and-payee', proves: 'provider-assertion' } },
      },
    },
    new Map([['p1', PAYMENT]]),
    ALICE,
  );
}

/** Starts the approval, lets the OP's phone answer, and polls until the status is final. */
async function approvedOnPhone(approval?: CibaOpApproval) {
  const { app: server, executed } = app();
  const agent = request.agent(server);
  await agent.post('/test-login').expect(204);
  await agent.post('/pay/p1/approve').set(json).expect(202);
  const [shown] = op.phone.pending('alice');
  await op.phone.approveNow(shown?.id ?? '', approval);
  let status = await agent.get('/auth/push/status').set(json);
  for (let round = 0; status.status === 202 && round < 5; round++) {
    clock.advance(Number(status.body.retryAfterMs) + 1); // the OP's interval, on the strategy's clock
    status = await agent.get('/auth/push/status').set(json);
  }
  return { agent, status, executed };
}

test('the OP grants the details asked: action_approved, and the handler runs once', async () => {
  const { agent, status, executed } = await approvedOnPhone();
  expect(status.body).toMatchObject({ state: 'action_approved' });
  await agent.post('/pay/p1/execute').expect(200);
  await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
  expect(executed).toEqual(['p1']);
});

test.each([
  ['grants other details', [{ type: 'passport_push_action', intent: { ...PAYMENT, amount: '5000.00' } }]],
  ['drops the details', null],
])('the OP %s: refused, and the handler never runs', async (_case, granted) => {
  const { agent, status, executed } = await approvedOnPhone({ authorizationDetails: granted });
  expect(status.body).toMatchObject({ state: 'invalid', code: 'intent_mismatch' });
  await agent.post('/pay/p1/execute').expect(403);
  expect(executed).toEqual([]);
});

test('another user approving (the ID token names bob, not the signed-in alice): refused', async () => {
  // An app whose login hint reaches bob's phone while alice is signed in (a wrong mapping, a
  // shared hint): bob approves, and the OP's `sub` is not the approver's.
  const { app: server, executed } = approvalApp(
    {
      provider: provider(op, { authorizationDetails: true }),
      strategy: { now: clock.now },
    },
    new Map([['p1', PAYMENT]]),
    { userId: 'bob', subject: 'alice' },
  );
  const agent = request.agent(server);
  await agent.post('/test-login').expect(204);
  await agent.post('/pay/p1/approve').set(json).expect(202);
  const [shown] = op.phone.pending('bob');
  await op.phone.approveNow(shown?.id ?? '');
  let status = await agent.get('/auth/push/status').set(json);
  for (let round = 0; status.status === 202 && round < 5; round++) {
    clock.advance(Number(status.body.retryAfterMs) + 1);
    status = await agent.get('/auth/push/status').set(json);
  }
  expect(status.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
  await agent.post('/pay/p1/execute').expect(403);
  expect(executed).toEqual([]);
});

describe('what every provider must pass', () => {
  sharedApprovalCases({
    bank: () =>
      paymentBank({
        provider: provider(op, { authorizationDetails: true }),
        now: clock.now,
        require: { shows: 'amount-and-payee', proves: 'provider-assertion' },
        approvers: [ALICE],
      }),
    start: async (agent, id) => {
      await agent.post(`/pay/${id}/approve`).set(json).expect(202);
    },
    async phoneApproves() {
      const [shown] = op.phone.pending('alice');
      expect(await op.phone.approveNow(shown?.id ?? '')).toBe(true);
      clock.advance(10_000); // past the OP's polling interval, well inside the request's life
    },
  });
});

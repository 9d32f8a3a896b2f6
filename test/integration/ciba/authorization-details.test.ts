/**
 * CIBA action approval against a real oidc-provider with rich authorization requests (RFC 9396):
 * the action travels as `authorization_details`, the phone shows them, and only a token response
 * that grants exactly them is an approval of this action.
 */
import { actionRequest } from '../../../lib/core/intent';
import { PushError } from '../../../lib/errors';
import type { ActionIntent } from '../../../lib/providers/action';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { provider, signal } from './support';

const PAYMENT: ActionIntent = {
  type: 'payment',
  amount: '500.00',
  currency: 'EUR',
  payee: { name: 'Anna Berg', account: 'DE89370400440532013000' },
};
const action = actionRequest(PAYMENT);

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp({ users: { alice: {} }, authorizationDetails: true });
});
afterAll(() => op.close());

async function started(options = {}) {
  const ciba = provider(op, { authorizationDetails: true, ...options });
  const challenge = await ciba.start({ userId: 'alice', action }, signal());
  const shown = op.phone.pending('alice').find((r) => r.id === challenge.handle['authReqId']);
  if (!shown) throw new Error('the phone did not get the request');
  return { ciba, challenge, shown };
}

test('without authorizationDetails the provider declares no actions (approve() refuses it)', () => {
  expect(provider(op).actions).toBeUndefined();
  expect(provider(op, { authorizationDetails: true }).actions).toEqual({
    shows: 'amount-and-payee',
    proves: 'provider-assertion',
  });
});

test('the phone shows the action; details granted as asked approve it, with the tokens as proof', async () => {
  const { ciba, challenge, shown } = await started();
  expect(JSON.parse(shown.action ?? '[]')).toEqual([
    { type: 'passport_push_action', intent: PAYMENT, intent_hash: action.hash },
  ]);
  expect(shown.bindingMessage).toMatch(/^[A-Z0-9]{5}$/); // still a code to compare
  await op.phone.approveNow(shown.id);
  const status = await ciba.check(challenge.handle, signal());
  expect(status).toMatchObject({
    state: 'approved',
    subject: 'alice',
    action: { intentHash: action.hash, proof: { id_token: expect.any(String) } },
  });
});

test.each([
  ['other details granted', [{ type: 'passport_push_action', intent: { ...PAYMENT, amount: '5000.00' } }]],
  ['the details dropped by the OP', null],
])('%s: refused as intent_mismatch', async (_case, granted) => {
  const { ciba, challenge, shown } = await started();
  await op.phone.approveNow(shown.id, { authorizationDetails: granted });
  const error = await ciba.check(challenge.handle, signal()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PushError);
  expect(error).toMatchObject({ code: 'intent_mismatch', retryable: false });
});

test("the app maps the action onto its OP's types", async () => {
  const { shown } = await started({
    authorizationDetails: (a: typeof action) => [
      {
        type: 'payment_initiation',
        instructedAmount: { currency: 'EUR', amount: a.intent.type === 'payment' ? a.intent.amount : '0' },
        creditorName: 'Anna Berg',
      },
    ],
  });
  expect(JSON.parse(shown.action ?? '[]')).toMatchObject([
    { type: 'payment_initiation', instructedAmount: { amount: '500.00' } },
  ]);
});

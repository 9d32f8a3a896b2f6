/**
 * The action-approval cases every provider must pass through the router, whatever it proves: a
 * changed intent finds no approval, an approval serves only its own intent, and it serves once.
 * Each provider's test gives its bank app, how to sign in, and how its phone approves.
 */
import type { Express } from 'express';
import request from 'supertest';
import type { ActionCapability, ActionIntent } from '../../lib';
import type { ActionApproval } from '../../lib/core/approval';
import type { Approver } from '../../lib/core/login';
import type { PushProvider } from '../../lib/providers/provider';
import { approvalApp } from './approval-app';
import type { TestAppOptions } from './app';
import { PAYMENT } from './intents';

/** What a provider's bank app is built from. */
export interface PaymentBankOptions {
  provider: PushProvider;
  /** The strategy's clock. */
  now: () => number;
  /** The level the bank requires (`approval.require`). */
  require: ActionCapability;
  /** Who signs in by default, and who else may (`POST /test-login?as=`). */
  approvers: readonly [Approver, ...Approver[]];
  router?: TestAppOptions['router'];
}

/** A bank with payments `p1` (PAYMENT) and `p2` (to Mallory), keeping every approval record. */
export function paymentBank(options: PaymentBankOptions) {
  const records: ActionApproval[] = [];
  const payments = new Map<string, ActionIntent>([
    ['p1', PAYMENT],
    ['p2', { ...PAYMENT, payee: { name: 'Mallory' } }],
  ]);
  const [approver, ...others] = options.approvers;
  const { app, executed } = approvalApp(
    {
      provider: options.provider,
      strategy: {
        now: options.now,
        approval: { require: options.require, onApproved: (record) => void records.push(record) },
      },
      ...(options.router ? { router: options.router } : {}),
    },
    payments,
    approver,
    others,
  );
  return { app, records, executed, payments };
}

/** What the shared cases need of a provider's approval test. */
export interface ApprovalFixture {
  /** A fresh app with payments `p1` (PAYMENT) and `p2`, and the ids it executed. */
  bank(): { app: Express; executed: string[]; payments: Map<string, ActionIntent> };
  /** Asks to approve payment `id` (202 JSON). */
  start(agent: request.Agent, id: string): Promise<void>;
  /** The signed-in user's phone approves the request just started, and the clock moves on. */
  phoneApproves(): void | Promise<void>;
}

const json = { Accept: 'application/json' };

/** A browser (cookie jar) signed in as `as` (default: the app's first approver). */
export async function signedIn(app: Express, as?: string): Promise<request.Agent> {
  const agent = request.agent(app);
  await agent.post(as === undefined ? '/test-login' : `/test-login?as=${as}`).expect(204);
  return agent;
}

/** Registers the shared cases in the calling describe block. */
export function sharedApprovalCases(fixture: ApprovalFixture): void {
  it('approved once, used once: a second use (a replay) is refused', async () => {
    const { app, executed } = fixture.bank();
    const agent = await signedIn(app);
    await fixture.start(agent, 'p1');
    await fixture.phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p1/execute').expect(200, { executed: 'p1' });
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual(['p1']);
  });

  it('details changed after the start: the approval serves the old details only', async () => {
    const { app, executed, payments } = fixture.bank();
    const agent = await signedIn(app);
    await fixture.start(agent, 'p1');
    payments.set('p1', { ...PAYMENT, amount: '5000.00' }); // changed on the server meanwhile
    await fixture.phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('an approval for another intent does not serve this one', async () => {
    const { app, executed } = fixture.bank();
    const agent = await signedIn(app);
    await fixture.start(agent, 'p1');
    await fixture.phoneApproves();
    await agent.get('/auth/push/status').set(json).expect(200);
    await agent.post('/pay/p2/execute').expect(403, { error: 'not_approved' });
    await agent.post('/pay/p1/execute').expect(200);
    expect(executed).toEqual(['p1']);
  });
}

/**
 * Authentiq8 Me does not approve actions: the vendor names a configurable action ("Login / Payment /
 * Password Reset") but publishes neither the fields that would carry the amount and payee (or any
 * text) to the phone, nor an answer that names what was approved. A push that may show nothing of
 * the action would be a blind "yes", so `approve` refuses it with a configuration error before
 * anything reaches the server, and an app that requires a level fails at startup.
 */
import request from 'supertest';
import type { ActionIntent } from '../../../lib/providers/action';
import type { PushProvider } from '../../../lib/providers/provider';
import { approvalApp } from '../../helpers/approval-app';
import { buildTestApp } from '../../helpers/app';
import { PAYMENT } from '../../helpers/intents';
import { startPair, type Pair } from './setup';

let pair: Pair;
beforeEach(async () => {
  // Even configured with the vendor's "payment" action, it approves logins only.
  pair = await startPair({ provider: { action: 'payment' } });
});
afterEach(() => pair.simulator.close());

describe('Authentiq8 Me and action approval', () => {
  it('declares no action level', () => {
    const provider: PushProvider = pair.provider;
    expect(provider.actions).toBeUndefined();
  });

  it('approve refuses with a configuration error that says why, and nothing reaches the server', async () => {
    const payments = new Map<string, ActionIntent>([['p1', PAYMENT]]);
    const { app, executed } = approvalApp({ provider: pair.provider }, payments, { userId: 'alice' });
    const errors: unknown[] = [];
    app.use((error: unknown, _req: unknown, res: { sendStatus(status: number): void }, _next: unknown) => {
      errors.push(error);
      res.sendStatus(500);
    });
    const agent = request.agent(app);
    await agent.post('/test-login').expect(204);
    await agent.post('/pay/p1/approve').set('Accept', 'application/json').expect(500);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringContaining('docs/action-approval.md'),
      }),
    ]);
    expect(pair.simulator.calls['authenticate']).toBeUndefined();
    await agent.post('/pay/p1/execute').expect(403, { error: 'not_approved' });
    expect(executed).toEqual([]);
  });

  it('an app that requires any approval level fails at construction', () => {
    expect(() =>
      buildTestApp({
        provider: pair.provider,
        strategy: { approval: { require: { shows: 'code', proves: 'provider-yes' } } },
      }),
    ).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringContaining('approves no actions') }),
    );
  });
});

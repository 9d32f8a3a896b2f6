/**
 * The test app of the action-approval tests: buildTestApp's app (a signed-in user stands in for a
 * completed login at `POST /test-login`), and a bank's two routes: `POST /pay/:id/approve` asks the
 * phone to approve payment `id`, `POST /pay/:id/execute` runs it only with an unused approval.
 */
import type { ActionIntent } from '../../lib';
import type { Approver } from '../../lib/core/login';
import { buildTestApp, type TestApp, type TestAppOptions } from './app';

export interface ApprovalApp extends TestApp {
  /** The payments executed, in order. */
  executed: string[];
}

export function approvalApp(
  options: TestAppOptions,
  /** The server's own records: intents are made from them, never from the request. */
  payments: ReadonlyMap<string, ActionIntent>,
  approver: Approver,
): ApprovalApp {
  const built = buildTestApp(options);
  const { app, router, strategy } = built;
  const executed: string[] = [];
  app.post('/test-login', (req, res, next) => {
    req.logIn({ id: approver.userId }, (error) => (error ? next(error) : res.sendStatus(204)));
  });
  const paymentOf = (id: string | undefined) => payments.get(id ?? '') as ActionIntent;
  app.post('/pay/:id/approve', (req, res, next) => {
    router.approve(req, res, paymentOf(req.params['id']), approver).catch(next);
  });
  app.post('/pay/:id/execute', async (req, res) => {
    const id = req.params['id'] ?? '';
    try {
      await strategy.useApproval(req, paymentOf(id), approver);
    } catch (error) {
      return res.status(403).json({ error: (error as { code?: string }).code });
    }
    executed.push(id);
    return res.json({ executed: id });
  });
  return { ...built, executed };
}

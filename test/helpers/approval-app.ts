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
  /** More users who may sign in (`POST /test-login?as=<userId>`), each approving as themselves. */
  others: readonly Approver[] = [],
): ApprovalApp {
  const built = buildTestApp(options);
  const { app, router, strategy } = built;
  const executed: string[] = [];
  const approvers = [approver, ...others];
  app.post('/test-login', (req, res, next) => {
    const as = approvers.find((one) => one.userId === (req.query['as'] ?? approver.userId));
    if (!as) return res.sendStatus(404);
    return req.logIn({ id: as.userId }, (error) => (error ? next(error) : res.sendStatus(204)));
  });
  // The signed-in user approves: the app names them, never the browser.
  const approverOf = (req: Express.Request) =>
    approvers.find((one) => one.userId === (req.user as { id?: string } | undefined)?.id) ?? approver;
  const paymentOf = (id: string | undefined) => payments.get(id ?? '') as ActionIntent;
  app.post('/pay/:id/approve', (req, res, next) => {
    router.approve(req, res, paymentOf(req.params['id']), approverOf(req)).catch(next);
  });
  app.post('/pay/:id/execute', async (req, res) => {
    const id = req.params['id'] ?? '';
    try {
      await strategy.useApproval(req, paymentOf(id), approverOf(req));
    } catch (error) {
      return res.status(403).json({ error: (error as { code?: string }).code });
    }
    executed.push(id);
    return res.json({ executed: id });
  });
  return { ...built, executed };
}

/**
 * The surge's processes, as production runs them: the CIBA OP in a process of its own, each app
 * instance in a process of its own, the browsers in the bench process. Messages over IPC (see
 * fork.ts); the phone's approvals are sent to the OP process, which finds the request by its
 * binding message and approves it (then pings the instance the bench named).
 */
import type { CibaProviderOptions } from '../lib';
import { startCibaOp } from '../lib/testing/ciba-op';
import { listen } from './apps';
import { instance } from './latency-notify';
import { recordProcess, type ProcessStats } from './process-stats';

/** Bench → OP process. */
export type OpCommand =
  | { type: 'deliver'; url: string }
  | { type: 'approve'; user: string; binding: string }
  | { type: 'begin' }
  | { type: 'report' }
  | { type: 'exit' };

/** OP process → bench. */
export type OpMessage =
  | { type: 'ready'; providerOptions: CibaProviderOptions }
  | {
      type: 'report';
      tokenRequests: number;
      pingFailures: number;
      notFound: number;
      stats: ProcessStats;
    };

/** Bench → instance process (the first: what it serves; sent over IPC, not argv, as it holds the client secret). */
export type InstanceCommand =
  | {
      type: 'start';
      redisUrl: string;
      longPollMs: number;
      pollIntervalMs: number;
      providerOptions: CibaProviderOptions;
    }
  | { type: 'begin' }
  | { type: 'report' }
  | { type: 'exit' };

/** Instance process → bench. */
export type InstanceMessage =
  { type: 'ready'; url: string } | { type: 'report'; verified: Record<string, number>; stats: ProcessStats };

function onCommand<C>(handle: (command: C) => void): void {
  process.on('message', (message) => handle(message as C));
}

/** OP process. Args: the number of users (`surge0` …). */
export async function serveSurgeOp(args: readonly string[]): Promise<void> {
  const logins = Number(args[0]);
  const users = Array.from({ length: logins }, (_, i) => [`surge${i}`, {}] as const);
  const op = await startCibaOp({ users: Object.fromEntries(users) });
  const stats = recordProcess('OP');
  let pingFailures = 0;
  let notFound = 0;
  onCommand<OpCommand>((command) => {
    if (command.type === 'deliver') op.deliverPingsTo(command.url);
    else if (command.type === 'approve') {
      const request = op.phone.pending(command.user).find((r) => r.bindingMessage === command.binding);
      if (!request) notFound += 1;
      // The OP approves, then pings; a ping it gives up on (its 2.5 s timeout) is counted.
      else {
        void stats
          .time('phone approves, OP pings', () => op.phone.approveNow(request.id))
          .catch(() => (pingFailures += 1));
      }
    } else if (command.type === 'begin') stats.begin();
    else if (command.type === 'report') {
      process.send?.({
        type: 'report',
        tokenRequests: op.calls['token'] ?? 0,
        pingFailures,
        notFound,
        stats: stats.report(),
      } satisfies OpMessage);
    } else {
      void op.close().then(() => process.connected && process.disconnect?.());
    }
  });
  process.send?.({ type: 'ready', providerOptions: op.providerOptions('ping') } satisfies OpMessage);
}

/** One app instance's process (args: its name): waits for its `start` command. */
export async function serveSurgeInstance(args: readonly string[]): Promise<void> {
  const stats = recordProcess(`instance ${args[0] ?? ''}`.trim());
  const start = await new Promise<InstanceCommand>((resolve) =>
    process.once('message', (message) => resolve(message as InstanceCommand)),
  );
  if (start.type !== 'start') throw new Error(`surge instance: expected start, got ${start.type}`);
  const verified: Record<string, number> = {};
  const app = await instance(
    { providerOptions: () => start.providerOptions },
    {
      longPollMs: start.longPollMs,
      pollIntervalMs: start.pollIntervalMs,
      redis: start.redisUrl,
      verified: (user) => {
        verified[user] = (verified[user] ?? 0) + 1;
      },
      stats,
    },
  );
  const server = await listen(app.app);
  onCommand<InstanceCommand>((command) => {
    if (command.type === 'begin') stats.begin();
    else if (command.type === 'report') {
      process.send?.({ type: 'report', verified, stats: stats.report() } satisfies InstanceMessage);
    } else if (command.type === 'exit') {
      void server.close().then(() => app.close().then(() => process.connected && process.disconnect?.()));
    }
  });
  process.send?.({ type: 'ready', url: server.url } satisfies InstanceMessage);
}

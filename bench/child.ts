/** Entry of the benchmark's child processes (see fork.ts): `child.ts servers`, `memory`, `waiting`, `surge-op` or `surge-instance` with their args. */
import { measureMemoryInChild } from './memory';
import { serveTargets } from './throughput';
import { serveWaitingInChild } from './waiting-browsers';
import { serveSurgeInstance, serveSurgeOp } from './surge-processes';

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  if (role === 'servers') return serveTargets();
  if (role === 'memory') return measureMemoryInChild(args);
  if (role === 'waiting') return serveWaitingInChild(args);
  if (role === 'surge-op') return serveSurgeOp(args);
  if (role === 'surge-instance') return serveSurgeInstance(args);
  throw new Error(`bench/child.ts: unknown role ${String(role)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

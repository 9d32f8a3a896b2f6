/**
 * A throwaway Redis Cluster for one test file: three primaries (no replicas) from Debian's
 * redis-server, each on a free loopback port with its cluster bus on another, configs in a temp
 * dir; joined with `redis-cli --cluster create` and ready once every node says `cluster_state:ok`
 * (a bounded loop, never a fixed sleep). Stopped and its dir removed by `stop()`.
 */
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasRedisServer, spawnReadyRedis } from './redis-server';

const run = promisify(execFile);

export interface RedisCluster {
  /** The primaries, as cluster clients take their root nodes. */
  readonly nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Whether `redis-server` and `redis-cli` (which creates the cluster) can be run from PATH. */
export function hasRedisCluster(): boolean {
  const cli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' });
  return hasRedisServer() && cli.error === undefined && cli.status === 0;
}

export async function startRedisCluster(primaries = 3): Promise<RedisCluster> {
  let lastError: unknown;
  // A port found free can be taken by another process before its node binds it: try a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(primaries);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(primaries: number): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'push-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopNode));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Every node's port and bus port, all distinct: a port found free and let go before the next
    // was asked for could be handed out twice, and one node would then not start.
    const free = await freePorts(2 * primaries);
    const ports = free.slice(0, primaries);
    const nodes = ports.map((port, i) =>
      spawnReadyRedis([
        ...['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir],
        // The bus on a port of its own: port + 10000 may be past 65535 or taken.
        ...['--cluster-port', String(free[primaries + i])],
      ]).then((child) => void children.push(child)),
    );
    // Every node settled (the ones that started are stopped with the others if one did not).
    const started = await Promise.allSettled(nodes);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitForClusterOk(port);
    return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `count` distinct loopback ports nothing listens on just now (redis-server binds them next). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => once(server, 'listening')));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  // Held together until each is known, so no port is handed out twice.
  await Promise.all(
    servers.map((server) => {
      const closed = once(server, 'close');
      server.close();
      return closed;
    }),
  );
  return ports;
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Up to ~10 s: until the node has every slot assigned and reachable. */
async function waitForClusterOk(port: number, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
    if (stdout.includes('cluster_state:ok')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the Redis Cluster node on port ${port} did not reach cluster_state:ok in time`);
}

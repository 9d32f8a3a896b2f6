/**
 * A throwaway Redis Cluster for one test file: three primaries (no replicas) from Debian's
 * redis-server, each on a free loopback port with its cluster bus on another, configs in a temp
 * dir; joined with `redis-cli --cluster create` and ready once every node says `cluster_state:ok`
 * (a bounded loop, never a fixed sleep). Stopped and its dir removed by `stop()`.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasRedisServer } from './redis-server';

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
  const dir = await mkdtemp(join(tmpdir(), 'push-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopNode));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < primaries; i++) {
      const port = await freePort();
      ports.push(port);
      children.push(
        spawn(
          'redis-server',
          [
            ...['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'],
            ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir],
            // The bus on a port of its own: port + 10000 may be past 65535 or taken.
            ...['--cluster-port', String(await freePort())],
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    for (const port of ports) await untilAnswering(port);
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitForClusterOk(port);
    return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A loopback port nothing listens on just now (redis-server binds it next). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Up to ~5 s: until the node answers PING. */
async function untilAnswering(port: number, attempts = 250): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const answered = await run('redis-cli', ['-p', String(port), 'ping']).then(
      ({ stdout }) => stdout.includes('PONG'),
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the Redis Cluster node on port ${port} did not start in time`);
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

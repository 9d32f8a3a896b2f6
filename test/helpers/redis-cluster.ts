/**
 * A throwaway Redis Cluster for one test file: three primaries (no replicas) from Debian's
 * redis-server, each on a free loopback port with its cluster bus on another, configs in a temp
 * dir; joined with `redis-cli --cluster create` and ready once every node says `cluster_state:ok`
 * (a bounded loop, never a fixed sleep). Stopped and its dir removed by `stop()`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, hasRedisServer, startRedisServer, type RedisServer } from './redis-server';

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
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < primaries; i++) {
      servers.push(
        await startRedisServer(async (port) => [
          ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          // The bus on a port of its own: port + 10000 may be past 65535 or taken.
          ...['--cluster-port', String(await freePort()), '--dir', dir],
        ]),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const server of servers) await waitForClusterOk(server.port);
    return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
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

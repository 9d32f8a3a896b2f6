/**
 * The Redis topologies the multi-instance suites run on, each with both client libraries: one
 * redis-server (test/helpers/redis-server.ts) and a three-primary Redis Cluster
 * (test/helpers/redis-cluster.ts). A file starts each topology at most once, when its first suite
 * asks for it (a cluster takes seconds to form), and stops them all in its `afterAll`. No skip: a
 * missing redis-server or redis-cli fails the suites that need them.
 */
import { createClient } from 'redis';
import { CLIENT_KINDS, type RedisClientKind, type RedisTarget } from './redis-clients';
import { startRedisCluster } from './redis-cluster';
import { startRedisServer } from './redis-server';

/** Where the stores of a suite live. */
export type TopologyName = 'one redis-server' | 'a three-primary Redis Cluster';

/** The topologies of one test file, started on demand and stopped together. */
export interface FileRedis {
  /** The target of `topology`, started the first time it is asked for. */
  target(topology: TopologyName): Promise<RedisTarget>;
  /** Stops every topology this file started (its `afterAll`). */
  stop(): Promise<void>;
}

/**
 * The Express 4 project (jest.config.js) reruns the integration suites for Express, not for Redis:
 * the topology does not depend on Express, so the cluster (seconds to form) runs in Express 5 only.
 */
const express4 = (globalThis as { PUSH_EXPRESS4?: boolean }).PUSH_EXPRESS4 === true;

/** Each topology, for `describe.each`. */
export const TOPOLOGIES: readonly TopologyName[] = express4
  ? ['one redis-server']
  : ['one redis-server', 'a three-primary Redis Cluster'];

/** Every topology with every client library: `describe.each(TOPOLOGY_CASES)('%s, stores on %s', …)`. */
export const TOPOLOGY_CASES: readonly (readonly [TopologyName, RedisClientKind['name'], RedisClientKind])[] =
  TOPOLOGIES.flatMap((topology) => CLIENT_KINDS.map((kind) => [topology, kind.name, kind] as const));

/** The topologies of one test file; call `stop()` in its `afterAll`. */
export function fileRedis(): FileRedis {
  const started = new Map<TopologyName, Promise<{ target: RedisTarget; stop(): Promise<void> }>>();
  const start = async (topology: TopologyName) => {
    if (topology === 'one redis-server') {
      const server = await startRedisServer();
      return { target: { url: server.url }, stop: () => server.stop() };
    }
    const cluster = await startRedisCluster(3);
    return { target: { nodes: cluster.nodes }, stop: () => cluster.stop() };
  };
  return {
    async target(topology) {
      let running = started.get(topology);
      if (!running) {
        running = start(topology);
        started.set(topology, running);
      }
      return (await running).target;
    },
    async stop() {
      const all = [...started.values()];
      started.clear();
      await Promise.all(all.map(async (running) => (await running.catch(() => undefined))?.stop()));
    },
  };
}

/**
 * Every key matching `pattern` and its string value, from every primary of `target` (KEYS on a
 * cluster answers for one node only): what a dump of Redis would show.
 */
export async function dumpKeys(target: RedisTarget, pattern: string): Promise<[string, string | null][]> {
  const urls =
    'url' in target ? [target.url] : target.nodes.map(({ host, port }) => `redis://${host}:${port}`);
  const dumped: [string, string | null][] = [];
  for (const url of urls) {
    const node = createClient({ url });
    await node.connect();
    try {
      for (const key of await node.keys(pattern)) dumped.push([key, await node.get(key)]);
    } finally {
      await node.close();
    }
  }
  return dumped;
}

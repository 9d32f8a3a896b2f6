/**
 * The one place that knows Redis client libraries: the stores speak raw commands through
 * `commandsOf(client)`, whichever client the app holds: node-redis (v5+) `createClient()` or
 * `createCluster()`, ioredis `Redis` or `Cluster`, each told apart by its shape. No client is a
 * dependency of this package.
 */
import { createHash } from 'node:crypto';

/**
 * A node-redis client (v5 or later), as `createClient()` gives it: the stores send it raw commands.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { NodeRedisClient } from 'passport-push/redis';
 *
 * const client: NodeRedisClient = createClient(); // connect it before use
 * ```
 */
export interface NodeRedisClient {
  /** Sends one command, e.g. `['GET', key]`. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A node-redis cluster (v5 or later), as `createCluster()` gives it: commands go to the node of
 * their first key's slot, notifications through sharded pub/sub (`SPUBLISH`, Redis 7 or later).
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * import type { NodeRedisCluster } from 'passport-push/redis';
 *
 * const cluster: NodeRedisCluster = createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] });
 * ```
 */
export interface NodeRedisCluster {
  /** Sends one command to the node that holds `firstKey`'s slot. */
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>;
  /** The cluster's primaries (how a cluster is told from a client). */
  readonly masters: readonly unknown[];
}

/**
 * An ioredis client, `new Redis()` or `new Cluster([...])` (a cluster publishes through sharded
 * pub/sub, Redis 7 or later).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import type { IoRedisClient } from 'passport-push/redis';
 *
 * const client: IoRedisClient = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * ```
 */
export interface IoRedisClient {
  /** Sends one command, e.g. `call('GET', key)`. */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** `true` on an ioredis `Cluster` (how ioredis is told from node-redis, and a cluster from a client). */
  readonly isCluster: boolean;
}

/**
 * The client the Redis stores take: node-redis or ioredis, one server or a cluster, given as the
 * app holds it (connected).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisCompletionStore, type RedisClient } from 'passport-push/redis';
 *
 * const client: RedisClient = new Redis();
 * new RedisCompletionStore(client);
 * ```
 */
export type RedisClient = NodeRedisClient | NodeRedisCluster | IoRedisClient;

/** A Lua script, sent by its SHA1 (EVALSHA) once a node knows it. */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

/** A script for `RedisCommandRunner.script`. */
export function redisScript(source: string): RedisScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Raw commands on whichever client the app gave. */
export interface RedisCommandRunner {
  /** Whether the client is a cluster (notifications then use sharded pub/sub). */
  readonly cluster: boolean;
  /** One command; `key` is the key (or channel) whose slot it goes to on a cluster. */
  run(key: string | undefined, args: string[]): Promise<unknown>;
  /** A script on `keys` (all in one slot): EVALSHA, and EVAL when the node does not know it yet. */
  script(script: RedisScript, keys: string[], args: string[]): Promise<unknown>;
}

/** The commands of `client`, told apart by its shape. */
export function commandsOf(client: RedisClient): RedisCommandRunner {
  let cluster: boolean;
  let run: RedisCommandRunner['run'];
  if (isIoRedis(client)) {
    cluster = client.isCluster;
    run = (_key, [command = '', ...args]) => client.call(command, ...args);
  } else if (isNodeRedisCluster(client)) {
    cluster = true;
    run = (key, args) => client.sendCommand(key, false, args);
  } else {
    cluster = false;
    run = (_key, args) => client.sendCommand(args);
  }
  return {
    cluster,
    run,
    async script(script, keys, args) {
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return await run(keys[0], ['EVALSHA', script.sha, ...tail]);
      } catch (error) {
        // A node that restarted, or a primary new to the slot, has no script cache yet.
        if (!isNoScript(error)) throw error;
        return await run(keys[0], ['EVAL', script.source, ...tail]);
      }
    },
  };
}

/** ioredis (`Redis` and `Cluster`) has `isCluster`; node-redis has not. */
export function isIoRedis(client: object): client is IoRedisClient {
  return 'isCluster' in client && typeof (client as { call?: unknown }).call === 'function';
}

/** node-redis's cluster has `masters`; its single-server client has not. */
export function isNodeRedisCluster(client: object): client is NodeRedisCluster {
  return 'masters' in client && !isIoRedis(client);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A challenge's key: the id in a hash tag, so every key of one challenge (its claim, its display)
 * hashes to one cluster slot, and a script or transaction may touch them together.
 */
export function challengeKey(prefix: string, challengeId: string): string {
  return `${prefix}{${challengeId}}`;
}

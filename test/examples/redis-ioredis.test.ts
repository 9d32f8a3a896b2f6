/**
 * examples/redis-ioredis.ts run as a user would run it: two instances, each on its own ioredis
 * client to one redis-server (sessions through connect-redis on node-redis, which connect-redis 8+
 * needs): the access pass started on instance A is shown by instance B, and the login completes
 * there. The strategy's clock is moved by hand. Skipped with the install line without
 * redis-server; failed in CI.
 */
import { RedisStore } from 'connect-redis';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { SecSignIdSimulator } from 'passport-push/testing';
import { createClient } from 'redis';
import { createApp } from '../../examples/redis-ioredis';
import { signInAcrossInstances } from './across-instances';
import { manualClock } from '../helpers/clock';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server';
import { runsWith } from '../helpers/system-tool';

/** What the instances share to key IDs in the stores' keys (PUSH_SECRET in production). */
const SHARED_SECRET = 'an app secret of at least thirty-two characters';
const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server')
  ? test
  : test.skip;

withRedis(
  'the access pass started on instance A is shown by instance B, and the login completes there',
  async () => {
    const server = await startRedisServer();
    const sessions = [createClient({ url: server.url }), createClient({ url: server.url })];
    const clients = [new Redis(server.url), new Redis(server.url)];
    const sim = await SecSignIdSimulator.start({ users: ['alice'] });
    const instances: Awaited<ReturnType<typeof createApp>>[] = [];
    try {
      await Promise.all(sessions.map((client) => client.connect()));
      const clock = manualClock(Date.now());
      for (const [i, client] of clients.entries()) {
        const options = {
          sessionSecret: 'examples test secret',
          sessionStore: new RedisStore({ client: sessions[i] as (typeof sessions)[number] }),
          secsign: { endpoint: sim.url, fallbackEndpoint: null, allowInsecureHttp: true },
          strategy: { now: clock.now },
        };
        instances.push(await createApp(client, options, SHARED_SECRET));
      }
      const [first, second] = instances.map((instance) => instance.app) as [Express, Express];
      expect(await signInAcrossInstances(first, second, sim, clock)).toContain('Hello Alice');
    } finally {
      await Promise.all(instances.map((instance) => instance.stores.close().catch(() => undefined)));
      await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
      await Promise.all(sessions.map((client) => client.close().catch(() => undefined)));
      await sim.close();
      await server.stop();
    }
  },
);

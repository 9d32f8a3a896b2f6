/**
 * Two instances of one app, as behind a load balancer: one provider, and a session store and
 * completion claims shared in Redis, each instance with its own client. The redis-server is the
 * caller's (test/helpers/redis-server.ts); `close()` ends the clients.
 */
import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { createClient } from 'redis';
import { RedisCompletionStore } from '../../lib/stores/redis';
import { buildTestApp, type TestApp, type TestAppOptions } from './app';

export interface TwoInstances {
  apps: TestApp[];
  stores: session.Store[];
  close(): Promise<void>;
}

const connectTo = (url: string) => createClient({ url });

/** Both instances are built from `options`; the completion claims keep time on `now`. */
export async function twoInstances(
  url: string,
  options: TestAppOptions,
  now: () => number,
): Promise<TwoInstances> {
  const clients: ReturnType<typeof connectTo>[] = [];
  const apps: TestApp[] = [];
  const stores: session.Store[] = [];
  for (let i = 0; i < 2; i++) {
    const redis = connectTo(url);
    await redis.connect();
    clients.push(redis);
    const store = new RedisStore({ client: redis, prefix: 'sess:' });
    stores.push(store);
    const completions = new RedisCompletionStore(redis, undefined, now);
    apps.push(
      buildTestApp({ ...options, sessionStore: store, strategy: { ...options.strategy, completions } }),
    );
  }
  return {
    apps,
    stores,
    close: async () => void (await Promise.all(clients.map((client) => client.close()))),
  };
}

/**
 * Two instances of one app, as behind a load balancer: one provider, Redis sessions, and every
 * store from one `redisStores(client)` per instance (each instance with its own client). The
 * redis-server is the caller's (test/helpers/redis-server.ts); `close()` ends the stores and clients.
 */
import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { createClient } from 'redis';
import { redisStores, type RedisStores } from '../../lib/stores/redis-stores';
import { buildTestApp, type TestApp, type TestAppOptions } from './app';

export interface TwoInstances {
  apps: TestApp[];
  stores: session.Store[];
  close(): Promise<void>;
}

const connectTo = (url: string) => createClient({ url });

/** The one app secret both instances share (shared stores key their entries with it). */
export const SHARED_SECRET = 'one app secret shared by both test instances';

/** Both instances are built from `options`; the shared stores keep time on `now`. */
export async function twoInstances(
  url: string,
  options: TestAppOptions,
  now: () => number,
): Promise<TwoInstances> {
  const clients: ReturnType<typeof connectTo>[] = [];
  const bundles: RedisStores[] = [];
  const apps: TestApp[] = [];
  const stores: session.Store[] = [];
  for (let i = 0; i < 2; i++) {
    const redis = connectTo(url);
    await redis.connect();
    clients.push(redis);
    const store = new RedisStore({ client: redis, prefix: 'sess:' });
    stores.push(store);
    const shared = await redisStores(redis, { now });
    bundles.push(shared);
    apps.push(
      buildTestApp({
        ...options,
        sessionStore: store,
        strategy: { secret: SHARED_SECRET, ...options.strategy, stores: shared },
      }),
    );
  }
  return {
    apps,
    stores,
    close: async () => {
      await Promise.all(bundles.map((shared) => shared.close()));
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

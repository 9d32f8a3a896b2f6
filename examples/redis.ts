// Usage's app for several instances behind a load balancer: sessions and every store of the login
// (completion claims, start limits, notification index and bus, wait-page displays) shared in Redis
// with one value (npm install redis connect-redis).
import { RedisStore } from 'connect-redis';
import type { RedisClientType } from 'redis';
import { redisStores } from 'passport-push/redis';
import { createApp as createSecSignApp, type AppOptions } from './minimal.js';

/**
 * The app on a connected Redis client (node-redis v5 or later). `secret`: 32+ random characters,
 * the same on every instance; it keys the IDs in the stores' keys (a Redis dump names nobody).
 * Call `stores.close()` at shutdown: it leaves the notification channel and closes its connection.
 */
export async function createApp(
  redis: RedisClientType,
  options: AppOptions,
  secret = process.env['PUSH_SECRET'],
) {
  // One value for the strategy and the router (pushLogin takes its display store from the strategy).
  const stores = await redisStores(redis); // pub/sub on its own connection: redis.duplicate()
  const app = createSecSignApp({
    ...options,
    sessionStore: new RedisStore({ client: redis }),
    strategy: { ...options.strategy, stores, secret },
  });
  app.set('trust proxy', 1); // behind one proxy: else every client shares the proxy's IP limit
  return { app, stores };
}

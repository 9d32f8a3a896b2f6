// examples/redis.ts on an ioredis client: every store of the login (completion claims, start
// limits, notification index and bus, wait-page displays) shared in Redis with one value
// (npm install ioredis). A `Cluster` works the same way (sharded pub/sub, Redis 7 or later).
import type { Cluster, Redis } from 'ioredis';
import { redisStores } from 'passport-push/redis';
import { createApp as createSecSignApp, type AppOptions } from './minimal.js';

/**
 * The app on an ioredis client. `sessionStore`: any express-session store on the same Redis
 * (connect-redis 8 and later speak node-redis only). `secret`: 32+ random characters, the same on
 * every instance. Call `stores.close()` at shutdown: it leaves the channel and closes its connection.
 */
export async function createApp(
  redis: Redis | Cluster,
  options: AppOptions & Required<Pick<AppOptions, 'sessionStore'>>,
  secret = process.env['PUSH_SECRET'],
) {
  // Pub/sub on a connection of its own: redis.duplicate() (a Cluster's with shardedSubscribers).
  const stores = await redisStores(redis);
  const app = createSecSignApp({ ...options, strategy: { ...options.strategy, stores, secret } });
  app.set('trust proxy', 1); // behind one proxy: else every client shares the proxy's IP limit
  return { app, stores };
}

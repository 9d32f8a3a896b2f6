// Usage's app for several instances behind a load balancer: sessions, start limits and completion
// claims shared in Redis (npm install redis connect-redis).
import { RedisStore } from 'connect-redis';
import type { RedisClientType } from 'redis';
import { createStartLimiter } from 'passport-push';
import { RedisCompletionStore, RedisRateLimitStore } from 'passport-push/redis';
import { createApp as createSecSignApp, type AppOptions } from './minimal.js';

/**
 * The app on a connected Redis client (node-redis v5 or later). `limitSecret`: 32+ random characters,
 * the same on every instance; it keys the IDs in the counters' keys (a Redis dump names nobody).
 */
export function createApp(
  redis: RedisClientType,
  options: AppOptions,
  limitSecret = process.env['PUSH_LIMIT_SECRET'],
) {
  const app = createSecSignApp({
    ...options,
    sessionStore: new RedisStore({ client: redis }),
    strategy: {
      ...options.strategy,
      completions: new RedisCompletionStore(redis), // SET NX PX: one completion across instances
      // INCR + PEXPIRE; the secret keys the IDs in counter keys, the same on every instance
      limiter: createStartLimiter({ store: new RedisRateLimitStore(redis), secret: limitSecret }),
    },
  });
  app.set('trust proxy', 1); // behind one proxy: else every client shares the proxy's IP limit
  return app;
}

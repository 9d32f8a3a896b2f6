// Usage's app for several instances behind a load balancer: sessions, start limits and completion
// claims shared in Redis (npm install redis connect-redis).
import { RedisStore } from 'connect-redis';
import type { RedisClientType } from 'redis';
import { createStartLimiter, RedisCompletionStore, RedisRateLimitStore } from 'passport-push';
import { createApp as createSecSignApp, type AppOptions } from './minimal.js';

/** The app on a connected Redis client (node-redis v5 or later). */
export function createApp(redis: RedisClientType, options: AppOptions) {
  const app = createSecSignApp({
    ...options,
    sessionStore: new RedisStore({ client: redis }),
    strategy: {
      ...options.strategy,
      completions: new RedisCompletionStore(redis), // SET NX PX: one completion across instances
      limiter: createStartLimiter({ store: new RedisRateLimitStore(redis) }), // INCR + PEXPIRE
    },
  });
  app.set('trust proxy', 1); // behind one proxy: else every client shares the proxy's IP limit
  return app;
}

/**
 * README's "Provider notifications and instant completion" example, type-checked by `tsc --noEmit`
 * (never run): the `redis` client must fit the structural interfaces the Redis stores take.
 */
import { createClient } from 'redis';
import { PushStrategy, pushLogin, type PushProvider } from '../../lib';
import { redisStores } from '../../lib/redis';

declare const provider: PushProvider; // one that implements readNotification

export async function wiring() {
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  const strategy = new PushStrategy(
    {
      provider,
      // Claims, limits, notification index and bus, displays: one value (the bus on redis.duplicate()).
      stores: await redisStores(redis),
      secret: process.env.PUSH_SECRET, // keys the stores' entries: the same on every instance
    },
    async (subject) => ({ id: subject }),
  );
  return pushLogin({ strategy, longPollMs: 25_000 }); // its display store is the strategy's
}

/**
 * README's "Provider notifications and instant completion" example, type-checked by `tsc --noEmit`
 * (never run): the `redis` client must fit the structural interfaces the Redis stores take.
 */
import { createClient } from 'redis';
import { PushStrategy, pushLogin, type PushProvider } from '../../lib';
import {
  RedisCompletionStore,
  RedisDisplayStore,
  RedisNotificationBus,
  RedisNotificationIndex,
} from '../../lib/redis';

declare const provider: PushProvider; // one that implements readNotification

export async function wiring() {
  const redis = createClient({ url: process.env.REDIS_URL });
  const subscriber = redis.duplicate(); // a subscribed connection runs no other command
  await Promise.all([redis.connect(), subscriber.connect()]);
  const strategy = new PushStrategy(
    {
      provider,
      completions: new RedisCompletionStore(redis),
      notificationBus: await RedisNotificationBus.start(redis, subscriber), // one channel per process
      notificationIndex: new RedisNotificationIndex(redis), // SET PX until the challenge's deadline
      secret: process.env.PUSH_SECRET, // keys the index's entries: the same on every instance
    },
    async (subject) => ({ id: subject }),
  );
  return pushLogin({
    strategy,
    longPollMs: 25_000,
    displayStore: new RedisDisplayStore(redis), // a reload on another instance shows the access pass
  });
}

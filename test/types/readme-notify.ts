/**
 * README's "Notifications and several instances" example, type-checked by `tsc --noEmit` (never
 * run): the `redis` client must fit the structural interfaces the Redis stores take.
 */
import express from 'express';
import { createClient } from 'redis';
import { notifiedStates, RedisDisplayStore, RedisNotificationBus, streamStates, waitFor } from '../../lib';

declare const challengeId: string;
declare const longPollMs: number;
declare const signal: AbortSignal;
declare function challengeIdOf(req: express.Request): string;
declare function statusOf(req: express.Request): Promise<{ state: string }>;
const app = express();

export async function example(): Promise<void> {
  const redis = createClient({ url: process.env.REDIS_URL });
  const subscriber = redis.duplicate();
  await Promise.all([redis.connect(), subscriber.connect()]);
  const bus = await RedisNotificationBus.start(redis, subscriber);
  const displays = new RedisDisplayStore(redis); // a reload on another instance still shows the access pass

  // A held long poll: wakes on the first notification of its challenge, or after longPollMs.
  const event = await waitFor(bus, challengeId, { timeoutMs: longPollMs, signal });

  // A status stream: each state as it changes, until a final one.
  app.get('/auth/push/events', (req, res, next) => {
    streamStates(req, res, (signal) =>
      notifiedStates(bus, challengeIdOf(req), () => statusOf(req), { signal }),
    ).catch(next);
  });
  void displays;
  void event;
}

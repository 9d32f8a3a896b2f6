/**
 * Two instances of one app, as behind a load balancer: one provider, Redis sessions, and every
 * store from one `redisStores(client)` per instance (each instance with its own client, of the
 * library `kind` names: node-redis by default). The redis-server or cluster is the caller's
 * (test/helpers/redis-server.ts, redis-cluster.ts); `close()` ends the stores and clients.
 */
import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { redisStores, type RedisStores } from '../../lib/stores/redis-stores';
import { buildTestApp, type TestApp, type TestAppOptions } from './app';
import { nodeRedis, sessionClient, type RedisClientKind, type RedisTarget } from './redis-clients';

export interface TwoInstances {
  apps: TestApp[];
  stores: session.Store[];
  /** Resolves the next time a waiting request on either instance listens to the bus. */
  listening(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Tells when a waiting request (a held long poll, a status stream) listens to `stores`' bus: a
 * test sends the notification after that, as a phone does after the page waits. Sent before, the
 * pub/sub message reaches no one (at most once, by design): the request that arrives later learns
 * of it from the index's note instead (tested on its own in multi-instance-notify.test.ts).
 */
export function busListening() {
  let resolveNext: (() => void) | undefined;
  return {
    /** Watches one instance's bus. */
    watch({ notificationBus }: Pick<RedisStores, 'notificationBus'>): void {
      const subscribe = notificationBus.subscribe.bind(notificationBus);
      notificationBus.subscribe = (challengeId, listener) => {
        const unsubscribe = subscribe(challengeId, listener);
        resolveNext?.();
        resolveNext = undefined;
        return unsubscribe;
      };
    },
    /** Resolves the next time a waiting request on a watched instance listens. */
    next: () => new Promise<void>((resolve) => (resolveNext = resolve)),
  };
}

/** The one app secret both instances share (shared stores key their entries with it). */
export const SHARED_SECRET = 'one app secret shared by both test instances';

/** Both instances are built from `options`; the shared stores keep time on `now`. */
export async function twoInstances(
  target: string | RedisTarget,
  options: TestAppOptions,
  now: () => number,
  kind: RedisClientKind = nodeRedis,
): Promise<TwoInstances> {
  const where = typeof target === 'string' ? { url: target } : target;
  const closers: (() => Promise<unknown>)[] = [];
  const bundles: RedisStores[] = [];
  const apps: TestApp[] = [];
  const stores: session.Store[] = [];
  const listening = busListening();
  for (let i = 0; i < 2; i++) {
    const sessions = await sessionClient(where);
    closers.push(() => sessions.close());
    const store = new RedisStore({ client: sessions, prefix: 'sess:' });
    stores.push(store);
    const redis = await kind.connect(where);
    closers.push(() => redis.close());
    const shared = await redisStores(redis.client, { now });
    bundles.push(shared);
    listening.watch(shared);
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
    listening: listening.next,
    close: async () => {
      await Promise.all(bundles.map((shared) => shared.close()));
      await Promise.all(closers.map((close) => close()));
    },
  };
}

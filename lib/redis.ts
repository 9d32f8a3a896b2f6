/**
 * The shared stores on Redis, for an app that runs on several instances: `redisStores(client)`
 * builds all of them (one-completion claims, start-limit counters, the notification index and bus,
 * the wait page's display store) as the strategy's one `stores` value. Every store takes a node-redis
 * (v5+) or an ioredis client, one server or a cluster, as the app holds it.
 *
 * @packageDocumentation
 * @module passport-push/redis
 */
export { redisStores } from './stores/redis-stores';
export type {
  RedisStores,
  RedisStoresClient,
  RedisStoresOptions,
  RedisSubscriberConnection,
} from './stores/redis-stores';
export { RedisCompletionStore, RedisRateLimitStore } from './stores/redis';
export type { IoRedisClient, NodeRedisClient, NodeRedisCluster, RedisClient } from './stores/redis-client';
export { RedisNotificationIndex } from './stores/redis-notification-index';
export type { RedisNotificationIndexOptions } from './stores/redis-notification-index';
export { RedisNotificationBus } from './stores/redis-notification-bus';
export type {
  IoRedisSubscriber,
  NodeRedisClusterSubscriber,
  NodeRedisSubscriber,
  RedisMessageListener,
  RedisNotificationBusOptions,
  RedisSubscriber,
} from './stores/redis-notification-bus';
export { RedisDisplayStore } from './stores/redis-display-store';
export type { RedisDisplayStoreOptions } from './stores/redis-display-store';

/**
 * The shared stores on Redis, for an app that runs on several instances: `redisStores(client)`
 * builds all of them (one-completion claims, start-limit counters, the notification index and bus,
 * the wait page's display store) as the strategy's one `stores` value. The classes take node-redis
 * v5's command shapes.
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
export type { RedisCommands } from './stores/redis';
export { RedisNotificationIndex } from './stores/redis-notification-index';
export type { RedisIndexCommands, RedisNotificationIndexOptions } from './stores/redis-notification-index';
export { RedisNotificationBus } from './stores/redis-notification-bus';
export type {
  RedisMessageListener,
  RedisNotificationBusOptions,
  RedisPublisher,
  RedisSubscriber,
} from './stores/redis-notification-bus';
export { RedisDisplayStore } from './stores/redis-display-store';
export type { RedisDisplayCommands, RedisDisplayStoreOptions } from './stores/redis-display-store';

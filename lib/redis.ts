/**
 * The shared stores on Redis, for an app that runs on several instances: one-completion claims,
 * start limits, the notification index and bus, and the wait page's display store. Any client with
 * the few commands each store names works (node-redis, ioredis).
 *
 * @packageDocumentation
 * @module passport-push/redis
 */
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

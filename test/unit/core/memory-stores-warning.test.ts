/**
 * In production, a strategy whose stores were left in memory says so once per process, at
 * startup (as express-session's MemoryStore does): behind a load balancer those parts would not be
 * shared. Parts the app passed itself, memory ones included, are its choice and never warned about.
 * The tests run in order: the once-per-process warning is the last one to fire in this file.
 */
import { PushStrategy, type PushStores } from '../../../lib';
import { MemoryCompletionStore } from '../../../lib/core/completion';
import { MemoryDisplayStore } from '../../../lib/core/display-store';
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { MemoryNotificationIndex } from '../../../lib/core/notification-index';
import { ScriptedProvider } from '../../../lib/testing';

const MEMORY_WARNING = 'PUSH_MEMORY_STORES';

let warnings: { message: string; code: string | undefined }[];
let emitWarning: jest.SpyInstance;
const env = process.env['NODE_ENV'];

beforeEach(() => {
  warnings = [];
  emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(((
    warning: string | Error,
    options?: { code?: string },
  ) => {
    warnings.push({ message: String(warning), code: options?.code });
  }) as typeof process.emitWarning);
});

afterEach(() => {
  emitWarning.mockRestore();
  process.env['NODE_ENV'] = env;
});

const strategy = (stores?: Partial<PushStores>) =>
  new PushStrategy(
    { provider: new ScriptedProvider(), ...(stores ? { stores } : {}) },
    (subject, _info, done) => done(null, { id: subject }),
  );

const allInMemory = (): PushStores => ({
  completions: new MemoryCompletionStore(),
  rateLimits: new MemoryRateLimitStore(),
  notificationIndex: new MemoryNotificationIndex(),
  notificationBus: new MemoryNotificationBus(),
  displays: new MemoryDisplayStore(),
});

test('outside production, stores left in memory are not warned about', () => {
  process.env['NODE_ENV'] = 'development';
  strategy();
  expect(warnings).toEqual([]);
});

test('in production, stores the app passed itself (memory ones too) are its choice: no warning', () => {
  process.env['NODE_ENV'] = 'production';
  strategy(allInMemory());
  expect(warnings).toEqual([]);
});

test('in production, one warning names the parts left in memory, once per process', () => {
  process.env['NODE_ENV'] = 'production';
  const { completions, rateLimits, notificationIndex } = allInMemory();
  strategy({ completions, rateLimits, notificationIndex });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]?.code).toBe(MEMORY_WARNING);
  expect(warnings[0]?.message).toMatch(/notificationBus, displays are kept in this process's memory/);
  expect(warnings[0]?.message).not.toMatch(/completions|rateLimits|notificationIndex/);
  expect(warnings[0]?.message).toMatch(/redisStores/);
  // A second strategy (another provider, a second router) does not repeat it.
  strategy();
  strategy();
  expect(warnings).toHaveLength(1);
});

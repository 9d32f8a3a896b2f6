/**
 * The notification index (memory and the Redis one's parsing), the per-IP notification budget, and
 * the core's notification handling against arbitrary input: it never throws and never finds a
 * challenge for a key it did not issue.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { MemoryNotificationIndex, notificationKeyHash } from '../../../lib/core/notification-index';
import { RedisNotificationIndex } from '../../../lib/stores/redis-notification-index';
import type { NodeRedisClient } from '../../../lib/stores/redis-client';
import { NotifyLimit } from '../../../lib/web/notify-limit';
import { PushStrategy } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { manualClock } from '../../helpers/clock';

describe('MemoryNotificationIndex', () => {
  test('finds a key until its deadline, and not after; remove forgets it', async () => {
    const clock = manualClock();
    const index = new MemoryNotificationIndex({ now: clock.now });
    await index.add('k1', 'c1', clock.now() + 1000);
    await index.add('k2', 'c2', clock.now() + 5000);
    expect(await index.find('k1')).toBe('c1');
    clock.advance(1000);
    expect(await index.find('k1')).toBeUndefined();
    await index.remove('k2');
    expect(await index.find('k2')).toBeUndefined();
  });

  test('an entry is kept for the challenge that added it first, and removed only by that challenge', async () => {
    const clock = manualClock();
    const index = new MemoryNotificationIndex({ now: clock.now });
    await index.add('k', 'victim', clock.now() + 60_000);
    await index.add('k', 'attacker', clock.now() + 60_000);
    expect(await index.find('k')).toBe('victim');
    await index.remove('k', 'attacker');
    expect(await index.find('k')).toBe('victim');
    await index.remove('k', 'victim');
    expect(await index.find('k')).toBeUndefined();
    // Once the first one has expired, the key is free for a new challenge.
    await index.add('k', 'old', clock.now() + 1000);
    clock.advance(1000);
    await index.add('k', 'new', clock.now() + 1000);
    expect(await index.find('k')).toBe('new');
  });

  test('is bounded: past maxEntries the oldest key goes', async () => {
    const clock = manualClock();
    const index = new MemoryNotificationIndex({ now: clock.now, maxEntries: 2 });
    for (const n of [1, 2, 3]) await index.add(`k${n}`, `c${n}`, clock.now() + 60_000);
    expect(index.size).toBe(2);
    expect(await index.find('k1')).toBeUndefined();
    expect(await index.find('k3')).toBe('c3');
  });

  test('keys are keyed hashes: the index never holds a provider token, and only the secret finds it', () => {
    const secret = 'one app secret shared by every instance';
    expect(notificationKeyHash('token', secret)).not.toContain('token');
    // The same secret on another instance names the same entry; another secret names another.
    expect(notificationKeyHash('token', secret)).toBe(notificationKeyHash('token', secret));
    expect(notificationKeyHash('token', `${secret}!`)).not.toBe(notificationKeyHash('token', secret));
    expect(notificationKeyHash('token', secret)).not.toBe(
      createHash('sha256').update('token').digest('base64url'),
    );
  });
});

describe('RedisNotificationIndex', () => {
  test('a foreign or corrupt value is a miss; an expired deadline stores nothing', async () => {
    const values = new Map<string, string>();
    // A node-redis client as the index sends it commands: SET key value NX PX ms, GET key.
    const redis: NodeRedisClient = {
      sendCommand: async ([command, key = '', value = '']) =>
        command === 'SET' ? void values.set(key, value) : command === 'GET' ? (values.get(key) ?? null) : 0,
    };
    const clock = manualClock();
    const index = new RedisNotificationIndex(redis, { now: clock.now });
    await index.add('k', 'challenge_1', clock.now() + 1000);
    expect(await index.find('k')).toBe('challenge_1');
    values.set('push:notify-key:bad', '{"not":"an id"}');
    expect(await index.find('bad')).toBeUndefined();
    await index.add('late', 'c', clock.now() - 1);
    expect(values.has('push:notify-key:late')).toBe(false);
  });
});

describe('NotifyLimit', () => {
  test('blocks an address once it has counted its budget in this minute, until the minute is over', () => {
    const clock = manualClock();
    const limit = new NotifyLimit({ perIpPerMinute: 2, now: clock.now });
    expect(limit.blocked('a')).toBeUndefined();
    limit.count('a');
    expect(limit.blocked('a')).toBeUndefined();
    limit.count('a');
    expect(limit.blocked('a')).toBe(60);
    expect(limit.blocked('b')).toBeUndefined();
    clock.advance(59_500);
    expect(limit.blocked('a')).toBe(1);
    clock.advance(500);
    expect(limit.blocked('a')).toBeUndefined();
    limit.count('a');
    expect(limit.blocked('a')).toBeUndefined();
  });

  test('take counts while the budget has room and refuses past it; giveBack returns one to this minute only', () => {
    const clock = manualClock();
    const limit = new NotifyLimit({ perIpPerMinute: 2, now: clock.now });
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, false]);
    expect(limit.blocked('a')).toBe(60);
    expect(limit.take('b')).toBe(true);
    limit.giveBack('a');
    expect(limit.blocked('a')).toBeUndefined();
    expect([limit.take('a'), limit.take('a')]).toEqual([true, false]);
    // Nothing to give back to a new minute, nor to an address that sent nothing.
    clock.advance(60_000);
    limit.giveBack('a');
    limit.giveBack('c');
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, false]);
    expect([limit.take('c'), limit.take('c'), limit.take('c')]).toEqual([true, true, false]);
  });

  test('counts an IPv6 client by its prefix, and forgets the oldest client past maxClients', () => {
    const limit = new NotifyLimit({ perIpPerMinute: 1, maxClients: 2 });
    limit.count('2001:db8:1:2::1');
    expect(limit.blocked('2001:db8:1:2::ffff')).toBeGreaterThan(0);
    limit.count('192.0.2.1');
    limit.count('192.0.2.2');
    expect(limit.blocked('2001:db8:1:2::1')).toBeUndefined();
    expect(limit.blocked('192.0.2.2')).toBeGreaterThan(0);
  });
});

describe('the app secret a shared index needs', () => {
  const redis: NodeRedisClient = { sendCommand: async () => null };

  test('a shared index without `secret` is a configuration error at startup', () => {
    const provider = new ScriptedProvider({ notificationSecret: 'secret' });
    expect(
      () =>
        new PushStrategy(
          { provider, stores: { notificationIndex: new RedisNotificationIndex(redis) } },
          (subject, _info, done) => done(null, { id: subject }),
        ),
    ).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringMatching(/needs `secret`/) }));
  });

  test('a secret shorter than 32 characters is refused', () => {
    const provider = new ScriptedProvider({ notificationSecret: 'secret' });
    expect(
      () =>
        new PushStrategy({ provider, secret: 'short' }, (subject, _info, done) =>
          done(null, { id: subject }),
        ),
    ).toThrow(/at least 32 characters/);
  });
});

describe('PushLogin.notify with arbitrary input', () => {
  test('never throws, never calls the provider, and finds no challenge for a key it did not issue', async () => {
    const provider = new ScriptedProvider({ notificationSecret: 'secret' });
    const strategy = new PushStrategy({ provider, limiter: false }, (subject, _info, done) =>
      done(null, { id: subject }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 20 }), fc.constant('authorization')),
          fc.oneof(fc.string(), fc.constant('Bearer secret')),
        ),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.string().map((key) => Buffer.from(JSON.stringify({ key }))),
        ),
        async (headers, body) => {
          const result = await strategy.login.notify({ headers, body });
          expect(['refused', 'unknown']).toContain(result.kind);
        },
      ),
      { numRuns: 300 },
    );
    expect(provider.calls.check).toBe(0);
  });
});

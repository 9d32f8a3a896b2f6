/**
 * The notification index in Redis, as two instances share it: the first challenge to add a key
 * keeps it, and only that challenge's removal deletes it (a compare-and-delete script), so another
 * session starting and ending a login for the same ID cannot clear it. A notification noted on
 * one instance is found on the other, in the entry itself, for its own challenge only.
 * Spawns its own redis-server.
 */
import { commandsOf } from '../../../lib/stores/redis-client';
import { RedisNotificationIndex } from '../../../lib/stores/redis-notification-index';
import { manualClock } from '../../helpers/clock';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { runsWith } from '../../helpers/system-tool';
import { CLIENT_KINDS } from '../../helpers/redis-clients';
import type { RedisStoresClient } from '../../../lib/stores/redis-stores';

const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server');

(withRedis ? describe : describe.skip).each(CLIENT_KINDS)('RedisNotificationIndex on $name', (kind) => {
  let server: RedisServer;
  let storeA: RedisStoresClient;
  let storeB: RedisStoresClient;
  const closers: (() => Promise<void>)[] = [];
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    server = await startRedisServer();
    const connected = await Promise.all([kind.connect(server), kind.connect(server)]);
    [storeA, storeB] = connected.map(({ client }) => client) as [RedisStoresClient, RedisStoresClient];
    closers.push(...connected.map(({ close }) => close));
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await server?.stop();
  });

  test('the first challenge keeps its key; another one neither takes it nor removes it', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('alice', 'victim', clock.now() + 60_000);
    await onB.add('alice', 'attacker', clock.now() + 60_000);
    expect(await onA.find('alice')).toBe('victim');
    await onB.remove('alice', 'attacker');
    expect(await onB.find('alice')).toBe('victim');
    await onA.remove('alice', 'victim');
    expect(await onB.find('alice')).toBeUndefined();
  });

  test('a notification noted on one instance is found on the other, for that challenge only', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('bob', 'first', clock.now() + 60_000);
    expect(await onA.lastNotification('bob', 'first')).toBeUndefined();
    expect(await onB.noteNotification('bob', 1_700_000_000_123)).toBe('first');
    expect(await onA.lastNotification('bob', 'first')).toBe(1_700_000_000_123);
    // An ended login's note is not the next one's: the same key, another challenge.
    expect(await onA.lastNotification('bob', 'second')).toBeUndefined();
    // Another challenge's end leaves the note; its own end removes it with the entry.
    await onB.remove('bob', 'second');
    expect(await onA.lastNotification('bob', 'first')).toBe(1_700_000_000_123);
    await onB.remove('bob', 'first');
    expect(await onA.lastNotification('bob', 'first')).toBeUndefined();
    expect(await onA.find('bob')).toBeUndefined();
  });

  test('a note keeps its entry and its deadline, and none is made for a key without one', async () => {
    const index = new RedisNotificationIndex(storeA, { now: clock.now });
    expect(await index.noteNotification('nobody', clock.now())).toBeUndefined();
    expect(await index.find('nobody')).toBeUndefined();
    await index.add('carol', 'short', clock.now() + 60_000);
    expect(await index.noteNotification('carol', 1_700_000_000_000)).toBe('short');
    expect(await index.find('carol')).toBe('short');
    const key = 'push:notify-key:carol';
    expect(await commandsOf(storeA).run(key, ['GET', key])).toBe('short 1700000000000');
    const ttl = Number(await commandsOf(storeA).run(key, ['PTTL', key]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test('a note never replaces a later one', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('erin', 'current', clock.now() + 60_000);
    await onA.noteNotification('erin', 1_700_000_000_500);
    // B's clock is behind, or its message crossed A's: the later time stays.
    expect(await onB.noteNotification('erin', 1_700_000_000_400)).toBe('current');
    expect(await onA.lastNotification('erin', 'current')).toBe(1_700_000_000_500);
    await onB.noteNotification('erin', 1_700_000_000_600);
    expect(await onA.lastNotification('erin', 'current')).toBe(1_700_000_000_600);
  });

  test('a note from a clock far ahead does not hold back the notes after it', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('gina', 'skewed', clock.now() + 60_000);
    // A's clock is ten minutes ahead: every reader drops its note as one from the future.
    await onA.noteNotification('gina', 1_700_000_600_000);
    // B's later notification (the approval) must still be noted for the requests that arrive after it.
    expect(await onB.noteNotification('gina', 1_700_000_005_000)).toBe('skewed');
    expect(await onA.lastNotification('gina', 'skewed')).toBe(1_700_000_005_000);
  });

  test('a note at a fractional time (a clock such as performance.timeOrigin + now()) keeps its entry', async () => {
    const onA = new RedisNotificationIndex(storeA, { now: clock.now });
    const onB = new RedisNotificationIndex(storeB, { now: clock.now });
    await onA.add('frank', 'fractional', clock.now() + 60_000);
    expect(await onB.noteNotification('frank', 1_700_000_000_000.75)).toBe('fractional');
    // The entry is still found, by a lookup and by the next notification, and its note is read.
    expect(await onA.find('frank')).toBe('fractional');
    expect(await onA.lastNotification('frank', 'fractional')).toBe(1_700_000_000_000);
    expect(await onB.noteNotification('frank', 1_700_000_000_001.25)).toBe('fractional');
    expect(await onA.lastNotification('frank', 'fractional')).toBe(1_700_000_000_001);
    // A clock that answers no number, or one no note can hold, notes nothing and still finds it.
    for (const at of [Number.NaN, -5, 1e17]) {
      expect(await onB.noteNotification('frank', at)).toBe('fractional');
      expect(await onA.lastNotification('frank', 'fractional')).toBe(1_700_000_000_001);
    }
    await onA.remove('frank', 'fractional');
    expect(await onA.find('frank')).toBeUndefined();
  });

  test('a foreign or corrupt entry is neither a challenge nor a note', async () => {
    const index = new RedisNotificationIndex(storeA, { now: clock.now });
    const key = 'push:notify-key:dave';
    const set = (value: string) => commandsOf(storeA).run(key, ['SET', key, value]);
    await set('dave');
    expect(await index.find('dave')).toBe('dave');
    expect(await index.lastNotification('dave', 'dave')).toBeUndefined();
    await set('dave 1700000000000');
    expect(await index.find('dave')).toBe('dave');
    expect(await index.lastNotification('dave', 'dave')).toBe(1_700_000_000_000);
    expect(await index.lastNotification('dave', 'other')).toBeUndefined();
    for (const value of [
      'dave abc',
      'dave -5',
      'dave 1.5',
      '',
      ' dave',
      'dave ',
      '{"not":"an id"}',
      'd'.repeat(65),
      // Only the exact form `<id>` or `<id> <digits>`: no hex, exponent or trailing text.
      'dave 0x10',
      'dave 1e12',
      'dave 1700000000000 more',
      // More digits than a note has (the script reads them as a number): not a note to replace.
      'dave 00000000000000000001',
    ]) {
      await set(value);
      expect(await index.find('dave')).toBeUndefined();
      expect(await index.lastNotification('dave', 'dave')).toBeUndefined();
      // Nor is one noted: the value stays as it was.
      expect(await index.noteNotification('dave', 1_700_000_000_000)).toBeUndefined();
      expect(await commandsOf(storeA).run(key, ['GET', key])).toBe(value);
    }
  });
});

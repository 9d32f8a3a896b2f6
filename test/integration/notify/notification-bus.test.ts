/**
 * A notification reaching one instance wakes the requests waiting on another: the contract both
 * buses keep, on the in-process bus and on two `RedisNotificationBus` instances sharing one
 * redis-server (spawned here; the Redis part is skipped with a message when there is none).
 */
import { createClient } from 'redis';
import {
  MemoryNotificationBus,
  waitFor,
  type NotificationBus,
  type NotificationEvent,
} from '../../../lib/core/notification-bus';
import { RedisNotificationBus } from '../../../lib/stores/redis-notification-bus';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { CLIENT_KINDS } from '../../helpers/redis-clients';
import { runsWith } from '../../helpers/system-tool';

// Skipped with the install line on a machine without redis-server; failed in CI.
const withRedis = runsWith('redis-server', hasRedisServer(), 'apt-get install redis-server');
const describeWithRedis = withRedis ? describe : describe.skip;

const connectTo = (url: string) => createClient({ url });
type Client = ReturnType<typeof connectTo>;
const HOLD_MS = 20_000; // far longer than delivery on loopback; the tests await events, not time

/** Instance A listens, instance B publishes (the same bus for the in-process case). */
interface Pair {
  a: NotificationBus;
  b: NotificationBus;
}

function contract(name: string, pair: () => Pair) {
  describe(`${name}: the bus contract`, () => {
    it('an event published on B wakes every waiter of the challenge on A', async () => {
      const { a, b } = pair();
      const waiters = [
        waitFor(a, 'ch-1', { timeoutMs: HOLD_MS }),
        waitFor(a, 'ch-1', { timeoutMs: HOLD_MS }),
      ];
      await b.publish('ch-1', { type: 'settled', state: 'approved' });
      await expect(Promise.all(waiters)).resolves.toEqual([
        { type: 'settled', state: 'approved' },
        { type: 'settled', state: 'approved' },
      ]);
    });

    it('an event for one challenge wakes no waiter of another', async () => {
      const { a, b } = pair();
      const other: NotificationEvent[] = [];
      const stop = a.subscribe('ch-other', (event) => other.push(event));
      const waiting = waitFor(a, 'ch-2', { timeoutMs: HOLD_MS });
      await b.publish('ch-2', { type: 'check' });
      await expect(waiting).resolves.toEqual({ type: 'check' });
      expect(other).toEqual([]);
      stop();
    });

    it('events of one challenge arrive in the order they were published', async () => {
      const { a, b } = pair();
      const seen: NotificationEvent[] = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const stop = a.subscribe('ch-3', (event) => {
        seen.push(event);
        if (event.type === 'settled') done();
      });
      await b.publish('ch-3', { type: 'check' });
      await b.publish('ch-3', { type: 'settled', state: 'denied' });
      await finished;
      stop();
      expect(seen).toEqual([{ type: 'check' }, { type: 'settled', state: 'denied' }]);
    });
  });
}

contract('MemoryNotificationBus', () => {
  const bus = new MemoryNotificationBus();
  return { a: bus, b: bus };
});

describeWithRedis.each(CLIENT_KINDS)('RedisNotificationBus on $name', (kind) => {
  let server: RedisServer;
  const clients: Client[] = [];
  /** The buses' own connections, of the client library under test. */
  const closers: (() => Promise<void>)[] = [];
  let a: RedisNotificationBus;
  let b: RedisNotificationBus;
  let raw: Client;

  async function connected(url: string): Promise<Client> {
    const client = connectTo(url);
    await client.connect();
    clients.push(client);
    return client;
  }

  async function busOn(url: string, channel?: string): Promise<RedisNotificationBus> {
    const publisher = await kind.connect({ url });
    const subscriber = await kind.subscriber({ url });
    closers.push(publisher.close, subscriber.close);
    return RedisNotificationBus.start(publisher.client, subscriber.subscriber, channel ? { channel } : {});
  }

  beforeAll(async () => {
    server = await startRedisServer();
    a = await busOn(server.url);
    b = await busOn(server.url);
    raw = await connected(server.url);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(closers.map((close) => close()));
    await server?.stop();
  });

  contract('two instances on one redis-server', () => ({ a, b }));

  it('the instance that publishes hears its own event once, through Redis', async () => {
    const seen: NotificationEvent[] = [];
    const stop = b.subscribe('ch-own', (event) => seen.push(event));
    const waiting = waitFor(b, 'ch-own', { timeoutMs: HOLD_MS });
    await b.publish('ch-own', { type: 'check' });
    await waiting;
    stop();
    expect(seen).toEqual([{ type: 'check' }]);
  });

  it('ignores malformed messages on the channel and keeps delivering', async () => {
    const seen: NotificationEvent[] = [];
    const stop = a.subscribe('ch-m', (event) => seen.push(event));
    const waiting = waitFor(a, 'ch-m', { timeoutMs: HOLD_MS });
    for (const junk of [
      '',
      '{',
      'null',
      '{"v":1,"id":"ch-m","type":"approve"}',
      '{"v":1,"id":"ch-m"}',
      'x'.repeat(5000),
    ]) {
      await raw.publish(RedisNotificationBus.DEFAULT_CHANNEL, junk);
    }
    await b.publish('ch-m', { type: 'check' });
    await expect(waiting).resolves.toEqual({ type: 'check' });
    stop();
    expect(seen).toEqual([{ type: 'check' }]);
  });

  it('holds one Redis subscription per bus, however many challenges are waited on', async () => {
    const stops = Array.from({ length: 50 }, (_, i) => a.subscribe(`many-${i}`, () => undefined));
    const channels = await raw.sendCommand(['PUBSUB', 'CHANNELS']);
    const subscribers = await raw.sendCommand(['PUBSUB', 'NUMSUB', RedisNotificationBus.DEFAULT_CHANNEL]);
    stops.forEach((stop) => stop());
    expect(channels).toEqual([RedisNotificationBus.DEFAULT_CHANNEL]);
    expect(subscribers).toEqual([RedisNotificationBus.DEFAULT_CHANNEL, 2]); // bus a and bus b
    expect(a.challengeCount).toBe(0);
  });

  it('a bus on another channel (another app on the same Redis) hears nothing of this one', async () => {
    const elsewhere = await busOn(server.url, 'other-app:notify');
    const heard: NotificationEvent[] = [];
    const stop = elsewhere.subscribe('ch-x', (event) => heard.push(event));
    const waiting = waitFor(a, 'ch-x', { timeoutMs: HOLD_MS });
    await b.publish('ch-x', { type: 'check' });
    await waiting;
    // The publish on the other channel travels the same server after the first: once it is heard,
    // the first would have been heard too.
    const own = waitFor(elsewhere, 'ch-x', { timeoutMs: HOLD_MS });
    await elsewhere.publish('ch-x', { type: 'settled', state: 'expired' });
    await own;
    stop();
    await elsewhere.close();
    expect(heard).toEqual([{ type: 'settled', state: 'expired' }]);
  });

  it('close() drops the Redis subscription', async () => {
    const closing = await busOn(server.url);
    const before = await raw.sendCommand(['PUBSUB', 'NUMSUB', RedisNotificationBus.DEFAULT_CHANNEL]);
    await closing.close();
    const after = await raw.sendCommand(['PUBSUB', 'NUMSUB', RedisNotificationBus.DEFAULT_CHANNEL]);
    expect(before).toEqual([RedisNotificationBus.DEFAULT_CHANNEL, 3]);
    expect(after).toEqual([RedisNotificationBus.DEFAULT_CHANNEL, 2]);
  });
});

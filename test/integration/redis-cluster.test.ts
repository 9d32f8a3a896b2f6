/**
 * The shared stores on a three-primary Redis Cluster (started here from Debian's redis-server, one
 * cluster for the file), with node-redis's `createCluster` and ioredis's `Cluster`: two instances,
 * every store from `redisStores`, sessions in the cluster too. A login started on A completes once
 * when the provider's notification reaches B (index lookup and sharded publish on B, the held long
 * poll on A wakes), and start limits count across the instances. A machine without redis-server
 * skips it with the install line; CI fails it.
 */
import { createCluster } from 'redis';
import request from 'supertest';
import { ScriptedProvider } from '../../lib/testing';
import { sessionCookie } from '../helpers/app';
import { CLIENT_KINDS } from '../helpers/redis-clients';
import { hasRedisCluster, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster';
import { runsWith } from '../helpers/system-tool';
import { twoInstances, type TwoInstances } from '../helpers/two-instances';

const json = { Accept: 'application/json' };
const FLOOR_MS = 1000;
const COOLDOWN_MS = 60_000; // far longer than the test runs: the refusal below cannot time out

const withCluster = runsWith(
  'redis-server and redis-cli',
  hasRedisCluster(),
  'apt-get install redis-server; .ci/run installs it',
);

let cluster: RedisCluster | undefined;
beforeAll(async () => {
  if (withCluster) cluster = await startRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

(withCluster ? describe : describe.skip).each(CLIENT_KINDS)(
  'two instances on a three-primary Redis Cluster (stores on $name)',
  (kind) => {
    let now = Date.now();
    const provider = new ScriptedProvider({
      notificationSecret: 'shared-secret',
      minCheckIntervalMs: FLOOR_MS,
    });
    let two: TwoInstances;
    // One cluster for the file: each client's run has its own users (the limits' keys stay).
    const alice = `alice-${kind.name}`;
    const bob = `bob-${kind.name}`;

    beforeAll(async () => {
      if (!cluster) throw new Error('no Redis Cluster');
      two = await twoInstances(
        cluster,
        {
          provider,
          strategy: {
            pollIntervalMs: 60_000,
            now: () => now,
            limiter: { sessionCooldownMs: COOLDOWN_MS, userCooldownMs: COOLDOWN_MS, perIp: false },
          },
          router: { longPollMs: 60_000 },
        },
        () => now,
        kind,
      );
    });
    afterAll(async () => {
      await two?.close();
    });

    const app = (i: 0 | 1) => {
      const built = two.apps[i];
      if (!built) throw new Error('no such instance');
      return built.app;
    };

    test('a login started on A completes once when the notification reaches B', async () => {
      const started = await request(app(0)).post('/auth/push/start').set(json).send({ username: alice });
      expect(started.status).toBe(202);
      const cookie = sessionCookie(started.headers['set-cookie']);
      if (!cookie) throw new Error('no session cookie');
      now += FLOOR_MS;
      const checks = provider.calls.check;
      const listening = two.listening();
      const held = request(app(0))
        .get('/auth/push/status')
        .set(json)
        .set('Cookie', cookie)
        .then((r) => r);
      await listening; // the phone answers after the page waits
      provider.answer('approved');
      const { headers, body } = provider.notification();
      await request(app(1)).post('/auth/push/notify').set(headers).send(body).expect(204);
      const done = await held;
      expect(done.status).toBe(200);
      expect(done.body.state).toBe('authenticated');
      expect(provider.calls.check - checks).toBe(1);
      expect(two.apps.flatMap((built) => built.verified)).toHaveLength(1);
      // The logged-in session is in the cluster: B serves it; the pre-login one is gone.
      const loggedIn = sessionCookie(done.headers['set-cookie']) ?? '';
      await request(app(1)).get('/me').set('Cookie', loggedIn).expect(200);
      const again = await request(app(1)).get('/auth/push/status').set(json).set('Cookie', cookie);
      expect(again.status).toBe(404);
    });

    test('start limits count across the instances: a second push to one user on B is refused', async () => {
      const starts = provider.calls.start;
      await request(app(0)).post('/auth/push/start').set(json).send({ username: bob }).expect(202);
      const refused = await request(app(1)).post('/auth/push/start').set(json).send({ username: bob });
      expect(refused.status).toBe(429);
      expect(provider.calls.start - starts).toBe(1);
    });

    test("a challenge's claim and display share a slot: one primary holds both", async () => {
      if (!cluster) throw new Error('no Redis Cluster');
      const raw = createCluster({
        rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      });
      await raw.connect();
      try {
        const slot = (key: string) => raw.sendCommand(undefined, true, ['CLUSTER', 'KEYSLOT', key]);
        expect(await slot('push:done:{abc}')).toBe(await slot('push:display:{abc}'));
        expect(await slot('push:done:{abc}')).not.toBe(await slot('push:done:{abd}'));
      } finally {
        await raw.close();
      }
    });
  },
);

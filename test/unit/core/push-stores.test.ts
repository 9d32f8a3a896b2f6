/**
 * The one store value: what `stores` configures is what the login uses, and the limiter's rules
 * count in `stores.rateLimits` unless they name a store of their own.
 */
import { MemoryRateLimitStore } from '../../../lib/core/limits';
import { PushStrategy } from '../../../lib/core/strategy';
import { ScriptedProvider } from '../../../lib/testing/scripted-provider';
import { setupLogin } from '../../helpers/login-core';

/** A memory counter store that remembers which keys were counted. */
function countingStore() {
  const store = new MemoryRateLimitStore();
  const counted: string[] = [];
  const hit = store.hit.bind(store);
  store.hit = async (key, windowMs, now) => {
    counted.push(key);
    return hit(key, windowMs, now);
  };
  return { store, counted };
}

test('`stores` that is not an object is a configuration error at construction', () => {
  for (const stores of ['redis', null, 42]) {
    expect(
      () =>
        new PushStrategy({ provider: new ScriptedProvider(), stores: stores as never }, (subject, _i, done) =>
          done(null, { id: subject }),
        ),
    ).toThrow(
      expect.objectContaining({
        kind: 'config',
        message: expect.stringMatching(/`stores` must be an object/),
      }),
    );
  }
});

test('a part without the methods of its contract is refused at construction, naming them', () => {
  const build = (stores: object) => () =>
    new PushStrategy({ provider: new ScriptedProvider(), stores }, (subject, _i, done) =>
      done(null, { id: subject }),
    );
  expect(build({ completions: {} })).toThrow(
    expect.objectContaining({
      kind: 'config',
      message: '`stores.completions` must have claim() (see PushStores).',
    }),
  );
  expect(build({ displays: { set: async () => undefined } })).toThrow(
    expect.objectContaining({
      kind: 'config',
      message: '`stores.displays` must have get, delete() (see PushStores).',
    }),
  );
  expect(build({ notificationBus: null })).toThrow(expect.objectContaining({ kind: 'config' }));
});

test("the limiter's rules alone count in stores.rateLimits, and refuse by them", async () => {
  const { store, counted } = countingStore();
  const { login, req } = setupLogin(
    {},
    { stores: { rateLimits: store }, limiter: { perIp: { max: 1, windowMs: 60_000 } } },
  );
  expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
  expect(counted.length).toBeGreaterThan(0);
  // The rule given (one start per address and minute) is the one that refuses the next start.
  expect(await login.start(req({ username: 'alice' }))).toMatchObject({
    kind: 'error',
    error: { code: 'rate_limited', details: { rule: 'perIp' } },
  });
});

test('by default the limiter counts in stores.rateLimits too', async () => {
  const { store, counted } = countingStore();
  const { login, req } = setupLogin({}, { stores: { rateLimits: store }, limiter: undefined });
  expect(await login.start(req({ username: 'alice' }))).toMatchObject({ kind: 'pending' });
  expect(counted.length).toBeGreaterThan(0);
});

test("rules that name their own store count there, not in the bundle's", async () => {
  const bundle = countingStore();
  const own = countingStore();
  const { login, req } = setupLogin(
    {},
    { stores: { rateLimits: bundle.store }, limiter: { store: own.store } },
  );
  await login.start(req({ username: 'alice' }));
  expect(bundle.counted).toEqual([]);
  expect(own.counted.length).toBeGreaterThan(0);
});

test('the display store given is the one the router reads (login.displays, each call bounded)', async () => {
  const read: string[] = [];
  const displays = {
    set: async () => undefined,
    get: async (challengeId: string) => {
      read.push(challengeId);
      return undefined;
    },
    delete: async () => undefined,
  };
  const { login } = setupLogin({}, { stores: { displays } });
  await login.displays.get('c1');
  expect(read).toEqual(['c1']);
});

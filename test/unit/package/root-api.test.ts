/**
 * The root entry stays small (issue 24): at most 64 names (60, and issue 28's four for action approval), the ones an app wires and handles, while
 * the shared stores, the catalogue helpers and the test tools live under their subpaths and the
 * internals under none. scripts/check-package.mjs counts the built dist/index.d.ts the same way.
 */
import { publicExports } from '../../docs/public-api';

const entries = publicExports();
const namesOf = (entry: string) =>
  entries
    .filter((exported) => exported.entry === entry)
    .map((exported) => exported.name)
    .sort();

test('passport-push exports at most 64 names (types and values)', () => {
  expect(namesOf('passport-push').length).toBeLessThanOrEqual(64);
});

test('the root keeps what an app wires: strategy, router, providers, errors, outcome, contracts', () => {
  expect(namesOf('passport-push')).toEqual(
    expect.arrayContaining([
      'PushStrategy',
      'pushLogin',
      'keepRawBody',
      'createStartLimiter',
      'PushError',
      'isPushError',
      'PushErrorCode',
      'pushOutcome',
      'PushOutcome',
      'PushEvent',
      'SecSignIdProvider',
      'CibaProvider',
      'Authentiq8Provider',
      'BankIdProvider',
      'DuoProvider',
      'CompletionStore',
      'RateLimitStore',
      'NotificationBus',
      'NotificationIndex',
      'DisplayStore',
      'PushProvider',
      'ChallengeStatus',
    ]),
  );
});

test.each([
  [
    'passport-push/redis',
    ['RedisCompletionStore', 'RedisRateLimitStore', 'RedisNotificationBus', 'RedisDisplayStore'],
  ],
  ['passport-push/messages', ['catalogueFor', 'failureText', 'pickLocale', 'format']],
  [
    'passport-push/testing',
    ['ScriptedProvider', 'providerConformance', 'SecSignIdSimulator', 'BankIdSimulator'],
  ],
])('%s holds what moved there, and the root none of it', (entry, moved) => {
  expect(namesOf(entry)).toEqual(expect.arrayContaining(moved));
  expect(namesOf('passport-push').filter((name) => moved.includes(name))).toEqual([]);
});

test('internals and wire constants are exported by no entry point', () => {
  const internals = [
    'PushLogin',
    'DisplayCache',
    'waitFor',
    'notificationKeyHash',
    'retryableCode',
    'RETRYABLE_TRANSPORT_CODES',
    'RSP_CODES',
    'SECSIGN_STATES',
    'CLAIM_MARGIN_MS',
    'clientPrefix',
    'streamStates',
    'SETTLED_STATES',
  ];
  expect(entries.filter((exported) => internals.includes(exported.name)).map((e) => e.name)).toEqual([]);
});

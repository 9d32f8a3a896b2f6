/**
 * The whole suite: unit, integration and security tests on Express 5, and the integration tests
 * that load Express once more on Express 4 (the `express` import resolves to the `express4` alias
 * there). The browser e2e has its own config (jest.e2e.config.js).
 */
const { availableParallelism } = require('node:os');
const path = require('node:path');
const { filesWithoutExpress } = require('./test/setup/express-reach.cjs');

const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
/** The package's public entry points, as examples/ import them, resolve to lib/. */
const publicEntryPoints = {
  '^passport-push$': '<rootDir>/lib/index.ts',
  '^passport-push/testing$': '<rootDir>/lib/testing/index.ts',
  '^passport-push/redis$': '<rootDir>/lib/redis.ts',
  '^passport-push/messages$': '<rootDir>/lib/messages.ts',
  // examples/ import their siblings as ESM needs them (`./minimal.js`); Jest finds the .ts file.
  '^(\\./.*)\\.js$': '$1',
};
const common = {
  testEnvironment: 'node',
  transform,
  rootDir: __dirname,
  setupFiles: ['<rootDir>/test/setup/quiet-oidc-provider.ts'],
  moduleNameMapper: publicEntryPoints,
};

/**
 * Integration files whose code never reaches `express` (a provider against its simulator, the
 * Redis stores) run the same on Express 4, so that project leaves them out; so does the Redis
 * Cluster suite (test/helpers/redis-topology.ts: the cluster runs in the Express 5 project only).
 */
const notForExpress4 = [
  ...filesWithoutExpress(
    path.join(__dirname, 'test/integration'),
    ['lib', 'test', 'examples'].map((dir) => path.join(__dirname, dir)),
    // The public entry points, followed into lib/ as publicEntryPoints maps them.
    Object.fromEntries(
      Object.entries(publicEntryPoints)
        .filter(([pattern]) => pattern.startsWith('^passport-push'))
        .map(([pattern, file]) => [pattern.slice(1, -1), file.replace('<rootDir>', __dirname)]),
    ),
  ),
  path.join(__dirname, 'test/integration/redis-cluster.test.ts'),
].map((file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  // Jest's default, one fewer worker than cores, runs a 2-core machine in band: most files wait on
  // loopback servers and Redis more than they compute, so two workers there halve the wall time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      ...common,
      displayName: 'express5',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
    },
    {
      ...common,
      displayName: 'express4',
      roots: ['<rootDir>/test/integration'],
      testPathIgnorePatterns: ['/node_modules/', ...notForExpress4],
      moduleNameMapper: { ...publicEntryPoints, '^express$': 'express4' },
      // test/helpers/redis-topology.ts: the Redis Cluster runs once, in the Express 5 project.
      globals: { PUSH_EXPRESS4: true },
    },
  ],
};

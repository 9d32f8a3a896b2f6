/**
 * The whole suite: unit, integration and security tests on Express 5, and the integration tests
 * once more on Express 4 (the `express` import resolves to the `express4` alias there). The browser
 * e2e has its own config (jest.e2e.config.js).
 */
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

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
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
      moduleNameMapper: { ...publicEntryPoints, '^express$': 'express4' },
      // test/helpers/redis-topology.ts: the Redis Cluster runs once, in the Express 5 project.
      globals: { PUSH_EXPRESS4: true },
    },
  ],
};

/** The browser end-to-end test: the demo app driven through Debian's chromium (playwright-core). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test/e2e'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-oidc-provider.ts'],
  // The package's public entry points, as examples/ and the demo import them, resolve to lib/.
  moduleNameMapper: {
    '^passport-push$': '<rootDir>/lib/index.ts',
    '^passport-push/testing$': '<rootDir>/lib/testing/index.ts',
  },
  testTimeout: 60000,
};

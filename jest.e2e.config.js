/** The browser end-to-end test: the demo app driven through Debian's chromium (playwright-core). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test/e2e'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-oidc-provider.ts'],
  testTimeout: 60000,
};

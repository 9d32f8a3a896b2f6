/**
 * The browser end-to-end test: the demo app driven through Debian's chromium (playwright-core).
 * Without chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite is skipped with a printed
 * reason on a developer's machine, and fails in CI (CI=true), where .ci/run installs it.
 */
const { accessSync, constants } = require('node:fs');

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let hasChromium = true;
try {
  accessSync(chromiumPath, constants.X_OK);
} catch {
  hasChromium = false;
}
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const install = 'apt-get install chromium, or set CHROMIUM_PATH to a Chromium or Chrome binary';
if (!hasChromium && ci)
  throw new Error(
    `e2e: no chromium at ${chromiumPath}, and CI must not skip the browser tests (${install}).`,
  );
if (!hasChromium)
  process.stderr.write(
    `\nSKIPPED: the browser e2e did not run: no chromium at ${chromiumPath} (${install}).\n`,
  );

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test/e2e'],
  // No chromium on this machine: run nothing, and let that pass (the reason is printed above).
  ...(hasChromium ? {} : { testPathIgnorePatterns: ['<rootDir>/test/e2e/'], passWithNoTests: true }),
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup/quiet-oidc-provider.ts'],
  // The package's public entry points, as examples/ and the demo import them, resolve to lib/.
  moduleNameMapper: {
    '^passport-push$': '<rootDir>/lib/index.ts',
    '^passport-push/testing$': '<rootDir>/lib/testing/index.ts',
    '^passport-push/redis$': '<rootDir>/lib/redis.ts',
    '^passport-push/messages$': '<rootDir>/lib/messages.ts',
  },
  testTimeout: 60000,
};

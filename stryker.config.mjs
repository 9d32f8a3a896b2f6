// @ts-check
/**
 * Mutation testing of the security-relevant core: `npm run test:mutation`. Stryker changes one
 * thing at a time in the files below (a `>` into `>=`, a condition into `true`, …) and runs the
 * tests that cover that spot; a mutant no test notices ("survived") is behaviour nobody checks.
 *
 * `targets` maps each file to mutate to the tests that check it; only those tests run, so a full
 * run takes minutes. `pending` are files being rewritten on other branches: once they land, move
 * them into `targets` with their tests, or run them now with MUTATE_PENDING=1. MUTATE_FILES picks
 * files from either list (comma-separated).
 */

/** @type {Record<string, string[]>} */
const targets = {
  'lib/core/limits.ts': [
    'test/unit/core/limits.test.ts',
    'test/unit/core/stores.test.ts',
    'test/security/lockout.test.ts',
    'test/security/limiter-flood.test.ts',
    'test/security/bankid.test.ts',
  ],
  'lib/core/memory-rate-limit-store.ts': [
    'test/unit/core/stores.test.ts',
    'test/security/limiter-flood.test.ts',
  ],
  'lib/core/completion.ts': ['test/security/late-completion.test.ts', 'test/unit/core/stores.test.ts'],
  'lib/web/origin-check.ts': [
    'test/unit/web/origin-check.test.ts',
    'test/integration/web/csrf-and-bodies.test.ts',
  ],
  'lib/core/challenge.ts': [
    'test/unit/core/challenge.test.ts',
    'test/unit/core/challenge-record.test.ts',
    'test/unit/core/local-answer.test.ts',
  ],
  // JSON answers, redirects and the wait page's headers are read end to end; the origin guard by the
  // CSRF suite. The whole of test/integration/core per mutant would take far longer for nothing more.
  'lib/web/http-answers.ts': [
    'test/integration/core/polling.test.ts',
    'test/integration/core/html-flow.test.ts',
    'test/integration/web',
  ],
  'lib/web/passport-bridge.ts': [
    'test/integration/core/mount-before-passport.test.ts',
    'test/integration/core/flow.test.ts',
  ],
  'lib/core/session-access.ts': [
    'test/unit/core/session-access.test.ts',
    'test/unit/core/local-answer.test.ts',
    'test/integration/core/client-key.test.ts',
  ],
  // eventPseudonymiser, through BankID logins (the provider that turns it on).
  'lib/core/events.ts': ['test/security/bankid.test.ts'],
};

/** @type {Record<string, string[]>} */
const pending = {
  // The core's own tests, through ScriptedProvider: the simulator suites in test/security check the
  // same rules end to end in `npm test`, but per mutant they would take hours on two shared cores.
  'lib/core/login.ts': [
    'test/unit/core/login.test.ts',
    'test/unit/core/local-answer.test.ts',
    'test/unit/core/options-and-verify.test.ts',
    'test/integration/core/flow.test.ts',
    'test/integration/core/client-key.test.ts',
    'test/integration/core/limits-and-origin.test.ts',
    'test/integration/core/passport-wiring.test.ts',
    'test/security/lockout-device.test.ts',
  ],
  'lib/core/strategy.ts': [
    'test/unit/core/options-and-verify.test.ts',
    'test/integration/core/passport-wiring.test.ts',
    'test/integration/core/flow.test.ts',
  ],
  'lib/web/router.ts': [
    'test/integration/core',
    'test/integration/web',
    'test/security/lockout-device.test.ts',
  ],
};

// Unit-level tests only: the end-to-end security suites (push-bombing, session-binding, poll-race)
// check the same rules through simulators and run in `npm test`; per mutant they would take hours
// on two shared cores. The flood test keeps its 1 000-key store (its 100 000-key twin is the same
// code, 100 times the hits).
process.env['LIMITER_FLOOD_SIZES'] = '1000';

const all = { ...targets, ...pending };
// MUTATE_FILES=lib/core/login.ts,lib/web/origin-check.ts runs just those files (with their tests).
const only = process.env['MUTATE_FILES']?.split(',').filter(Boolean);
// A `file:from-to` entry mutates those lines only; MUTATE_TESTS (comma-separated) replaces the tests.
const overrideTests = process.env['MUTATE_TESTS']?.split(',').filter(Boolean);
const selected = only
  ? Object.fromEntries(only.map((entry) => [entry, overrideTests ?? all[entry.split(':')[0] ?? ''] ?? []]))
  : process.env['MUTATE_PENDING']
    ? all
    : targets;
const tests = [...new Set(Object.values(selected).flat())];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: Object.keys(selected),
  testRunner: 'jest',
  // The CIBA test OP (oidc-provider) is loaded with a dynamic import, as `npm test` allows.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    // One project (Express 5) and only the tests above: a subset of jest.config.js.
    config: {
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
      setupFiles: ['<rootDir>/test/setup/quiet-oidc-provider.ts'],
      testTimeout: 20000,
      roots: ['<rootDir>/test'],
      testMatch: tests.map((path) =>
        path.endsWith('.ts') ? `<rootDir>/${path}` : `<rootDir>/${path}/**/*.test.ts`,
      ),
    },
  },
  concurrency: 2,
  // A mutant that hangs a login (a wait that never ends) is a kill either way: don't wait long for it.
  timeoutMS: 2000,
  // Reruns test only the mutants and tests changed since the last run (reports/stryker-incremental.json).
  incremental: true,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

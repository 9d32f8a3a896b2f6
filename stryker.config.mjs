// @ts-check
import { createRequire } from 'node:module';

/**
 * Mutation testing of the security-relevant core: `npm run test:mutation`. Stryker changes one
 * thing at a time in the files below (a `>` into `>=`, a condition into `true`, …) and runs the
 * tests that cover that spot; a mutant no test notices ("survived") is behaviour nobody checks.
 *
 * `targets` maps each file to mutate to the tests that check it. One Stryker run mutates one file
 * with that file's tests only (scripts/mutation.mjs runs them one after another), so a file's score
 * says what its own tests catch: never a suite listed for another file. `pending` are files not
 * yet at the aim; MUTATE_FILES=<file> (one file, or `file:from-to` for some lines) runs any of them.
 */

/** @type {Record<string, string[]>} */
const targets = {
  // As measured on 2026-12-06 (98.8 %); the BankID suite sets limiter: false and covered nothing here.
  'lib/core/limits.ts': ['test/unit/core/limits.test.ts', 'test/security/lockout.test.ts'],
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
  // The core's own unit tests, through ScriptedProvider and a fake session: the HTTP suites check
  // the same paths through the router (its own entry), the simulator suites in test/security end
  // to end in `npm test`; per mutant either would take hours on two shared cores.
  'lib/core/login.ts': [
    'test/unit/core/login.test.ts',
    'test/unit/core/login-start.test.ts',
    'test/unit/core/login-poll.test.ts',
    'test/unit/core/login-notify.test.ts',
    'test/unit/core/local-answer.test.ts',
    // The store_error events the core sends when an index, bus or limiter store fails.
    'test/unit/core/store-failures.test.ts',
    // A store call that fails or runs out (storeTimeoutMs): one retryable error and its event.
    'test/unit/core/store-deadline.test.ts',
    // The stores the core is built with: the limiter counts in `stores.rateLimits`.
    'test/unit/core/push-stores.test.ts',
    // approve, useApproval and an action's completion (through ScriptedProvider, like the above).
    'test/unit/core/action-approval.test.ts',
    'test/unit/core/login-approve.test.ts',
    'test/unit/core/login-store-loss.test.ts',
    // A step-up (approve() with no action to show): its acr, maximum age and one use.
    'test/unit/core/step-up.test.ts',
    // What a mutation run found unchecked: no intent, a final fault a stream met, ID-less answers.
    'test/unit/core/login-edges.test.ts',
  ],
  // The router through its HTTP answers, ScriptedProvider behind it. Most of its mutants sit in
  // code every request runs, so each runs nearly all of these: only the suites about the router's
  // own answers (the wait page, CSRF, bodies and limits are other files' and run in `npm test`).
  'lib/web/router.ts': [
    'test/integration/core/router-answers.test.ts',
    'test/integration/core/router-options.test.ts',
    'test/integration/core/flow.test.ts',
    'test/integration/core/html-flow.test.ts',
    'test/integration/core/polling.test.ts',
    'test/integration/core/long-poll-ends.test.ts',
    'test/integration/notify/instant-completion.test.ts',
    // router.approve from an app's route: its links, action_approved and approvedRedirect.
    'test/integration/core/router-approve.test.ts',
    // How the status stream ends when its login ends elsewhere (cancel, logout, a newer approval).
    'test/integration/core/stream-endings.test.ts',
    // A stream's rechecks answered from the record it kept: no session read until something changed.
    'test/integration/notify/stream-reads.test.ts',
  ],
};

/** @type {Record<string, string[]>} */
const pending = {
  // Reached through login.ts's suites too; its own tests check the deadlines and what a fault reads as.
  'lib/core/store-deadline.ts': [
    'test/unit/core/store-deadline.test.ts',
    'test/unit/core/store-failures.test.ts',
  ],
  'lib/core/strategy.ts': [
    'test/unit/core/options-and-verify.test.ts',
    'test/integration/core/passport-wiring.test.ts',
    'test/integration/core/flow.test.ts',
  ],
};

// Unit-level tests only: the end-to-end security suites (push-bombing, session-binding, poll-race)
// check the same rules through simulators and run in `npm test`; per mutant they would take hours
// on two shared cores. The flood test keeps its 1 000-key store (its 100 000-key twin is the same
// code, 100 times the hits).
process.env['LIMITER_FLOOD_SIZES'] = '1000';

const all = { ...targets, ...pending };
// One file per run: merged lists would let one file's suite kill (or hang on) another's mutants.
// MUTATE_FILES=lib/core/login.ts (or lib/core/login.ts:360-425, those lines only); MUTATE_TESTS
// (comma-separated) replaces its tests. Several files: npm run test:mutation -- <file> <file>.
const only = process.env['MUTATE_FILES']?.split(',').filter(Boolean) ?? [];
if (only.length !== 1) {
  throw new Error(
    'stryker.config.mjs mutates one file per run: use `npm run test:mutation` (every target, one ' +
      'after another) or MUTATE_FILES=<one file> npx stryker run.',
  );
}
const entry = only[0] ?? '';
const file = entry.split(':')[0] ?? '';
const tests = process.env['MUTATE_TESTS']?.split(',').filter(Boolean) ?? all[file];
if (!tests) throw new Error(`${file} is in neither targets nor pending of stryker.config.mjs.`);
/** Where this file's (or line range's) reports and incremental state live. */
const reportDir = `reports/mutation/${entry.replace(/[^\w.-]+/g, '_')}`;

// What the tests need of jest.config.js's Express 5 project; not its rootDir (this checkout, where
// Stryker's sandbox copy is elsewhere).
const [express5] = createRequire(import.meta.url)('./jest.config.js').projects;
const { transform, setupFiles, moduleNameMapper } = express5;

/** The targets, for scripts/mutation.mjs. */
export const mutationTargets = Object.keys(targets);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [entry],
  testRunner: 'jest',
  // The CIBA test OP (oidc-provider) is loaded with a dynamic import, as `npm test` allows.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  jest: {
    projectType: 'custom',
    // Not jest.config.js: Stryker lays `config` over the file's, and its `projects` would run every
    // test twice (Express 4 too). package.json holds no Jest options: `config` is the whole of it.
    configFile: 'package.json',
    enableFindRelatedTests: false,
    // One project (Express 5) and only the tests above: a subset of jest.config.js.
    config: {
      transform,
      setupFiles,
      moduleNameMapper,
      // Only the files that hold a test covering the mutant (Stryker names tests, not files).
      testSequencer: '<rootDir>/test/setup/mutation-sequencer.cjs',
      // Node's, plus Stryker's bail: after a mutant's first failing test its other tests are skipped
      // (a mutant that stops every answer would otherwise add up 5 s per test into a timeout).
      testEnvironment: './test/setup/mutation-environment.cjs',
      // A mutant that leaves a login waiting fails that test here, as a kill by its assertion
      // timing out, well before Stryker's own timeout (timeoutMS below) would count it as a hang.
      testTimeout: 5000,
      roots: ['<rootDir>/test'],
      testMatch: tests.map((path) =>
        path.endsWith('.ts') ? `<rootDir>/${path}` : `<rootDir>/${path}/**/*.test.ts`,
      ),
    },
  },
  concurrency: 2,
  // Far longer than the tests' own timeout above, which turns a login left waiting into a failed
  // test: what is left for Stryker to time out is a mutant that blocks the event loop, or a run
  // slowed by a busy machine (the dry run's pace does not hold when others share the cores).
  // scripts/mutation.mjs reports how many timed out.
  timeoutMS: 60000,
  // Reruns test only the mutants and tests changed since the last run of this file.
  incremental: true,
  incrementalFile: `${reportDir}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

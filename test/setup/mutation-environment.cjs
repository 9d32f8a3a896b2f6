// @ts-check
/**
 * The test environment of a mutation run (stryker.config.mjs): Node's, plus the bail Stryker asks
 * of every test runner and its Jest runner cannot pass on (Jest bails per file, not per test). Once
 * one test failed under a mutant, the mutant is killed: its other tests are skipped, in this file
 * and the files after it. Without this, a mutant that stops an answer fails each test of the list
 * by the 5 s `testTimeout`, one after another (15 tests of polling.test alone: 80 s), and the sum
 * outlasts Stryker's own timeout: a kill by an assertion counted as a timeout.
 */
const { TestEnvironment } = require('jest-environment-node');

/**
 * The mutant a test failed under. Module state on purpose: a Stryker test runner runs a mutant's
 * test files one after another in one process, and the environment module is loaded once there.
 */
let failedUnder;

class MutationEnvironment extends TestEnvironment {
  /** @param {{ name: string, test?: { mode?: string } }} event */
  async handleTestEvent(event) {
    const stryker = /** @type {{ activeMutant?: string } | undefined} */ (this.global['__stryker__']);
    const active = stryker?.activeMutant;
    // The dry run (no mutant): every test runs, and every failure is seen.
    if (active === undefined) return;
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') failedUnder = active;
    // jest-circus reads a test's mode after `test_start`: a skip here means the test never runs.
    else if (event.name === 'test_start' && failedUnder === active && event.test) event.test.mode = 'skip';
  }
}

module.exports = MutationEnvironment;

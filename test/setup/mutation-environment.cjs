// @ts-check
/**
 * The test environment of a mutation run (stryker.config.mjs): Node's, plus the bail Stryker asks
 * of every test runner and its Jest runner cannot pass on (Jest bails per file, not per test). Once
 * one test failed under a mutant, the mutant is killed: its other tests are skipped, in this file
 * and the files after it. Without this, a mutant that stops an answer fails each test of the list
 * by the 5 s `testTimeout`, one after another (15 tests of polling.test alone: 80 s), and the sum
 * outlasts Stryker's own timeout: a kill by an assertion counted as a timeout.
 *
 * In the dry run it also writes down which file holds which tests, for mutation-sequencer.cjs.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');
const { testNamesFile } = require('./mutation-sequencer.cjs');

/**
 * The mutant a test failed under. Module state on purpose: a Stryker test runner runs a mutant's
 * test files one after another in one process, and the environment module is loaded once there.
 */
let failedUnder;

/**
 * A test's full name as Jest's `-t` and Stryker's coverage see it: its describe blocks' names and
 * its own, the root block left out.
 * @param {TestEntry} test
 */
function fullName(test) {
  const names = [];
  for (let block = test.parent; block?.parent; block = block.parent) names.unshift(block.name);
  return [...names, test.name].join(' ');
}

/** @typedef {{ name: string, parent?: Block }} Block */
/** @typedef {{ name: string, mode?: string, parent?: Block }} TestEntry */

class MutationEnvironment extends TestEnvironment {
  /**
   * @param {import('@jest/environment').JestEnvironmentConfig} config
   * @param {import('@jest/environment').EnvironmentContext} context
   */
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.namesFile = testNamesFile(config.projectConfig.rootDir);
    /** @type {string[]} */
    this.testNames = [];
  }

  /** @param {{ name: string, test?: TestEntry }} event */
  async handleTestEvent(event) {
    const stryker = /** @type {{ activeMutant?: string } | undefined} */ (this.global['__stryker__']);
    const active = stryker?.activeMutant;
    // The dry run (no mutant): every test runs, and every failure is seen.
    if (active === undefined) {
      if (stryker && event.name === 'test_start' && event.test) this.testNames.push(fullName(event.test));
      return;
    }
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') failedUnder = active;
    // jest-circus reads a test's mode after `test_start`: a skip here means the test never runs.
    else if (event.name === 'test_start' && failedUnder === active && event.test) event.test.mode = 'skip';
  }

  async teardown() {
    // The dry run's files run one after another in one process: add this file's tests to the list.
    if (this.testNames.length > 0) {
      /** @type {Record<string, string[]>} */
      let names = {};
      try {
        names = JSON.parse(readFileSync(this.namesFile, 'utf8'));
      } catch {
        // The first file of the dry run.
      }
      names[this.testPath] = this.testNames;
      writeFileSync(this.namesFile, JSON.stringify(names));
    }
    await super.teardown();
  }
}

module.exports = MutationEnvironment;

// @ts-check
/**
 * The test sequencer of a mutation run (stryker.config.mjs). Stryker names a mutant's covering
 * tests to Jest by a test-name pattern only, so Jest would load every file of the list for every
 * mutant and skip most of their tests: loading the 13 files of login.ts's list took longer than
 * running the tests that cover a mutant. This keeps the files that hold a test the pattern names.
 *
 * The names of each file's tests come from the dry run (mutation-environment.cjs writes them), the
 * same full names Stryker's coverage is keyed by; the pattern is matched as Jest matches it. Without
 * those names, for a file they do not list, or when the pattern names none of them, files run as
 * before: never fewer tests than Jest's own filter.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Where the dry run leaves `{ [testFilePath]: fullTestNames[] }`: the sandbox's root (Stryker
 * removes the sandbox after the run).
 * @param {string} rootDir
 */
function testNamesFile(rootDir) {
  return path.join(rootDir, '.stryker-test-names.json');
}

/**
 * The test file paths of `paths` that Jest would run a test of under `pattern` (its `-t`), in order.
 * @param {string[]} paths
 * @param {string | null | undefined} pattern
 * @param {Record<string, string[]> | undefined} namesByFile
 * @returns {string[]}
 */
function filesNamedBy(paths, pattern, namesByFile) {
  if (!pattern || !namesByFile) return paths;
  // jest-circus's own test: `new RegExp(testNamePattern, 'i')` against each test's full name.
  const named = new RegExp(pattern, 'i');
  const kept = paths.filter((file) => namesByFile[file]?.some((name) => named.test(name)));
  // A pattern that names no test written down means the list is not this run's: run them all.
  if (kept.length === 0) return paths;
  return paths.filter((file) => namesByFile[file] === undefined || kept.includes(file));
}

/** @param {string} rootDir @returns {Record<string, string[]> | undefined} */
function readTestNames(rootDir) {
  try {
    return JSON.parse(readFileSync(testNamesFile(rootDir), 'utf8'));
  } catch {
    return undefined;
  }
}

class MutationSequencer extends Sequencer {
  /** @param {import('@jest/test-sequencer').TestSequencerOptions} options */
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
    this.rootDir = options.globalConfig.rootDir;
  }

  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    // The dry run (no pattern) runs everything; a mutant's run reads the names once the dry run wrote them.
    if (!this.pattern) return sorted;
    const kept = new Set(
      filesNamedBy(
        sorted.map((test) => test.path),
        this.pattern,
        readTestNames(this.rootDir),
      ),
    );
    return sorted.filter((test) => kept.has(test.path));
  }
}

module.exports = MutationSequencer;
module.exports.filesNamedBy = filesNamedBy;
module.exports.testNamesFile = testNamesFile;

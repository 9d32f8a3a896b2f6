/**
 * The test sequencer of a mutation run (test/setup/mutation-sequencer.cjs): a mutant's run loads only
 * the test files holding a test Stryker names, and keeps every file it cannot tell about, so a
 * mutant is never tested by fewer tests than Jest's own name filter would run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface TestFile {
  path: string;
  context: { config: { cache: boolean }; hasteFS: { getSize(path: string): number } };
}
interface SequencerOptions {
  contexts: unknown[];
  globalConfig: { rootDir: string; testNamePattern?: string };
}
interface SequencerModule {
  new (options: SequencerOptions): { sort(tests: TestFile[]): Promise<TestFile[]> };
  testNamesFile(rootDir: string): string;
}

const MutationSequencer = jest.requireActual<SequencerModule>('../../setup/mutation-sequencer.cjs');

/** Stryker's pattern for a mutant's covering tests: each full name escaped, one alternative each. */
function patternFor(...names: string[]): string {
  return names.map((name) => `(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`).join('|');
}

let rootDir: string;
const context = { config: { cache: false }, hasteFS: { getSize: () => 0 } };
const files = ['a.test.ts', 'b.test.ts', 'c.test.ts', 'unlisted.test.ts'];

beforeEach(() => {
  rootDir = mkdtempSync(path.join(os.tmpdir(), 'mutation-sequencer-'));
});
afterEach(() => {
  rmSync(rootDir, { recursive: true, force: true });
});

/** What the dry run wrote down: each file's tests by full name. */
function writeDryRun(): void {
  const names = {
    [path.join(rootDir, 'a.test.ts')]: ['login start refuses a big handle', 'login poll approves once'],
    [path.join(rootDir, 'b.test.ts')]: ['router answers 202 (pending) to a poll'],
    [path.join(rootDir, 'c.test.ts')]: ['audit events of the start'],
  };
  writeFileSync(MutationSequencer.testNamesFile(rootDir), JSON.stringify(names));
}

/** The files (by base name) a run with `testNamePattern` loads. */
async function filesRun(testNamePattern?: string): Promise<string[]> {
  const sequencer = new MutationSequencer({
    contexts: [],
    globalConfig: testNamePattern === undefined ? { rootDir } : { rootDir, testNamePattern },
  });
  const tests = files.map((file) => ({ path: path.join(rootDir, file), context }));
  const sorted = await sequencer.sort(tests);
  return sorted.map((test) => path.basename(test.path)).sort();
}

it("a mutant's run loads the files holding a test it names, and any file the dry run did not list", async () => {
  writeDryRun();
  await expect(filesRun(patternFor('router answers 202 (pending) to a poll'))).resolves.toEqual([
    'b.test.ts',
    'unlisted.test.ts',
  ]);
  await expect(
    filesRun(patternFor('login poll approves once', 'audit events of the start')),
  ).resolves.toEqual(['a.test.ts', 'c.test.ts', 'unlisted.test.ts']);
});

it('matches as Jest does: case-insensitively and anywhere in the full name', async () => {
  writeDryRun();
  await expect(filesRun(patternFor('LOGIN POLL approves'))).resolves.toEqual([
    'a.test.ts',
    'unlisted.test.ts',
  ]);
});

it('the dry run (no pattern) loads every file', async () => {
  writeDryRun();
  await expect(filesRun()).resolves.toEqual(files);
});

it('loads every file when the dry run wrote no names, or the pattern names none of them', async () => {
  await expect(filesRun(patternFor('login poll approves once'))).resolves.toEqual(files);
  writeDryRun();
  await expect(filesRun(patternFor('a test renamed since the dry run'))).resolves.toEqual(files);
});

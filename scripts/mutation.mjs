/**
 * `npm run test:mutation [-- <file> …] [-- <stryker options>]`: one Stryker run per target file, each
 * with that file's tests only (stryker.config.mjs), then one table of the scores. Files default to
 * MUTATE_FILES (comma-separated) or every target; options such as `--concurrency 1` go to each run.
 * Timeouts are counted apart from kills by a failing test: a score carried by hangs says little.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// Files (`lib/core/login.ts`, or `lib/core/login.ts:360-425` for some lines); the rest goes to Stryker.
const isFile = (arg) => /\.ts(:\d+-\d+)?$/.test(arg);
const named = args.filter(isFile);
const options = args.filter((arg) => !isFile(arg));
const fromEnv = process.env['MUTATE_FILES']?.split(',').filter(Boolean) ?? [];
// Importing the config needs one file named; any target will do to read the list.
process.env['MUTATE_FILES'] = fromEnv[0] ?? named[0] ?? 'lib/core/limits.ts';
const { mutationTargets } = await import('../stryker.config.mjs');
const files = named.length > 0 ? named : fromEnv.length > 0 ? fromEnv : mutationTargets;

/** Counts by status in Stryker's JSON report (mutation-testing-report-schema). */
function summarise(entry) {
  const path = `reports/mutation/${entry.replace(/[^\w.-]+/g, '_')}/mutation.json`;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, Ignored: 0 };
  for (const { mutants } of Object.values(report.files)) {
    for (const { status } of mutants) counts[status] = (counts[status] ?? 0) + 1;
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return {
    entry,
    ...counts,
    score: valid === 0 ? 100 : (100 * detected) / valid,
    timeoutShare: detected === 0 ? 0 : (100 * counts.Timeout) / detected,
  };
}

const results = [];
let failed = false;
for (const entry of files) {
  console.log(`\n=== ${entry} ===`);
  const run = spawnSync('npx', ['stryker', 'run', ...options], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_FILES: entry },
  });
  if (run.status !== 0) {
    failed = true;
    console.error(`Stryker failed for ${entry} (exit ${run.status ?? run.signal}).`);
    continue;
  }
  results.push(summarise(entry));
}

console.log(`\nMutation scores (${new Date().toISOString().slice(0, 10)}, one run per file):\n`);
console.log('| file | score | killed | timed out (share of kills) | survived | no coverage |');
console.log('| ---- | ----- | ------ | -------------------------- | -------- | ----------- |');
for (const r of results) {
  console.log(
    `| \`${r.entry}\` | ${r.score.toFixed(1)} % | ${r.Killed} | ${r.Timeout} (${r.timeoutShare.toFixed(1)} %) | ${r.Survived} | ${r.NoCoverage} |`,
  );
}
process.exitCode = failed ? 1 : 0;

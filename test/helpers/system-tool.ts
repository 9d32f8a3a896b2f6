/**
 * Suites that need a program from the system (redis-server): on a developer's machine without it
 * they are skipped with a printed reason and the install line, never silently; in CI (CI=true,
 * which .ci/run sets and where it installs them) a missing program fails the suite instead.
 */

/** Whether the suite should run: true when `present`; false (after saying why) when missing locally; throws in CI. */
export function runsWith(tool: string, present: boolean, install: string, env = process.env): boolean {
  if (present) return true;
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false';
  if (ci)
    throw new Error(`${tool} is not on PATH, and CI must not skip the suites that need it (${install}).`);
  // Straight to stderr: Jest may buffer or silence console output, and a skip must be seen.
  process.stderr.write(
    `\nSKIPPED: ${tool} is not on PATH, so the suites that need it did not run (${install}).\n`,
  );
  return false;
}

// `npm run check:package`: the packed tarball has what users need (LICENSE, README, both faces of
// both entry points) and nothing of the repository besides, and publint and attw find no problem
// with its package.json and types (ESM types for `import`, CJS for `require`, node10 fallbacks).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packTarball } from './pack.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tarball = packTarball(root);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

try {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ''));
  const required = ['LICENSE', 'README.md', 'package.json'];
  for (const entry of ['dist/index', 'dist/testing/index'])
    required.push(`${entry}.js`, `${entry}.d.ts`, `${entry}.mjs`, `${entry}.d.mts`);
  const missing = required.filter((file) => !files.includes(file));
  const stray = files.filter((file) => !required.includes(file) && !file.startsWith('dist/'));
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  if (stray.length > 0) throw new Error(`the tarball holds files outside dist/: ${stray.join(', ')}`);
  console.log(`tarball ok: ${files.length} files, LICENSE and both entry points (CJS + ESM, JS + types)`);

  run('npx', ['--no-install', 'publint', 'run', tarball, '--strict']);
  run('npx', ['--no-install', 'attw', tarball, '--profile', 'strict']);
} finally {
  rmSync(dirname(tarball), { recursive: true, force: true });
}

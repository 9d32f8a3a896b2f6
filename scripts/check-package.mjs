// `npm run check:package`: the packed tarball has what users need (LICENSE, README, both faces of
// every entry point) and nothing of the repository besides, the root exports at most 64 names
// (types and values, counted from dist/index.d.ts as a user's compiler sees them), and publint and
// attw find no problem with its package.json and types (ESM types for `import`, CJS for
// `require`, node10 fallbacks).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPoints } from './entry-points.mjs';
import { exportedNames } from './exported-names.mjs';
import { packTarball } from './pack.mjs';

/** The most names `passport-push` itself may export (issue 24: a small root; issue 28: action approval's four). */
const MAX_ROOT_NAMES = 64;

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tarball = packTarball(root);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

try {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ''));
  const required = ['LICENSE', 'README.md', 'package.json'];
  for (const { base } of entryPoints)
    required.push(`${base}.js`, `${base}.d.ts`, `${base}.mjs`, `${base}.d.mts`);
  const missing = required.filter((file) => !files.includes(file));
  const stray = files.filter((file) => !required.includes(file) && !file.startsWith('dist/'));
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  if (stray.length > 0) throw new Error(`the tarball holds files outside dist/: ${stray.join(', ')}`);
  console.log(
    `tarball ok: ${files.length} files, LICENSE and ${entryPoints.length} entry points (CJS + ESM, JS + types)`,
  );

  for (const { specifier, base } of entryPoints) {
    const names = exportedNames(`${root}/${base}.d.ts`);
    console.log(`${specifier}: ${names.length} names`);
    if (base === 'dist/index' && names.length > MAX_ROOT_NAMES)
      throw new Error(
        `${specifier} exports ${names.length} names, more than ${MAX_ROOT_NAMES}: ${names.join(', ')}`,
      );
  }

  run('npx', ['--no-install', 'publint', 'run', tarball, '--strict']);
  run('npx', ['--no-install', 'attw', tarball, '--profile', 'strict']);
} finally {
  rmSync(dirname(tarball), { recursive: true, force: true });
}

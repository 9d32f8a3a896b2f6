// `npm pack` into a fresh temporary directory: the tarball users get (npm runs `prepare`, so it is
// built from the current sources). Shared by check-package.mjs and consumer-check.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packs the package in `root` and returns the tarball's absolute path. */
export function packTarball(root) {
  const destination = mkdtempSync(join(tmpdir(), 'passport-push-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [packed] = JSON.parse(output.slice(output.indexOf('[')));
  return join(destination, packed.filename);
}

// The package's entry points, read from package.json "exports" (the one list): each specifier a
// user imports and the dist/ path of its CommonJS build without extension (`dist/redis`).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { name, exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `[{ specifier: 'passport-push/redis', base: 'dist/redis' }, …]`, the root first. */
export const entryPoints = Object.entries(exports)
  .filter(([, target]) => typeof target === 'object')
  .map(([subpath, target]) => ({
    specifier: subpath === '.' ? name : `${name}/${subpath.slice(2)}`,
    base: target.require.default.replace(/^\.\//, '').replace(/\.js$/, ''),
  }));

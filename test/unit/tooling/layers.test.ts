/**
 * The layer rule in eslint.config.mjs (docs/architecture.md): an import that climbs a layer fails
 * the lint, and the imports the layers rely on pass. Source text is linted as if it sat in lib/.
 */
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });
// The first lint loads ESLint's config and the TypeScript parser: a busy machine took 15 s of the
// default 20 for it. The time is not what a case asserts.
jest.setTimeout(60_000);

/** The layer-rule messages for `specifier` imported by a file at `file` (relative to the repo). */
async function refused(file: string, specifier: string): Promise<string[]> {
  const code = `import type { X } from '${specifier}';\nexport type Y = X;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

const climbing: [string, string][] = [
  ['lib/core/fixture.ts', '../web/router'],
  ['lib/core/fixture.ts', '../stores/redis'],
  ['lib/core/fixture.ts', '../testing'],
  ['lib/providers/fixture.ts', '../core/login'],
  ['lib/providers/bankid/fixture.ts', '../../core/login'],
  ['lib/providers/bankid/fixture.ts', '../../web/router'],
  ['lib/providers/fixture.ts', '../stores/redis'],
  ['lib/providers/duo/fixture.ts', '../../testing/duo-simulator'],
  ['lib/web/fixture.ts', '../core/strategy'],
  ['lib/web/client/fixture.ts', '../../core/strategy.js'],
  ['lib/web/fixture.ts', '../stores/redis-display-store'],
  ['lib/web/fixture.ts', '../testing/scripted-provider'],
  ['lib/stores/fixture.ts', '../web/router'],
  ['lib/stores/fixture.ts', '../testing'],
  ['lib/fixture.ts', './testing'],
  ['lib/core/fixture.ts', 'passport-push/testing'],
];

const allowed: [string, string][] = [
  ['lib/web/fixture.ts', '../core/login'],
  ['lib/web/fixture.ts', '../core/display-store'],
  ['lib/web/fixture.ts', '../core/strategy-options'],
  ['lib/stores/fixture.ts', '../core/push-stores'],
  ['lib/core/fixture.ts', './push-stores'],
  ['lib/core/fixture.ts', '../providers/provider'],
  ['lib/providers/bankid/fixture.ts', '../provider'],
  ['lib/testing/fixture.ts', '../core/strategy'],
  ['lib/testing/fixture.ts', '../web/router'],
  ['lib/fixture.ts', './core/strategy'],
  ['test/fixture.ts', '../lib/testing'],
];

test.each(climbing)('%s may not import %s', async (file, specifier) => {
  expect(await refused(file, specifier)).toHaveLength(1);
});

test.each(allowed)('%s may import %s', async (file, specifier) => {
  expect(await refused(file, specifier)).toEqual([]);
});

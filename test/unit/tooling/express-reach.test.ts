/**
 * The Express 4 project (jest.config.js) reruns an integration file only when its code loads
 * Express (test/setup/express-reach.cjs): a file that does must never be left out, so these check
 * each way an import can reach `express`, and the type-only imports that do not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { filesWithoutExpress, loadsExpress } = jest.requireActual<{
  filesWithoutExpress(
    dir: string,
    sourceDirs: string[],
    mapped?: Record<string, string>,
    keptIn?: string,
  ): string[];
  loadsExpress(file: string, mapped?: Record<string, string>): boolean;
}>('../../setup/express-reach.cjs');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'express-reach-'));
  mkdirSync(path.join(dir, 'helpers'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `source` to `name` under the fixture folder and answers its path. */
function file(name: string, source: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, source);
  return at;
}

test.each([
  ['a default import', "import express from 'express';\nexport const app = express();\n"],
  ['a subpath', "import { Router } from 'express/lib/router';\nexport const r = Router;\n"],
  ['a side-effect import', "import 'express';\n"],
  ['a re-export', "export { Router } from 'express';\n"],
  ['a dynamic import', "export const load = () => import('express');\n"],
  [
    'a dynamic import of a named constant',
    "const name = 'express';\nexport const load = () => import(name);\n",
  ],
  ['a computed require', 'export const load = (name: string) => require(name);\n'],
  ["Jest's requireActual", "export const real = jest.requireActual('express');\n"],
])('%s: loads Express', (_, source) => {
  expect(loadsExpress(file('direct.test.ts', source))).toBe(true);
});

test('an import through local files (with or without `.js`, or a folder index) counts', () => {
  file('helpers/app.ts', "import express from 'express';\nexport const app = () => express();\n");
  file('helpers/index.ts', "export { app } from './app.js';\n");
  expect(loadsExpress(file('through.test.ts', "import { app } from './helpers';\napp();\n"))).toBe(true);
});

test('a package the Jest config maps to a local file is followed; unmapped, this package counts', () => {
  const entry = file('helpers/entry.ts', "export { app } from './app';\n");
  const test = file('mapped.test.ts', "import { app } from 'passport-push';\napp();\n");
  expect(loadsExpress(test, { 'passport-push': entry })).toBe(true);
  const plain = file('helpers/plain.ts', 'export const app = () => 1;\n');
  expect(loadsExpress(test, { 'passport-push': plain })).toBe(false);
  // Without the mapping it cannot tell: its root entry mounts the router, so it counts.
  expect(loadsExpress(test)).toBe(true);
});

test.each([
  ['`import type`', "import type { Request } from 'express';\nexport type R = Request;\n"],
  ['type-only names', "import { type Request } from 'express';\nexport type R = Request;\n"],
  ['a value import used as a type only', "import { Request } from 'express';\nexport type R = Request;\n"],
  ['a comment', "// import express from 'express';\n/** require('express') */\nexport const x = 1;\n"],
  ['other packages', "import request from 'supertest';\nexport const r = request;\n"],
])('%s: no Express (TypeScript drops it, as ts-jest does)', (_, source) => {
  expect(loadsExpress(file('typeonly.test.ts', source))).toBe(false);
});

test('filesWithoutExpress lists the test files that never load Express, and sees an edit', () => {
  const only = mkdtempSync(path.join(dir, 'suite-'));
  const helper = path.join(only, 'helper.ts');
  writeFileSync(helper, 'export const n = 1;\n');
  writeFileSync(path.join(only, 'a.test.ts'), "import { n } from './helper';\nexport const m = n;\n");
  writeFileSync(path.join(only, 'b.test.ts'), "import 'express';\n");
  expect(filesWithoutExpress(only, [only], {}, dir)).toEqual([path.join(only, 'a.test.ts')]);

  // The kept answer is stale once a file in the graph changes (here: its size).
  writeFileSync(helper, "import 'express';\nexport const n = 1;\n");
  expect(filesWithoutExpress(only, [only], {}, dir)).toEqual([]);
});

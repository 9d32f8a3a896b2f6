/**
 * README and docs/ show the examples as they are, and what users copy (examples/, the demo) reaches the
 * library only through its public entry points, never through lib/ paths a package does not ship.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const tsFiles = (dir: string) =>
  readdirSync(path.join(root, dir))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${dir}/${name}`);

/** The module specifiers a TypeScript file imports. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);
}

/** The ```ts blocks of a Markdown file's section. */
function tsBlocks(file: string, heading: string): string[] {
  const markdown = `\n${read(file)}`;
  const start = markdown.indexOf(`\n${heading}\n`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

test("README's Usage is examples/minimal.ts and examples/serve.ts, as they are", () => {
  const [app, program] = tsBlocks('README.md', '## Usage');
  expect(app).toBe(read('examples/minimal.ts'));
  expect(program).toBe(read('examples/serve.ts'));
});

test('examples/ start nothing when imported (no require.main, which ESM lacks): serve.ts is the program', () => {
  for (const file of tsFiles('examples').filter((name) => name !== 'examples/serve.ts')) {
    expect({ file, listens: /\.listen\(|require\.main/.test(read(file)) }).toEqual({ file, listens: false });
  }
});

test("docs/multi-instance.md's Redis setup is examples/redis.ts, as it is", () => {
  expect(tsBlocks('docs/multi-instance.md', '# Several instances')[0]).toBe(read('examples/redis.ts'));
});

test("docs/action-approval.md's example is examples/action-approval.ts, as it is", () => {
  expect(tsBlocks('docs/action-approval.md', '## Example')[0]).toBe(read('examples/action-approval.ts'));
});

test("docs/security.md's session cookie settings are test/types/readme-session-cookie.ts, as it is type-checked", () => {
  const typeChecked = read('test/types/readme-session-cookie.ts').split('// README: session cookie\n')[1];
  expect(typeChecked).toContain('__Host-sid');
  expect(tsBlocks('docs/security.md', '## Session cookie')[0]).toBe(typeChecked);
});

test.each([...tsFiles('examples'), ...tsFiles('example-app')])(
  '%s imports only public entry points, packages and its own folder',
  (file) => {
    const allowed = new Set([
      'passport-push',
      'passport-push/testing',
      'passport-push/redis',
      'passport-push/messages',
      ...builtinModules,
    ]);
    for (const specifier of importsOf(read(file))) {
      const ok =
        allowed.has(specifier) ||
        specifier.startsWith('node:') ||
        (file.startsWith('examples/') ? /^\.\/[\w-]+\.js$/ : /^\.\/[\w-]+$/).test(specifier) || // a sibling (with .js, as ESM needs, in examples/)
        /^(@[\w-]+\/)?[\w-]+$/.test(specifier); // a package (express, passport, redis…)
      expect({ file, specifier, ok }).toEqual({ file, specifier, ok: true });
    }
  },
);

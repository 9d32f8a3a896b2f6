/**
 * Which test files load Express when they run: the Express 4 project (jest.config.js) reruns only
 * those, since a file whose code never reaches `express` runs the same on either version. The
 * imports followed are the ones ts-jest keeps (TypeScript drops type-only imports, as it does under
 * `isolatedModules`); any import this cannot resolve to a file here counts as a package. A file
 * whose graph is unclear (a `require` or `import()` of a computed name) counts as loading Express,
 * so a doubt costs a rerun, never a lost Express 4 test. Not seen: a function made by
 * `createRequire` (lib/testing/optional-peer.ts loads pngjs so). Packages are not followed (this
 * one is, through the Jest config's mapping, and counts without it): none
 * the tests use (supertest, express-session, passport, connect-redis, helmet, compression) loads
 * Express.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** TypeScript, loaded only when the kept answer is stale (loading it alone takes a moment). */
let typescript;

/**
 * `require(…)`, `import(…)`, Jest's `requireActual(…)`: a literal name (group 2), a plain
 * identifier (group 3), or anything else (neither).
 */
const LOADS =
  /\b(?:require|import|requireActual|requireMock)\(\s*(?:(["'])([^"'\n]+)\1\s*\)|([A-Za-z_$][\w$]*)\s*\)|)/g;

/**
 * The run-time imports of one TypeScript file: package names, relative paths, and `null` for a
 * computed one. An identifier counts as its name when the file declares it `const x = '…'` (the
 * CIBA test OP loads oidc-provider so, keeping TypeScript from looking for its types).
 */
function runtimeImports(file, cache) {
  let imports = cache.get(file);
  if (imports === undefined) cache.set(file, (imports = scanImports(file)));
  return imports;
}

function scanImports(file) {
  const ts = (typescript ??= require('typescript'));
  const compilerOptions = {
    // As ts-jest emits for tsconfig.json's `node16`: CommonJS, `import()` kept.
    module: ts.ModuleKind.Node16,
    target: ts.ScriptTarget.ES2022,
    isolatedModules: true,
    esModuleInterop: true,
    removeComments: true,
  };
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions,
  });
  return [...outputText.matchAll(LOADS)].map(([, , literal, identifier]) => {
    if (literal !== undefined) return literal;
    if (identifier === undefined) return null;
    const declared = new RegExp(`\\bconst ${identifier.replace(/\$/g, '\\$')} = (["'])([^"'\n]+)\\1;`).exec(
      outputText,
    );
    return declared ? declared[2] : null;
  });
}

/** The file a relative specifier names (`./a`, `./a.js`, `./dir` with an index.ts), if any. */
function resolveRelative(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile() && candidate.endsWith('.ts'),
  );
}

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Whether running `file` loads the `express` package: through its own imports or any local file
 * they load. `mapped` rewrites bare names the way the Jest config does (`passport-push` → lib/).
 */
function loadsExpress(file, mapped = {}, cache = new Map(), seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  for (const specifier of runtimeImports(file, cache)) {
    if (specifier === null) return true;
    // A relative import of no .ts file here (JSON, plain .js) is not followed.
    const local = specifier.startsWith('.') ? resolveRelative(file, specifier) : mapped[specifier];
    if (local !== undefined) {
      if (loadsExpress(local, mapped, cache, seen)) return true;
    } else if (packageOf(specifier) === 'express' || packageOf(specifier) === 'passport-push') {
      // This package unmapped: its root entry mounts the router, so it counts (a doubt, a rerun).
      return true;
    }
  }
  return false;
}

/** Every `*.test.ts` under `dir`. */
function testFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** Every .ts file under `dirs`, with what changes when it is edited. */
function sourceStamps(dirs) {
  return dirs
    .filter((dir) => fs.existsSync(dir))
    .flatMap((dir) => fs.readdirSync(dir, { recursive: true }).map((name) => path.join(dir, name)))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => {
      const { mtimeMs, size } = fs.statSync(file);
      return `${file} ${mtimeMs} ${size}`;
    });
}

/**
 * The test files under `dir` that never load Express (see loadsExpress). Transpiling the graph
 * takes seconds, and Jest reads its config on every run, so the answer is kept in the temp
 * directory (`keptIn`) until a .ts file under `sourceDirs` (or this file) changes.
 */
function filesWithoutExpress(dir, sourceDirs, mapped = {}, keptIn = os.tmpdir()) {
  const key = createHash('sha256')
    .update(fs.readFileSync(__filename))
    .update(
      JSON.stringify([dir, mapped, require('typescript/package.json').version, sourceStamps(sourceDirs)]),
    )
    .digest('hex')
    .slice(0, 32);
  const kept = path.join(keptIn, `passport-push-express-reach-${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(kept, 'utf8'));
  } catch {
    const cache = new Map();
    const files = testFiles(dir).filter((file) => !loadsExpress(file, mapped, cache));
    // Written whole, then renamed: a run started alongside never reads half a file.
    const partial = `${kept}.${process.pid}`;
    fs.writeFileSync(partial, JSON.stringify(files));
    fs.renameSync(partial, kept);
    return files;
  }
}

module.exports = { filesWithoutExpress, loadsExpress };

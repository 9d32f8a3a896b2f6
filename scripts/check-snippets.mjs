// `npm run check:snippets`: every ```ts block of README.md and docs/ is what a reader pastes, so it
// must compile and run against the package as users get it. One temporary project installs the
// packed tarball with express, express-session, passport, oidc-provider, redis, connect-redis,
// supertest and the @types a TypeScript user has. Every block becomes one file of it, and one `tsc`
// program per module system (CommonJS, then ESM with "type": "module"; strict, skipLibCheck false,
// NodeNext) compiles them all. Then each program block runs under `node`, both ways, and must end
// with exit code 0 within 30 s (scripts/snippets/listen-once.cjs lets an app that listens answer
// one request and close). An HTML comment right before a block says what it is
// (scripts/snippets/markdown.mjs): a program by default, a fragment (compiled with the names it
// `needs`, not run), or ESM-only. Failures name the page, the line and the compiler's or the
// program's own words. Arguments: pages to check (default: all). SNIPPETS_KEEP=1 keeps the project.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumerTsconfig } from './consumer/tsconfig.mjs';
import { packTarball } from './pack.mjs';
import { CONTEXT, SHARED } from './snippets/context.mjs';
import { allBlocks, snippetFiles } from './snippets/markdown.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const harness = join(root, 'scripts', 'snippets', 'listen-once.cjs');
const RUN_TIMEOUT_MS = 30_000;
const SYSTEMS = [
  { type: 'commonjs', label: 'CommonJS' },
  { type: 'module', label: 'ESM' },
];

const versionOf = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const writeJson = (file, value) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
const pinned = (names) => Object.fromEntries(names.map((name) => [name, versionOf(name)]));

/** Where a block is, for messages: its file and the line of its opening fence. */
const at = (block) => `${block.file}:${block.line}`;

const wanted = process.argv.slice(2);
const files = snippetFiles(root).filter((file) => wanted.length === 0 || wanted.includes(file));
if (wanted.some((file) => !files.includes(file))) {
  console.error(`check-snippets: not a README/docs page: ${wanted.filter((f) => !files.includes(f))}`);
  process.exit(2);
}
const blocks = allBlocks(root, files);
const failures = [];
const fail = (message) => failures.push(message);

// The file each block becomes: an included example keeps its name (serve.ts imports ./minimal.js).
for (const block of blocks) {
  block.name = block.include
    ? basename(block.include, '.ts')
    : `${block.file.replace(/\.md$/, '').replace(/\W+/g, '-')}-L${block.line}`;
  if (block.problem) fail(`${at(block)}: ${block.problem}`);
  for (const name of block.needs.filter((need) => !(need in CONTEXT)))
    fail(`${at(block)}: needs "${name}", which test/docs/snippet-globals.d.ts does not declare`);
}
const unique = [...new Map(blocks.map((block) => [block.name, block])).values()];

/** The source a block compiles as: its code, then the declarations of what it needs. */
function source(block) {
  const needs = block.needs.filter((name) => name in CONTEXT).map((name) => CONTEXT[name]);
  return [block.code, 'export {};', ...(needs.length > 0 ? [SHARED, ...needs] : []), ''].join('\n');
}

/** tsc's diagnostics (`src/x.ts(3,5): error TS…`), each mapped to its block's Markdown line. */
function compile(dir, label, inSystem) {
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  const broken = new Set();
  const byName = new Map(inSystem.map((block) => [block.name, block]));
  for (const diagnostic of output.split(/\n(?=\S)/).filter((text) => text.trim())) {
    const found = /^src\/([^(]+)\.ts\((\d+),(\d+)\): (.*)$/s.exec(diagnostic);
    const block = found && byName.get(found[1]);
    if (!block) {
      fail(`(${label}) ${diagnostic.trim()}`);
      continue;
    }
    broken.add(block.name);
    const line = Number(found[2]);
    const where = line <= block.code.split('\n').length ? `${block.file}:${block.line + line}` : at(block);
    fail(`${where} (block at line ${block.line}, ${label}, compile): ${found[4].trim()}`);
  }
  return broken;
}

/** Runs one compiled program block; resolves to undefined or a failure message. */
function execute(dir, block, label) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', harness, `dist/${block.name}.js`], {
      cwd: dir,
      env: { PATH: process.env.PATH, SESSION_SECRET: 'snippet-check-session-secret-0123456789abcdef' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const why = signal
        ? `did not end within ${RUN_TIMEOUT_MS / 1000} s (a server or simulator left open?)`
        : `exited with code ${code}`;
      const tail = output.trim().split('\n').slice(-15).join('\n    ');
      resolve(`${at(block)} (${label}, run): ${why}${tail ? `\n    ${tail}` : ''}`);
    });
  });
}

const started = Date.now();
const tarball = packTarball(root);
const project = mkdtempSync(join(tmpdir(), 'passport-push-snippets-'));
let keep = process.env.SNIPPETS_KEEP === '1';
try {
  writeJson(join(project, 'package.json'), {
    name: 'passport-push-snippets',
    private: true,
    dependencies: {
      'passport-push': `file:${tarball}`,
      ...pinned([
        'express',
        'express-session',
        'passport',
        'pngjs',
        'oidc-provider',
        'redis',
        'connect-redis',
      ]),
    },
    devDependencies: pinned([
      'supertest',
      '@jest/globals',
      '@types/express',
      '@types/express-session',
      '@types/passport',
      '@types/supertest',
      '@types/node',
    ]),
  });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: project,
    stdio: 'inherit',
  });

  let ran = 0;
  for (const { type, label } of SYSTEMS) {
    const inSystem = unique.filter((block) => type === 'module' || !block.esmOnly);
    const dir = join(project, type);
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeJson(join(dir, 'package.json'), { private: true, type });
    writeJson(join(dir, 'tsconfig.json'), consumerTsconfig());
    for (const block of inSystem) writeFileSync(join(dir, 'src', `${block.name}.ts`), source(block));
    console.log(`--- ${label}: tsc over ${inSystem.length} blocks`);
    const broken = compile(dir, label, inSystem);
    const programs = inSystem.filter((block) => !block.fragment && !broken.has(block.name));
    console.log(`--- ${label}: running ${programs.length} programs`);
    // Two at a time: each is mostly waiting on node's start and on loopback.
    const queue = [...programs];
    const worker = async () => {
      for (let block = queue.shift(); block; block = queue.shift()) {
        const failure = await execute(dir, block, label);
        if (failure) fail(failure);
        ran += 1;
      }
    };
    await Promise.all([worker(), worker()]);
  }

  const fragments = unique.filter((block) => block.fragment).length;
  const esmOnly = unique.filter((block) => block.esmOnly).length;
  const seconds = Math.round((Date.now() - started) / 1000);
  if (failures.length > 0) {
    keep = true;
    console.error(`\nsnippet check failed (${failures.length}):\n`);
    for (const failure of failures) console.error(`  ${failure}`);
    console.error(`\nthe project is kept for a look: ${project}`);
    process.exitCode = 1;
  } else {
    console.log(
      `\nsnippets ok: ${unique.length} ts blocks in ${files.length} pages compiled as CommonJS and ESM ` +
        `(${esmOnly} ESM only, ${fragments} fragments), ${ran} program runs, ${seconds} s`,
    );
  }
} finally {
  if (!keep) rmSync(project, { recursive: true, force: true });
  rmSync(dirname(tarball), { recursive: true, force: true });
}

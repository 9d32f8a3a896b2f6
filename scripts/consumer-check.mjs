// `npm run check:consumer`: what a TypeScript user gets from the packed tarball. One temporary
// project installs it with express, express-session, passport and pngjs (the versions this repo
// uses) and the @types a user installs for their own code, but not @types/passport-strategy: the
// package must bring that itself. scripts/consumer/app.ts is then compiled twice with `strict`,
// `skipLibCheck: false` and NodeNext, once as CommonJS and once as ESM ("type": "module"), and
// imports the root and every subpath (`/redis`, `/messages`, `/testing`), and
// each build runs: a PushStrategy on the SecSign ID simulator, an Express app on port 0, a login
// started, everything closed. README's Usage (examples/minimal.ts and serve.ts) is copied in as a
// user pastes it, compiled the same two ways, and served: its login page must answer. The declarations are then compiled once more, both ways, against each
// @types/node major a user may have (20, 22, 24 and the latest): Node's types move between majors
// (`JsonWebKey` left `node:crypto` in 26), and a published type that moved breaks strict consumers.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumerTsconfig } from './consumer/tsconfig.mjs';
import { packTarball } from './pack.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const versionOf = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const writeJson = (file, value) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
function run(command, args, cwd) {
  try {
    execFileSync(command, args, { cwd, stdio: 'inherit', timeout: 180_000 });
  } catch {
    console.error(`\nconsumer check failed: ${[command, ...args].join(' ')} (in ${cwd})`);
    process.exit(1); // the finally below does not run: the project is left for a look
  }
}

/** README's Usage, built: `serve.js` on a free port must answer its login form. */
async function servesLoginPage(dir) {
  const child = spawn(process.execPath, ['dist/serve.js'], {
    cwd: dir,
    env: { ...process.env, SESSION_SECRET: 'consumer-check', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const found = /localhost:(\d+)\/login/.exec(output);
        if (found) resolve(Number(found[1]));
      });
      child.once('exit', (code) =>
        reject(new Error(`serve.js exited (${code}) before listening: ${output}`)),
      );
    });
    const response = await fetch(`http://127.0.0.1:${port}/login`);
    const page = await response.text();
    if (response.status !== 200 || !page.includes('action="/auth/push/start"'))
      throw new Error(`GET /login answered ${response.status}: ${page.slice(0, 200)}`);
    console.log(`README's Usage serves its login page (${dir.endsWith('module') ? 'ESM' : 'CommonJS'})`);
  } catch (error) {
    console.error(`\nconsumer check failed: README's Usage in ${dir}: ${error.message}`);
    process.exit(1);
  } finally {
    child.kill();
  }
}

/** The @types/node majors checked besides the repository's own (20). */
const nodeTypeMajors = ['22', '24', 'latest'];

const tarball = packTarball(root);
const project = mkdtempSync(join(tmpdir(), 'passport-push-consumer-'));
try {
  const pinned = (names) => Object.fromEntries(names.map((name) => [name, versionOf(name)]));
  writeJson(join(project, 'package.json'), {
    name: 'passport-push-consumer',
    private: true,
    dependencies: {
      'passport-push': `file:${tarball}`,
      ...pinned(['express', 'express-session', 'passport']),
    },
    devDependencies: pinned([
      'pngjs',
      '@types/express',
      '@types/express-session',
      '@types/passport',
      '@types/node',
    ]),
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);

  for (const type of ['commonjs', 'module']) {
    const dir = join(project, type);
    mkdirSync(join(dir, 'src'), { recursive: true });
    copyFileSync(join(root, 'scripts', 'consumer', 'app.ts'), join(dir, 'src', 'app.ts'));
    // README's Usage, pasted as it is: the app module and the program that serves it.
    for (const file of ['minimal.ts', 'serve.ts'])
      copyFileSync(join(root, 'examples', file), join(dir, 'src', file));
    writeJson(join(dir, 'package.json'), { private: true, type });
    writeJson(join(dir, 'tsconfig.json'), consumerTsconfig());
    console.log(`\n--- consumer as ${type === 'module' ? 'ESM' : 'CommonJS'}: tsc, then node`);
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    run(process.execPath, ['dist/app.js'], dir);
    await servesLoginPage(dir);
  }
  for (const major of nodeTypeMajors) {
    console.log(`\n--- @types/node@${major}: tsc as CommonJS and as ESM`);
    const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
    run('npm', [...install, '--no-save', `@types/node@${major}`], project);
    for (const type of ['commonjs', 'module'])
      run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], join(project, type));
  }
  console.log(
    `\nconsumer check ok: CommonJS and ESM, strict, skipLibCheck false, NodeNext, @types/node ${[versionOf('@types/node'), ...nodeTypeMajors].join(', ')}`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
  rmSync(dirname(tarball), { recursive: true, force: true });
}

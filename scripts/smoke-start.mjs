// README's `npm start`: the demo must serve its login page within 15 seconds, offline, on the
// default provider and on CIBA (which runs oidc-provider, the dependency that checks the Node
// version), and print no runtime warning: no "Unsupported runtime", no `(node:…) …Warning`. CI runs
// it on every Node version package.json's `engines` promises.
import { spawn } from 'node:child_process';

const RUNTIME_WARNING = /Unsupported runtime|\(node:\d+\) \[?\w*\]? ?\w*Warning/;

/** Starts the demo with `provider`, waits for its login page, stops it; throws what went wrong. */
async function smoke(provider) {
  const port = 3000 + Math.floor(Math.random() * 1000);
  const child = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), PUSH_PROVIDER: provider },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  let ok = false;
  while (Date.now() < deadline && !ok) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/login`);
      ok = response.status === 200 && (await response.text()).includes('Sign in with your phone');
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  process.kill(-child.pid, 'SIGTERM');
  process.stdout.write(output);
  if (!ok) throw new Error(`did not serve the login page on port ${port} within 15 s`);
  const warning = RUNTIME_WARNING.exec(output);
  if (warning) throw new Error(`printed a runtime warning on Node ${process.version}: "${warning[0]}"`);
  console.log(`npm start (PUSH_PROVIDER=${provider}) served the login page on port ${port}, no warning`);
}

for (const provider of ['secsign', 'ciba']) {
  try {
    await smoke(provider);
  } catch (error) {
    console.error(`PUSH_PROVIDER=${provider} npm start ${error.message}`);
    process.exit(1);
  }
}

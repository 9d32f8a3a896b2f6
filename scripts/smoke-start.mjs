// README's `npm start`: the demo must serve its login page within 15 seconds, offline.
import { spawn } from 'node:child_process';

const port = 3000 + Math.floor(Math.random() * 1000);
const child = spawn('npm', ['start'], {
  env: { ...process.env, PORT: String(port) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
child.stdout.pipe(process.stdout);
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
if (!ok) {
  console.error(`npm start did not serve the login page on port ${port} within 15 s`);
  process.exit(1);
}
console.log(`npm start served the login page on port ${port}`);

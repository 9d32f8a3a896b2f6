/**
 * A throwaway redis-server for one test file: a free loopback port, no persistence, killed after.
 * Waits for the port to accept connections with a bounded loop, never a fixed sleep.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A redis-server a fault test can take away and bring back, on the same port. */
export interface ControllableRedisServer extends RedisServer {
  /** Starts it again on the same port (empty: no persistence), once it accepts connections. */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing is answered; resolves once the process is stopped. */
  pause(): Promise<void>;
  /** SIGCONT: resolves once the process runs again. */
  resume(): Promise<void>;
}

/** Whether `redis-server` can be run from PATH. */
export function hasRedisServer(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

export async function startRedisServer(): Promise<ControllableRedisServer> {
  let lastError: unknown;
  // A port found free can be taken by someone else before redis binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child = await spawnOn(port);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () => stop(child),
        restart: async () => {
          await stop(child);
          child = await spawnOn(port);
        },
        pause: async () => {
          child.kill('SIGSTOP');
          await waitForState(child, (state) => state === 'T');
        },
        resume: async () => {
          child.kill('SIGCONT');
          await waitForState(child, (state) => state !== 'T');
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** A redis-server on `port`, once it accepts connections. */
async function spawnOn(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-2000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitUntilAccepting(port, child);
    return child;
  } catch (error) {
    await stop(child);
    throw new Error(`redis-server did not start on port ${port}: ${String(error)}\n${output}`);
  }
}

/** Up to ~5 s for the process's state (`/proc/<pid>/stat`: `T` is stopped) to be what is wanted. */
async function waitForState(child: ChildProcess, wanted: (state: string) => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses.
    if (wanted(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('redis-server did not change state in time');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Up to ~5 s: connect, and if refused try again shortly; give up at once if the process exited. */
async function waitUntilAccepting(port: number, child: ChildProcess, attempts = 250): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('redis-server exited');
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('redis-server did not accept connections in time');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

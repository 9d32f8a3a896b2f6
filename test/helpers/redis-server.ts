/**
 * A throwaway redis-server for one test file: a free loopback port, no persistence, killed after.
 * Ready when it says so (its log line), never after a fixed sleep.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

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
  return spawnReadyRedis(['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1']);
}

/**
 * Spawns redis-server with `args`; resolves once it says it accepts connections, rejects (killing
 * it) if it exits first. Its own word, not a connection to the port: a port found free can be
 * taken by another process (another test file's server) before redis binds it, and redis then
 * exits while that other process answers on the port.
 */
export async function spawnReadyRedis(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-2000);
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`redis-server exited (${code ?? signal})`)));
    });
    return child;
  } catch (error) {
    await stop(child);
    throw new Error(`redis-server did not start (${args.join(' ')}): ${String(error)}\n${output}`);
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

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

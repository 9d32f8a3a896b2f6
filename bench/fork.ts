/**
 * Runs one part of the benchmark in a child process (bench/child.ts <role>), so servers and the
 * load generator get a core each, and heap measurements see only the app. Messages over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** BENCH_PROF=1: every child writes a CPU profile here (open it in Chrome DevTools). */
export const PROFILE_DIR = join(tmpdir(), 'passport-push-bench-profiles');

export type Role = 'servers' | 'memory' | 'waiting' | 'surge-op' | 'surge-instance';

export interface Child {
  send(message: object): void;
  /** The next message from the child (bounded by `timeoutMs`). */
  next<T>(timeoutMs?: number): Promise<T>;
  /** Waits for the child to exit; kills it if it does not within `timeoutMs`. */
  exit(timeoutMs?: number): Promise<void>;
}

export function forkRole(
  role: Role,
  args: readonly string[] = [],
  extraNodeArgs: readonly string[] = [],
): Child {
  const child: ChildProcess = fork(join(__dirname, 'child.ts'), [role, ...args], {
    execArgv: [
      ...process.execArgv,
      ...extraNodeArgs,
      ...(process.env['BENCH_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: unknown[] = [];
  const waiters: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  return {
    send: (message) => child.send(message),
    next: <T>(timeoutMs = 120_000) =>
      new Promise<T>((resolve, reject) => {
        if (queue.length > 0) return resolve(queue.shift() as T);
        const timer = setTimeout(
          () => reject(new Error(`bench child (${role}) sent nothing in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const onExit = () => reject(new Error(`bench child (${role}) exited early`));
        child.once('exit', onExit);
        waiters.push((message) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(message as T);
        });
      }),
    exit: async (timeoutMs = 10_000) => {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/**
 * The demo app as `npm start` builds it, on a free loopback port, for one e2e file; and the folder
 * the e2e screenshots go to (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createDemoApp, type DemoOptions } from '../../example-app/app';
import { providerFromEnv, type DemoProvider } from '../../example-app/providers';

export interface RunningDemo {
  /** `http://127.0.0.1:<port>` */
  base: string;
  demo: DemoProvider;
  close(): Promise<void>;
}

/** Starts the demo on `kind` (`PUSH_PROVIDER`), with strategy overrides (e2e tests turn the limiter off). */
export async function startDemo(kind: string, strategy?: DemoOptions['strategy']): Promise<RunningDemo> {
  const demo = await providerFromEnv({ PUSH_PROVIDER: kind });
  const app = createDemoApp({
    provider: demo.provider,
    phone: demo.phone,
    phoneRouter: demo.phoneRouter,
    providerLabel: demo.label,
    simulated: demo.simulated,
    hint: demo.hint,
    sessionSecret: 'e2e',
    ...(strategy ? { strategy } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  demo.listening?.(base);
  return {
    base,
    demo,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await demo.close();
    },
  };
}

/** The screenshot folder, created on first use. */
export function screenshotDir(): string {
  const dir = path.join(__dirname, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `npm start`: the demo on http://localhost:3000 (or PORT), offline on an embedded simulator. */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app';
import { providerFromEnv } from './providers';

async function main(): Promise<void> {
  const demo = await providerFromEnv();
  const app = createDemoApp({
    provider: demo.provider,
    phone: demo.phone,
    phoneRouter: demo.phoneRouter,
    providerLabel: demo.label,
    simulated: demo.simulated,
    hint: demo.hint,
    sessionSecret: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    const { port: bound } = server.address() as AddressInfo;
    demo.listening?.(`http://127.0.0.1:${bound}`);
    console.log(
      `passport-push demo (${demo.label}${demo.simulated ? ', simulated' : ''}) on http://localhost:${bound}`,
    );
    if (demo.phone || demo.phoneRouter) console.log(`simulated phone:  http://localhost:${bound}/phone`);
  });
  const stop = () => server.close(() => void demo.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

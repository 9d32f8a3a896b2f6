// serve.ts — the program: SESSION_SECRET=… npx tsx serve.ts (PORT=3000 by default)
import type { AddressInfo } from 'node:net';
import { createApp } from './minimal.js';

const { SESSION_SECRET, PORT = '3000' } = process.env;
if (!SESSION_SECRET) throw new Error('Set SESSION_SECRET to a long random string.');
const server = createApp({ sessionSecret: SESSION_SECRET }).listen(Number(PORT), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Sign in at http://localhost:${port}/login`);
});

// A consumer app, compiled by consumer-check.mjs against the packed tarball as both CommonJS and
// ESM, with `strict` and `skipLibCheck: false`: it must type-check without any @types the package
// should bring itself (passport-strategy), and run: a login starts on the SecSign ID simulator.
// It imports from the root and from every subpath (redis, messages, testing).
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  PushError,
  PushStrategy,
  SecSignIdProvider,
  pushLogin,
  type CibaProviderOptions,
  type CompletionStore,
} from 'passport-push';
import { catalogueFor, failureText } from 'passport-push/messages';
import { RedisCompletionStore, type RedisClient } from 'passport-push/redis';
import { SecSignIdSimulator } from 'passport-push/testing';

type CibaPrivateKey = NonNullable<CibaProviderOptions['privateKey']>;

interface User {
  id: string;
}

async function main(): Promise<void> {
  const simulator = await SecSignIdSimulator.start({ users: ['alice'] });
  const provider = new SecSignIdProvider({
    endpoint: simulator.url,
    fallbackEndpoint: null,
    allowInsecureHttp: true,
    serviceName: 'Consumer check',
    serviceAddress: 'https://consumer.example',
  });
  const strategy = new PushStrategy<User>({ provider }, async (subject) => ({ id: subject }));

  // The inherited passport Strategy surface is part of PushStrategy's type (passport sets these
  // members per request, so this is a compile-time check only).
  type Inherited = 'authenticate' | 'success' | 'fail' | 'error' | 'redirect' | 'pass';
  const inherited: Pick<PushStrategy<User>, Inherited> = strategy;
  const asPassportStrategy: passport.Strategy = inherited;
  passport.use(asPassportStrategy);
  // passport-push's options join passport's AuthenticateOptions.
  passport.authenticate('push', { action: 'start' });
  // A JWK as Node exports it is a CIBA private key, whichever @types/node names its type.
  const jwk: CibaPrivateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    format: 'jwk',
  });
  void jwk;
  // The Redis stores take a node-redis or ioredis client by its shape, and fill the contracts.
  const commands: RedisClient = { sendCommand: async () => 'OK' };
  const completions: CompletionStore = new RedisCompletionStore(commands);
  void completions;
  // An app's own login page speaks the wait page's languages.
  if (!failureText(catalogueFor('de'), 'denied')) throw new Error('no German text for a denied login');

  const app = express();
  app.use(session({ secret: 'consumer-check', resave: false, saveUninitialized: false }));
  app.use(passport.session());
  app.use('/auth/push', pushLogin({ strategy, successRedirect: '/', failureRedirect: '/login' }));

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/auth/push/start`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice' }),
    });
    const body = (await response.json()) as { state?: string };
    if (response.status !== 202 || body.state !== 'pending')
      throw new PushError('protocol', `start answered ${response.status} ${JSON.stringify(body)}`);
    if (simulator.phone.pending('alice').length !== 1) throw new Error('the simulator got no push');
  } finally {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    await simulator.close();
  }
  console.log('consumer app ok: a login started on the simulator');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1); // whatever is still open must not keep a failed check alive
});

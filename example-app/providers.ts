/**
 * Picks the provider from the environment. Without credentials each one runs embedded on loopback
 * (its simulator), so the demo needs no account and no network.
 *
 *   PUSH_PROVIDER=secsign     SECSIGN_ENDPOINT (optional; default: embedded simulator)
 *   PUSH_PROVIDER=authentiq8  AUTHENTIQ8_CLIENT_ID, AUTHENTIQ8_PRIVATE_KEY (PEM or a file path),
 *                             AUTHENTIQ8_ENDPOINT (optional; default: embedded simulator)
 *   PUSH_PROVIDER=ciba        CIBA_ISSUER, CIBA_CLIENT_ID, CIBA_CLIENT_SECRET (optional; default:
 *                             an embedded oidc-provider)
 *   PUSH_PROVIDER=duo         DUO_API_HOST, DUO_INTEGRATION_KEY, DUO_SECRET_KEY (optional; default:
 *                             embedded simulator)
 *   PUSH_PROVIDER=bankid      BANKID_PFX (a PKCS#12 file), BANKID_PASSPHRASE, BANKID_CA (a PEM file),
 *                             BANKID_URL (optional; default: embedded simulator with mutual TLS)
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Router } from 'express';
import {
  Authentiq8Provider,
  CibaProvider,
  DuoProvider,
  SecSignIdProvider,
  type PushProvider,
} from 'passport-push';
import {
  Authentiq8Simulator,
  DuoSimulator,
  SecSignIdSimulator,
  startCibaOp,
  type BankIdSimulator,
  type Phone,
} from 'passport-push/testing';
import { BANKID_DEMO_PEOPLE, bankIdDemo } from './bankid-demo';
import type { DemoHint } from './pages';

export interface DemoProvider {
  provider: PushProvider;
  phone?: Phone;
  /** A provider's own simulated app (BankID), mounted at /phone instead of the generic phone page. */
  phoneRouter?: Router;
  /** The embedded BankID simulator (the e2e test drives hint codes through it). */
  bankIdSimulator?: BankIdSimulator;
  /** The provider's name ("SecSign ID"). */
  label: string;
  /** It runs on an embedded simulator: the login page says so, in its language. */
  simulated?: boolean;
  /** Which demo IDs or people exist, shown under the login form. */
  hint?: DemoHint;
  /** Called once the app listens on `baseUrl` (the embedded CIBA OP then pings the app there). */
  listening?(baseUrl: string): void;
  close(): Promise<void>;
}

export const DEMO_USERS = ['alice', 'bob', 'carol'];

const demoHint: DemoHint = { ids: DEMO_USERS };

export async function providerFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DemoProvider> {
  const kind = env.PUSH_PROVIDER ?? 'secsign';
  switch (kind) {
    case 'secsign':
      return secsign(env);
    case 'authentiq8':
      return authentiq8(env);
    case 'ciba':
      return ciba(env);
    case 'duo':
      return duo(env);
    case 'bankid':
      return bankid(env);
    default:
      throw new Error(
        `PUSH_PROVIDER must be secsign, authentiq8, ciba, duo or bankid (got ${JSON.stringify(kind)}).`,
      );
  }
}

async function bankid(env: NodeJS.ProcessEnv): Promise<DemoProvider> {
  const demo = await bankIdDemo(env);
  if (!demo.phoneRouter) return demo;
  const people = BANKID_DEMO_PEOPLE.map((p) => ({
    name: `${p.givenName} ${p.surname}`,
    personalNumber: p.personalNumber,
  }));
  return { ...demo, hint: { people } };
}

async function secsign(env: NodeJS.ProcessEnv): Promise<DemoProvider> {
  const serviceAddress = env.SERVICE_ADDRESS ?? 'http://localhost';
  if (env.SECSIGN_ENDPOINT) {
    const provider = new SecSignIdProvider({
      endpoint: env.SECSIGN_ENDPOINT,
      serviceName: 'passport-push demo',
      serviceAddress,
    });
    return { provider, label: 'SecSign ID', close: async () => undefined };
  }
  const simulator = await SecSignIdSimulator.start({ users: DEMO_USERS });
  const provider = new SecSignIdProvider({
    endpoint: simulator.url,
    fallbackEndpoint: null,
    allowInsecureHttp: true,
    serviceName: 'passport-push demo',
    serviceAddress,
  });
  return {
    provider,
    phone: simulator.phone,
    label: 'SecSign ID',
    simulated: true,
    hint: demoHint,
    close: () => simulator.close(),
  };
}

async function duo(env: NodeJS.ProcessEnv): Promise<DemoProvider> {
  if (env.DUO_API_HOST) {
    const provider = new DuoProvider({
      apiHost: env.DUO_API_HOST,
      integrationKey: required(env, 'DUO_INTEGRATION_KEY'),
      secretKey: required(env, 'DUO_SECRET_KEY'),
    });
    return { provider, label: 'Duo', close: async () => undefined };
  }
  // Short holds keep the demo's status polls brief; the phone's answer still ends a hold at once.
  // The hold ends before the provider stops waiting, so a held check brings Duo's "pushed" message.
  const simulator = await DuoSimulator.start({ users: DEMO_USERS, holdCapMs: 4_000 });
  const provider = new DuoProvider({
    apiHost: simulator.apiHost,
    integrationKey: simulator.integrationKey,
    secretKey: simulator.secretKey,
    allowInsecureHttp: true,
    statusWaitMs: 5_000,
  });
  return {
    provider,
    phone: simulator.phone,
    label: 'Duo',
    simulated: true,
    hint: demoHint,
    close: () => simulator.close(),
  };
}

async function ciba(env: NodeJS.ProcessEnv): Promise<DemoProvider> {
  if (env.CIBA_ISSUER) {
    const provider = new CibaProvider({
      issuer: env.CIBA_ISSUER,
      clientId: required(env, 'CIBA_CLIENT_ID'),
      clientSecret: required(env, 'CIBA_CLIENT_SECRET'),
      clientAuthMethod:
        env.CIBA_AUTH_METHOD === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    });
    return { provider, label: 'OpenID CIBA', close: async () => undefined };
  }
  // Ping mode by default: the OP tells the app when the user decided (CIBA_DELIVERY=poll to compare).
  // With rich authorization requests (RFC 9396): a payment travels to the phone as its details.
  const op = await startCibaOp({ authorizationDetails: true });
  const ping = env.CIBA_DELIVERY !== 'poll';
  return {
    provider: new CibaProvider({
      ...op.providerOptions(ping ? 'ping' : 'client_secret_basic'),
      authorizationDetails: true,
    }),
    phone: op.phone,
    // The embedded oidc-provider, in ping mode (CIBA_DELIVERY=poll: poll mode).
    label: ping ? 'OpenID CIBA' : 'OpenID CIBA (poll)',
    simulated: true,
    hint: demoHint,
    listening: (baseUrl) => op.deliverPingsTo(`${baseUrl}/auth/push/notify`),
    close: () => op.close(),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required with PUSH_PROVIDER=${env.PUSH_PROVIDER}.`);
  return value;
}

async function authentiq8(env: NodeJS.ProcessEnv): Promise<DemoProvider> {
  if (env.AUTHENTIQ8_CLIENT_ID) {
    const provider = new Authentiq8Provider({
      clientId: env.AUTHENTIQ8_CLIENT_ID,
      privateKey: required(env, 'AUTHENTIQ8_PRIVATE_KEY'),
      ...(env.AUTHENTIQ8_ENDPOINT ? { endpoint: env.AUTHENTIQ8_ENDPOINT } : {}),
    });
    return { provider, label: 'Authentiq8 Me', close: async () => undefined };
  }
  // Offline: a fresh client key pair, registered with an embedded simulator whose demo users each
  // have one linked phone.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientId = randomUUID();
  const simulator = await Authentiq8Simulator.start({
    clients: [{ clientId, publicKey }],
    users: DEMO_USERS,
  });
  const provider = new Authentiq8Provider({
    clientId,
    privateKey,
    endpoint: simulator.url,
    allowInsecureHttp: true,
  });
  return {
    provider,
    phone: simulator.phone,
    label: 'Authentiq8 Me',
    simulated: true,
    hint: demoHint,
    close: () => simulator.close(),
  };
}

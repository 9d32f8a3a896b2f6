/**
 * FAPI-CIBA with certificate-bound access tokens (RFC 8705 §3) against oidc-provider in its FAPI
 * 1.0 Final profile, over real mutual TLS with certificates made at test time: every supported
 * pairing of client authentication and delivery mode logs in, and the access token the OP issued
 * is bound to the client certificate. Two OPs are shared by the whole table: one that asks for
 * certificates on every endpoint, and one that keeps mutual TLS on the `mtls_endpoint_aliases` it
 * announces. Without the certificate, the same client is told that the certificate is missing.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import type { NotificationRequest } from '../../../lib/providers/provider';
import type { PushEvent } from '../../../lib/core/events';
import { bankIdTestCertificates, type BankIdTestCertificates } from '../../../lib/testing/bankid-test-ca';
import {
  CIBA_OP_PING_ENDPOINT,
  startCibaOp,
  type CibaOp,
  type CibaOpClient,
} from '../../../lib/testing/ciba-op';
import { buildTestApp } from '../../helpers/app';
import { fakeDateOnly } from '../../helpers/clock';
import { signal, startOnPhone } from './support';

type Shape = 'one port' | 'endpoint aliases';

let certificates: BankIdTestCertificates;
let thumbprint: string;
const ops = {} as Record<Shape, CibaOp>;
/** Stands in for the app's notify route: keeps each ping the OPs deliver, answers 204. */
let pingReceiver: Server;
const pings: NotificationRequest[] = [];

beforeAll(async () => {
  certificates = await bankIdTestCertificates();
  // RFC 8705 §3.1: the base64url SHA-256 of the certificate's DER encoding.
  thumbprint = createHash('sha256')
    .update(new X509Certificate(certificates.client.cert).raw)
    .digest('base64url');
  ops['one port'] = await startCibaOp({ fapi: true, mtls: certificates });
  ops['endpoint aliases'] = await startCibaOp({
    fapi: true,
    mtls: { ...certificates, endpointAliases: true },
  });
  pingReceiver = createServer((req, res) => {
    void readBody(req).then((body) => {
      pings.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => pingReceiver.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(pingReceiver.address() as AddressInfo).port}/notify`;
  for (const op of Object.values(ops)) op.deliverPingsTo(target);
});
afterAll(async () => {
  await Promise.all(Object.values(ops).map((op) => op.close()));
  await new Promise((resolve) => pingReceiver.close(resolve));
});

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The options of each pairing exactly as docs/providers/ciba.md shows them ("Client authentication
 * and token binding"), with the test OP's client ID, keys and certificates in place of the files.
 */
function options(op: CibaOp, client: CibaOpClient, mode: 'poll' | 'ping'): CibaProviderOptions {
  const registered = op.providerOptions(client, mode);
  const tls = { cert: certificates.client.cert, key: certificates.client.key, ca: certificates.ca };
  const fapiKey = op.providerOptions('fapi-ec').privateKey;
  const poll: CibaProviderOptions =
    client === 'fapi-bound'
      ? {
          issuer: op.issuer,
          clientId: registered.clientId,
          privateKey: fapiKey,
          fapi: true,
          requestObject: { algorithm: 'ES256' },
          tls,
        }
      : {
          issuer: op.issuer,
          clientId: registered.clientId,
          clientAuthMethod: client === 'tls_client_auth' ? 'tls_client_auth' : 'self_signed_tls_client_auth',
          tls,
          privateKey: fapiKey,
          fapi: true,
          requestObject: { algorithm: 'ES256' },
        };
  if (mode === 'poll') return poll;
  return { ...poll, deliveryMode: 'ping', notificationEndpoint: CIBA_OP_PING_ENDPOINT };
}

const PAIRINGS = [
  ['private_key_jwt + certificate-bound tokens', 'fapi-bound'],
  ['tls_client_auth', 'tls_client_auth'],
  ['self_signed_tls_client_auth', 'self_signed_tls_client_auth'],
] as const;
const CASES = (['one port', 'endpoint aliases'] as const).flatMap((shape) =>
  PAIRINGS.flatMap(([name, client]) =>
    (['poll', 'ping'] as const).map((mode) => [shape, name, mode, client] as const),
  ),
);

describe.each(CASES)('%s OP, %s, %s mode', (shape, _name, mode, client) => {
  test('logs alice in, and the access token is bound to the client certificate', async () => {
    const op = ops[shape];
    const settings = options(op, client, mode);
    const ciba = new CibaProvider(settings);
    const calls = { ...op.calls };
    const issued = op.issuedTokens.length;
    const { started } = await startOnPhone(op, ciba);
    const pinged = pings.length;
    await op.phone.approveNow(started.handle.authReqId as string);

    if (mode === 'ping') {
      // The OP pinged with this request's token; the provider reads it as a hint for this request.
      const ping = pings[pinged];
      if (!ping || !ciba.readNotification) throw new Error('no ping arrived');
      await expect(ciba.readNotification(ping)).resolves.toEqual({
        kind: 'hint',
        key: started.notificationKey,
        secret: true,
      });
    } else {
      expect(pings.length).toBe(pinged);
    }
    await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
      state: 'approved',
      subject: 'alice',
    });
    expect(op.issuedTokens.slice(issued)).toEqual([
      { clientId: settings.clientId, cnf: { 'x5t#S256': thumbprint } },
    ]);
    const made = (name: string) => (op.calls[name] ?? 0) - (calls[name] ?? 0);
    if (shape === 'endpoint aliases') {
      // The certificate is presented where the OP asks for it: on the announced aliases.
      expect([made('mtls:backchannel'), made('mtls:token')]).toEqual([1, 1]);
      expect([made('backchannel'), made('token')]).toEqual([0, 0]);
    } else {
      expect([made('backchannel'), made('token')]).toEqual([1, 1]);
    }
  });
});

test('with the certificate, a request already redeemed is still a stale login (invalid), not a configuration fault', async () => {
  const op = ops['one port'];
  const ciba = new CibaProvider(options(op, 'fapi-bound', 'poll'));
  const { started } = await startOnPhone(op, ciba);
  await op.phone.approveNow(started.handle.authReqId as string);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'approved' });
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
    state: 'invalid',
    message: { key: 'ciba.invalid_grant' },
  });
});

describe.each(['one port', 'endpoint aliases'] as const)(
  '%s OP, the private_key_jwt client without its certificate',
  (shape) => {
    /** The same client, trusting the OP's CA but presenting no certificate. */
    const withoutCertificate = (op: CibaOp): CibaProviderOptions => ({
      ...op.providerOptions('fapi-bound'),
      tls: { ca: certificates.ca },
    });

    test('gets an error naming the missing certificate, not a stale login', async () => {
      const op = ops[shape];
      const ciba = new CibaProvider(withoutCertificate(op));
      const { started } = await startOnPhone(op, ciba);
      await op.phone.approveNow(started.handle.authReqId as string);
      const issued = op.issuedTokens.length;
      await expect(ciba.check(started.handle, signal())).rejects.toMatchObject({
        kind: 'config',
        code: 'unauthorized',
        retryable: false,
        message: expect.stringMatching(/TLS client certificate.*set tls: \{ cert, key \}/),
        details: { providerCode: 'invalid_grant' },
      });
      expect(op.issuedTokens.length).toBe(issued);
    });

    describe('through the strategy', () => {
      // Only Date is faked, before the app exists, so the 5 s CIBA interval passes without waiting.
      beforeEach(() => jest.useFakeTimers(fakeDateOnly()));
      afterEach(() => jest.useRealTimers());

      test('the login ends with that message, and the audit event names the code', async () => {
        const op = ops[shape];
        const events: PushEvent[] = [];
        const app = buildTestApp({
          provider: new CibaProvider(withoutCertificate(op)),
          strategy: { onEvent: (event) => events.push(event) },
        });
        const agent = request.agent(app.app);
        const json = { Accept: 'application/json' };
        const start = await agent.post('/auth/push/start').set(json).send({ username: 'alice' }).expect(202);
        const phoneRequest = op.phone
          .pending('alice')
          .find((r) => r.bindingMessage === start.body.display.bindingMessage);
        if (!phoneRequest) throw new Error('the phone did not get the request');
        await op.phone.approveNow(phoneRequest.id);
        jest.setSystemTime(Date.now() + 5001); // past the CIBA interval
        const status = await agent.get('/auth/push/status').set(json);
        expect(status.body).toMatchObject({ state: 'invalid', detail: expect.stringContaining('set tls') });
        expect(app.verified).toEqual([]);
        expect(events.at(-1)).toMatchObject({ type: 'invalid', reason: 'unauthorized' });
      });
    });
  },
);

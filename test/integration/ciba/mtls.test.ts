/**
 * Mutual-TLS client authentication (RFC 8705) against a real oidc-provider serving https with
 * `features.mTLS`: `tls_client_auth` (by the certificate's subject DN, from the test CA) and
 * `self_signed_tls_client_auth` (by the registered certificate). The certificates come from the
 * openssl-made test CA that the BankID simulator uses too.
 */
import { createServer, type AddressInfo } from 'node:net';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import { bankIdTestCertificates, type BankIdTestCertificates } from '../../../lib/testing/bankid-test-ca';
import { startCibaOp, type CibaOp, type CibaOpClient } from '../../../lib/testing/ciba-op';
import { signal, startOnPhone } from './support';

let op: CibaOp;
let certificates: BankIdTestCertificates;
beforeAll(async () => {
  certificates = await bankIdTestCertificates();
  op = await startCibaOp({ mtls: certificates, fapi: true });
});
afterAll(() => op.close());

function mtlsProvider(client: CibaOpClient, options: Partial<CibaProviderOptions> = {}): CibaProvider {
  return new CibaProvider({ ...op.providerOptions(client), scope: 'openid email', ...options });
}

async function loginOnce(ciba: CibaProvider) {
  const { started } = await startOnPhone(op, ciba);
  await op.phone.approveNow(started.handle.authReqId as string);
  return ciba.check(started.handle, signal());
}

const fapiRequestObject = (): Partial<CibaProviderOptions> => {
  const { privateKey } = op.providerOptions('fapi-ec');
  return { privateKey, fapi: true, requestObject: { algorithm: 'ES256' } };
};

test.each(['tls_client_auth', 'self_signed_tls_client_auth'] as const)(
  '%s with the registered certificate completes a FAPI login',
  async (method) => {
    await expect(loginOnce(mtlsProvider(method, fapiRequestObject()))).resolves.toMatchObject({
      state: 'approved',
      subject: 'alice',
    });
  },
);

test('no client certificate secret travels in the request: only client_id and the request object', async () => {
  const before = op.backchannelRequests.length;
  await startOnPhone(op, mtlsProvider('tls_client_auth', fapiRequestObject()));
  expect([...(op.backchannelRequests[before]?.keys() ?? [])].sort()).toEqual(['client_id', 'request']);
});

test('a certificate from another CA is refused as the client credentials', async () => {
  const ciba = mtlsProvider('tls_client_auth', {
    ...fapiRequestObject(),
    tls: { ...certificates.foreignClient, ca: certificates.ca },
  });
  await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
    kind: 'provider',
    code: 'unauthorized',
    details: { providerCode: 'invalid_client' },
  });
});

test('a certificate other than the registered one is refused for self_signed_tls_client_auth', async () => {
  const ciba = mtlsProvider('self_signed_tls_client_auth', {
    ...fapiRequestObject(),
    tls: { ...certificates.foreignClient, ca: certificates.ca },
  });
  await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
    code: 'unauthorized',
    details: { providerCode: 'invalid_client' },
  });
});

test('an OP whose server certificate the configured ca did not sign is never talked to', async () => {
  const ciba = mtlsProvider('tls_client_auth', {
    ...fapiRequestObject(),
    tls: { ...certificates.client, ca: certificates.foreignCa },
  });
  const calls = { ...op.calls };
  await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
    kind: 'provider',
    code: 'unauthorized',
    retryable: false,
    message: expect.stringContaining('server certificate does not verify against tls.ca'),
  });
  // The handshake failed: not even discovery reached the OP.
  expect(op.calls).toEqual(calls);
});

test('an OP that cannot be reached over mutual TLS: connect, retryable (not a broken connection)', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const ciba = mtlsProvider('tls_client_auth', {
    ...fapiRequestObject(),
    issuer: `https://127.0.0.1:${port}`,
  });
  await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
    code: 'connect',
    retryable: true,
  });
});

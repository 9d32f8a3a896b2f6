import { request } from 'node:https';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { BankIdProvider } from '../../../lib/providers/bankid';
import { CLIENT_IP, providerFor, signal } from './setup';

let sim: BankIdSimulator;
beforeEach(async () => {
  sim = await BankIdSimulator.start();
});
afterEach(() => sim.close());

const refusedCertificate = {
  kind: 'provider',
  code: 'unauthorized',
  retryable: false,
  details: { providerCode: 'tls_client_certificate' },
  message: expect.stringMatching(/client certificate/),
};

describe('BankID mutual TLS', () => {
  it('works with the RP certificate as PKCS#12 and as PEM', async () => {
    const { cert, key } = sim.clientCertificate();
    await expect(providerFor(sim).start({ clientIp: CLIENT_IP }, signal())).resolves.toBeDefined();
    const pem = providerFor(sim, { pfx: undefined, passphrase: undefined, cert, key });
    await expect(pem.start({ clientIp: CLIENT_IP }, signal())).resolves.toBeDefined();
  });

  it('the simulator refuses a connection without a client certificate', async () => {
    const { ca } = sim.clientCertificate();
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${sim.url}/auth`, { method: 'POST', ca }, (res) =>
        resolve(`HTTP ${res.statusCode}`),
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end('{}');
    });
    expect(outcome).not.toMatch(/^HTTP/);
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a client certificate from another CA → unauthorized, terminal, naming the certificate', async () => {
    const { cert, key } = sim.untrustedClientCertificate();
    const provider = providerFor(sim, { pfx: undefined, passphrase: undefined, cert, key });
    await expect(provider.start({ clientIp: CLIENT_IP }, signal())).rejects.toMatchObject(refusedCertificate);
    expect(sim.calls['auth']).toBeUndefined();
  });

  it('a server that stops trusting the RP certificate → unauthorized on the next connection', async () => {
    sim.refuseClientCertificates(true);
    const provider = providerFor(sim);
    await expect(provider.start({ clientIp: CLIENT_IP }, signal())).rejects.toMatchObject(refusedCertificate);
    sim.refuseClientCertificates(false);
    await expect(providerFor(sim).start({ clientIp: CLIENT_IP }, signal())).resolves.toBeDefined();
  });

  it('a server certificate not signed by the configured ca → unauthorized, terminal, naming the ca', async () => {
    const provider = providerFor(sim, { ca: sim.foreignCa() });
    await expect(provider.start({ clientIp: CLIENT_IP }, signal())).rejects.toMatchObject({
      kind: 'provider',
      code: 'unauthorized',
      retryable: false,
      details: { providerCode: 'tls_server_certificate' },
      message: expect.stringMatching(/\bca\b/),
    });
  });

  it('a wrong PKCS#12 passphrase fails at construction with a config error', () => {
    const { pfx, ca } = sim.clientCertificate();
    expect(() => new BankIdProvider({ baseUrl: sim.url, pfx, passphrase: 'wrong', ca })).toThrow(
      expect.objectContaining({
        kind: 'config',
        code: 'invalid_option',
        message: expect.stringMatching(/passphrase/),
      }),
    );
  });

  it('a closed port → connect, retryable (not a certificate problem)', async () => {
    const url = sim.url;
    await sim.close();
    const provider = providerFor(sim, { baseUrl: url });
    await expect(provider.start({ clientIp: CLIENT_IP }, signal())).rejects.toMatchObject({
      code: 'connect',
      retryable: true,
    });
  });
});

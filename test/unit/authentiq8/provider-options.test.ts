import { PushError } from '../../../lib/errors';
import {
  Authentiq8Provider,
  type Authentiq8ProviderOptions,
} from '../../../lib/providers/authentiq8/provider';
import { PRIVATE_KEY_PEM, ecKey, rsaKey } from './keys';

const valid: Authentiq8ProviderOptions = { clientId: 'client-1', privateKey: PRIVATE_KEY_PEM };

function refused(options: Partial<Authentiq8ProviderOptions>): PushError {
  try {
    new Authentiq8Provider(options as Authentiq8ProviderOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(PushError);
    expect((error as PushError).kind).toBe('config');
    expect((error as PushError).message).not.toContain('PRIVATE KEY');
    return error as PushError;
  }
  throw new Error('expected the options to be refused');
}

describe('Authentiq8Provider configuration', () => {
  it('builds with a client id and key, defaulting to the public endpoint and a 1.5 s poll interval', () => {
    const provider = new Authentiq8Provider(valid);
    expect(provider.name).toBe('authentiq8');
    expect(provider.client.endpoint).toBe('https://api.authentiq8.me/index.php');
    expect(provider.pollIntervalMs).toBe(1500);
  });

  it('refuses a missing or blank client id, and one that could inject a header', () => {
    expect(refused({ ...valid, clientId: undefined }).message).toMatch(/clientId is required/);
    expect(refused({ ...valid, clientId: '  ' }).message).toMatch(/clientId is required/);
    expect(refused({ ...valid, clientId: 'a\r\nX-Evil: 1' }).message).toMatch(/printable ASCII/);
  });

  it('refuses a missing key', () => {
    expect(refused({ ...valid, privateKey: undefined }).message).toMatch(/privateKey is required/);
  });

  it('refuses a 1024-bit key, an EC key and malformed PEM', () => {
    expect(refused({ ...valid, privateKey: rsaKey(1024) }).message).toMatch(/2048–4096/);
    expect(refused({ ...valid, privateKey: ecKey() }).message).toMatch(/RSA/);
    const broken = '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n';
    expect(refused({ ...valid, privateKey: broken }).message).toMatch(/not a readable PEM/);
  });

  it('refuses a non-https endpoint unless allowInsecureHttp is set', () => {
    expect(refused({ ...valid, endpoint: 'http://api.example.test/index.php' }).message).toMatch(
      /must use https/,
    );
    expect(refused({ ...valid, endpoint: 'not a url' }).message).toMatch(/not a valid URL/);
    expect(refused({ ...valid, endpoint: 'ftp://x.test/', allowInsecureHttp: true }).message).toMatch(
      /https/,
    );
    const local = new Authentiq8Provider({
      ...valid,
      endpoint: 'http://127.0.0.1:9/index.php',
      allowInsecureHttp: true,
    });
    expect(local.client.endpoint).toBe('http://127.0.0.1:9/index.php');
  });

  it('never polls faster than once per second, whatever pollIntervalMs says', () => {
    expect(new Authentiq8Provider({ ...valid, pollIntervalMs: 10 }).pollIntervalMs).toBe(1000);
    expect(new Authentiq8Provider({ ...valid, pollIntervalMs: 0 }).pollIntervalMs).toBe(1000);
    expect(new Authentiq8Provider({ ...valid, pollIntervalMs: 3000 }).pollIntervalMs).toBe(3000);
    expect(refused({ ...valid, pollIntervalMs: Number.NaN }).message).toMatch(/pollIntervalMs/);
  });

  it('refuses a bad timeout and a bad default client IP', () => {
    expect(refused({ ...valid, timeoutMs: 0 }).message).toMatch(/timeoutMs/);
    expect(refused({ ...valid, defaultClientIp: 'localhost' }).message).toMatch(/defaultClientIp/);
  });
});

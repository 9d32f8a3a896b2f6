import { generateKeyPairSync, createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import { PushError } from '../../../lib/errors';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import { resolveCibaOptions } from '../../../lib/providers/ciba/options';

const base: CibaProviderOptions = {
  issuer: 'https://op.example',
  clientId: 'rp',
  clientSecret: 's3cret-value',
};

function configError(options: unknown): PushError {
  try {
    new CibaProvider(options as CibaProviderOptions);
  } catch (error) {
    if (error instanceof PushError) {
      expect(error.kind).toBe('config');
      return error;
    }
    throw error;
  }
  throw new Error('accepted');
}

test('defaults', () => {
  const settings = resolveCibaOptions(base);
  expect(settings).toMatchObject({
    name: 'ciba:op.example',
    scope: 'openid',
    timeoutMs: 10_000,
    allowInsecureHttp: false,
    verifyIdTokenSignature: true,
    credentials: { method: 'client_secret_basic' },
  });
  expect(settings.loginHintFrom('Alice')).toBe('Alice');
  expect(settings.bindingMessage?.({ userId: 'a' })).toMatch(/^[A-Z0-9]{5}$/);
  expect(new CibaProvider(base).name).toBe('ciba:op.example');
  expect(new CibaProvider({ ...base, issuer: new URL('https://op.example:8443/realms/x') }).name).toBe(
    'ciba:op.example:8443',
  );
  expect(new CibaProvider({ ...base, name: 'ciba' }).name).toBe('ciba');
});

test('http issuers only with allowInsecureHttp; other schemes and garbage never', () => {
  expect(configError({ ...base, issuer: 'http://127.0.0.1:4000' }).message).toMatch(/must use https/);
  expect(
    () => new CibaProvider({ ...base, issuer: 'http://127.0.0.1:4000', allowInsecureHttp: true }),
  ).not.toThrow();
  configError({ ...base, issuer: 'ftp://op.example', allowInsecureHttp: true });
  configError({ ...base, issuer: 'not a url' });
});

test('client credentials: exactly one of secret and key, with a method that fits', () => {
  configError({ issuer: base.issuer, clientId: 'rp' });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  configError({ ...base, privateKey });
  configError({ ...base, clientAuthMethod: 'private_key_jwt' });
  configError({ issuer: base.issuer, clientId: 'rp', privateKey, clientAuthMethod: 'client_secret_post' });
  configError({ ...base, clientSecret: '' });
  configError({ ...base, clientId: ' ' });
  expect(resolveCibaOptions({ ...base, clientAuthMethod: 'client_secret_post' }).credentials.method).toBe(
    'client_secret_post',
  );
});

test('scope must contain openid; lists are normalised', () => {
  expect(configError({ ...base, scope: 'profile email' }).message).toMatch(/openid/);
  configError({ ...base, scope: [] });
  configError({ ...base, scope: 'openid "quoted"' });
  expect(resolveCibaOptions({ ...base, scope: ['openid', 'email'] }).scope).toBe('openid email');
  expect(resolveCibaOptions({ ...base, scope: ' openid  email ' }).scope).toBe('openid email');
  expect(resolveCibaOptions({ ...base, acrValues: ['urn:a', 'urn:b'] }).acrValues).toBe('urn:a urn:b');
});

test.each([
  ['requestedExpiry', 0],
  ['requestedExpiry', 1.5],
  ['requestedExpiry', '60'],
  ['timeoutMs', 0],
  ['timeoutMs', -1],
  ['bindingMessage', 'ABCD'],
  ['loginHintFrom', 'x'],
  ['userCode', 1234],
])('%s = %p is refused', (key, value) => {
  configError({ ...base, [key]: value });
});

test('the secret never appears in messages or in the inspected provider', () => {
  const secret = 'top-secret-client-secret-value';
  const provider = new CibaProvider({ ...base, clientSecret: secret });
  expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(secret);
  expect(JSON.stringify(provider)).not.toContain(secret);
  expect(
    configError({ ...base, clientSecret: secret, clientAuthMethod: 'private_key_jwt' }).message,
  ).not.toContain(secret);
});

describe('private keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ed = generateKeyPairSync('ed25519');
  const keyOptions = (privateKey: unknown, extra = {}) =>
    ({ issuer: base.issuer, clientId: 'rp', privateKey, ...extra }) as CibaProviderOptions;
  const key = (options: CibaProviderOptions) => {
    const { credentials } = resolveCibaOptions(options);
    if (credentials.method !== 'private_key_jwt') throw new Error('not a key');
    return credentials.key;
  };

  test('JWK, PEM and KeyObject are accepted; the algorithm follows the key', async () => {
    expect(key(keyOptions(rsa.privateKey)).alg).toBe('RS256');
    expect(key(keyOptions(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))).alg).toBe('RS256');
    const jwk = { ...ec.privateKey.export({ format: 'jwk' }), kid: 'k1' };
    expect(key(keyOptions(jwk))).toMatchObject({ alg: 'ES384', kid: 'k1' });
    expect(key(keyOptions(jwk, { privateKeyId: 'k2' })).kid).toBe('k2');
    expect(key(keyOptions({ ...rsa.privateKey.export({ format: 'jwk' }), alg: 'PS256' })).alg).toBe('PS256');
    const edKey = key(keyOptions(ed.privateKey));
    expect(edKey.alg).toBe('EdDSA');
    await expect(edKey.toCryptoKey()).resolves.toMatchObject({ type: 'private', extractable: false });
    await expect(key(keyOptions(rsa.privateKey)).toCryptoKey()).resolves.toMatchObject({ type: 'private' });
  });

  test('public keys, secret keys, unusable text and mismatched alg are refused without echoing the input', () => {
    expect(configError(keyOptions(rsa.publicKey)).message).toMatch(/private key/);
    configError(keyOptions(createSecretKey(Buffer.alloc(32, 1))));
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----';
    expect(configError(keyOptions(garbage)).message).not.toContain('c2VjcmV0');
    configError(keyOptions({ kty: 'RSA', n: 'broken' }));
    configError(keyOptions({ ...ec.privateKey.export({ format: 'jwk' }), alg: 'RS256' }));
    configError(keyOptions(42));
  });
});

/** The FAPI options: the preset's defaults, and every misconfiguration refused at construction. */
import { generateKeyPairSync } from 'node:crypto';
import { PushError } from '../../../lib/errors';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import { resolveCibaOptions } from '../../../lib/providers/ciba/options';
import { bankIdTestCertificates, type BankIdTestCertificates } from '../../../lib/testing/bankid-test-ca';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });

const fapiRsa: CibaProviderOptions = {
  issuer: 'https://bank.example',
  clientId: 'rp',
  privateKey: rsa.privateKey,
  fapi: true,
  requestObject: { algorithm: 'PS256' },
};

function configMessage(options: unknown): string {
  try {
    new CibaProvider(options as CibaProviderOptions);
  } catch (error) {
    if (error instanceof PushError && error.kind === 'config') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

function assertionAlg(options: CibaProviderOptions): string {
  const { credentials } = resolveCibaOptions(options);
  if (credentials.method !== 'private_key_jwt') throw new Error('not private_key_jwt');
  return credentials.key.alg;
}

test('the preset: PS256 assertions for RSA keys, ES256 for P-256, PS256/ES256 ID tokens, signed requests', () => {
  const settings = resolveCibaOptions(fapiRsa);
  expect(settings).toMatchObject({ fapi: true, idTokenSigningAlgs: ['PS256', 'ES256'] });
  expect(settings.requestObject?.algorithm).toBe('PS256');
  expect(assertionAlg(fapiRsa)).toBe('PS256');
  expect(assertionAlg({ ...fapiRsa, privateKey: ec.privateKey, requestObject: { algorithm: 'ES256' } })).toBe(
    'ES256',
  );
});

test('without the preset nothing changes: RS256 for RSA keys, the OP decides ID token algorithms, plain requests', () => {
  const plain = { ...fapiRsa, fapi: undefined, requestObject: undefined };
  expect(resolveCibaOptions(plain)).toMatchObject({
    fapi: false,
    requestObject: undefined,
    idTokenSigningAlgs: undefined,
  });
  expect(assertionAlg(plain)).toBe('RS256');
  expect(assertionAlg({ ...plain, clientAssertionAlgorithm: 'PS256' })).toBe('PS256');
  expect(resolveCibaOptions({ ...plain, idTokenSigningAlg: 'ES256' }).idTokenSigningAlgs).toEqual(['ES256']);
});

test.each<[string, Partial<CibaProviderOptions> | Record<string, unknown>, RegExp]>([
  ['a client secret', { privateKey: undefined, clientSecret: 's3cret' }, /fapi needs privateKey/],
  ['no request object', { requestObject: undefined }, /fapi needs requestObject/],
  ['an RS256 assertion', { clientAssertionAlgorithm: 'RS256' }, /PS256 or ES256/],
  [
    'a P-384 key',
    { privateKey: p384.privateKey, requestObject: { algorithm: 'ES256', key: ec.privateKey } },
    /RSA or EC P-256/,
  ],
  ['an RS256 ID token', { idTokenSigningAlg: ['PS256', 'RS256'] }, /PS256 and\/or ES256/],
  ['fapi not a boolean', { fapi: 'yes' }, /fapi must be true or false/],
  ['unchecked ID token signatures', { verifyIdTokenSignature: false }, /fapi needs verifyIdTokenSignature/],
])('the preset refuses %s', (_what, change, message) => {
  expect(configMessage({ ...fapiRsa, ...change })).toMatch(message);
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['an unknown request object algorithm', { requestObject: { algorithm: 'RS256' } }, /"PS256" or "ES256"/],
  ['an EC key for PS256', { requestObject: { algorithm: 'PS256', key: ec.privateKey } }, /RSA key for PS256/],
  ['an RSA key for ES256', { requestObject: { algorithm: 'ES256' } }, /EC P-256 key for ES256/],
  ['a P-384 key for ES256', { requestObject: { algorithm: 'ES256', key: p384.privateKey } }, /EC P-256 key/],
  [
    'a public key',
    { requestObject: { algorithm: 'PS256', key: rsa.publicKey } },
    /requestObject.key must be a private key/,
  ],
  ['a request object that is not an object', { requestObject: 'PS256' }, /requestObject must be an object/],
  [
    'no key at all',
    { privateKey: undefined, clientSecret: 's', requestObject: { algorithm: 'PS256' } },
    /needs a key/,
  ],
  [
    'an unknown assertion algorithm',
    { clientAssertionAlgorithm: 'HS256' },
    /clientAssertionAlgorithm must be one of/,
  ],
  [
    'an assertion algorithm with a secret',
    { privateKey: undefined, clientSecret: 's', clientAssertionAlgorithm: 'PS256' },
    /\(private_key_jwt\) only/,
  ],
  ['an assertion algorithm that does not fit the key', { clientAssertionAlgorithm: 'ES256' }, /does not fit/],
  ['an empty ID token algorithm list', { idTokenSigningAlg: [] }, /idTokenSigningAlg must be/],
  ['an unknown ID token algorithm', { idTokenSigningAlg: 'none' }, /idTokenSigningAlg must be/],
])('without the preset, %s is refused', (_what, change, message) => {
  expect(configMessage({ ...fapiRsa, fapi: false, requestObject: undefined, ...change })).toMatch(message);
});

test('a request object with a secret-authenticated client uses its own key', () => {
  const settings = resolveCibaOptions({
    issuer: 'https://op.example',
    clientId: 'rp',
    clientSecret: 's3cret',
    requestObject: { algorithm: 'ES256', key: ec.privateKey, keyId: 'ro-1' },
  });
  expect(settings.requestObject?.algorithm).toBe('ES256');
});

describe('mutual TLS', () => {
  const selfSigned = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let certificates: BankIdTestCertificates;
  beforeAll(async () => {
    certificates = await bankIdTestCertificates();
  });
  const tlsBase = {
    issuer: 'https://bank.example',
    clientId: 'rp',
    clientAuthMethod: 'tls_client_auth',
  } as const;

  test('tls_client_auth needs tls, takes no secret, and refuses material that does not load', () => {
    expect(configMessage(tlsBase)).toMatch(/needs tls/);
    expect(configMessage({ ...tlsBase, clientSecret: 's', tls: { cert: 'x', key: 'y' } })).toMatch(
      /not a secret/,
    );
    expect(configMessage({ ...tlsBase, tls: { cert: 'not a certificate', key: 'not a key' } })).toMatch(
      /could not be loaded/,
    );
    expect(configMessage({ ...tlsBase, tls: { cert: 'x' } })).toMatch(/tls needs cert and key together/);
    expect(configMessage({ ...tlsBase, tls: 'cert.pem' })).toMatch(/tls must be an object/);
    expect(
      configMessage({ ...tlsBase, tls: undefined, clientAuthMethod: 'self_signed_tls_client_auth' }),
    ).toMatch(/needs tls/);
  });

  test('tls goes with every client authentication: the certificate binds tokens', () => {
    const cert = certificates.client;
    for (const credentials of [
      { clientSecret: 's' },
      { clientSecret: 's', clientAuthMethod: 'client_secret_post' },
      { privateKey: selfSigned.privateKey },
      { privateKey: selfSigned.privateKey, fapi: true, requestObject: { algorithm: 'ES256' } },
    ] as const) {
      const settings = resolveCibaOptions({
        issuer: 'https://op.example',
        clientId: 'rp',
        tls: cert,
        ...credentials,
      });
      expect(settings.tls).toBe(cert);
    }
  });

  test('tls with only ca trusts the OP and presents no certificate; the mutual-TLS methods need one', () => {
    const tls = { ca: certificates.ca };
    const base = { issuer: 'https://op.example', clientId: 'rp', tls } as const;
    expect(resolveCibaOptions({ ...base, clientSecret: 's' }).tls).toBe(tls);
    expect(configMessage({ ...tlsBase, tls })).toMatch(
      /needs tls with the client certificate \(cert and key\)/,
    );
    expect(configMessage({ ...base, clientSecret: 's', tls: {} })).toMatch(/tls needs cert and key .*or ca/);
    expect(configMessage({ ...base, clientSecret: 's', tls: { key: certificates.client.key } })).toMatch(
      /cert and key together/,
    );
  });

  test('the key never appears in a message', () => {
    const key = selfSigned.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configMessage({ ...tlsBase, tls: { cert: 'broken', key } })).not.toContain(key.slice(30, 60));
  });
});

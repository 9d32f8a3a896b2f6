import {
  BANKID_PRODUCTION_URL,
  BANKID_TEST_URL,
  BankIdProvider,
  type BankIdProviderOptions,
} from '../../../lib/providers/bankid';
import { bankIdTestCertificates, type BankIdTestCertificates } from '../../../lib/testing/bankid-test-ca';

let certs: BankIdTestCertificates;
beforeAll(async () => {
  certs = await bankIdTestCertificates();
});

const valid = (): BankIdProviderOptions => ({
  baseUrl: BANKID_TEST_URL,
  pfx: certs.client.pfx,
  passphrase: certs.client.passphrase,
  ca: certs.ca,
});

function configError(options: unknown): unknown {
  try {
    new BankIdProvider(options as BankIdProviderOptions).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('BankIdProvider options', () => {
  it('exports the documented v6 endpoints', () => {
    expect(BANKID_TEST_URL).toBe('https://appapi2.test.bankid.com/rp/v6.0');
    expect(BANKID_PRODUCTION_URL).toBe('https://appapi2.bankid.com/rp/v6.0');
  });

  it('declares its capabilities: optional user ID, the typed personal number when there is one', () => {
    const provider = new BankIdProvider(valid());
    expect(provider).toMatchObject({
      name: 'bankid',
      displayName: 'BankID',
      userId: 'optional',
      subjectRule: 'match-if-typed',
    });
    provider.close();
  });

  it.each<[string, (o: BankIdProviderOptions) => unknown, RegExp]>([
    ['no options', () => undefined, /options object/],
    ['a missing baseUrl', (o) => ({ ...o, baseUrl: undefined }), /baseUrl/],
    ['plain http', (o) => ({ ...o, baseUrl: 'http://127.0.0.1:1/rp/v6.0' }), /https/],
    ['no client certificate', (o) => ({ ...o, pfx: undefined }), /client certificate/],
    ['both pfx and PEM', (o) => ({ ...o, cert: certs.client.cert, key: certs.client.key }), /either/],
    [
      'a PEM certificate without its key',
      (o) => ({ ...o, pfx: undefined, cert: certs.client.cert }),
      /cert and key/,
    ],
    ['pfx as a path', (o) => ({ ...o, pfx: '/etc/rp.p12' }), /Buffer/],
    ['no ca', (o) => ({ ...o, ca: undefined }), /\bca\b/],
    ['a wrong passphrase', (o) => ({ ...o, passphrase: 'nope' }), /passphrase/],
    [
      'a key that does not match the certificate',
      (o) => ({ ...o, pfx: undefined, cert: certs.client.cert, key: certs.foreignClient.key }),
      /cert and key/,
    ],
    [
      'requirement.personalNumber',
      (o) => ({ ...o, requirement: { personalNumber: '198512249874' } }),
      /user ID/,
    ],
    ['an unknown requirement', (o) => ({ ...o, requirement: { risk: 'low' } }), /requirement\.risk/],
    ['a bad cardReader', (o) => ({ ...o, requirement: { cardReader: 'class3' } }), /cardReader/],
    [
      'a policy that is not an OID',
      (o) => ({ ...o, requirement: { certificatePolicies: ['mobile'] } }),
      /OIDs/,
    ],
    ['pinCode as a string', (o) => ({ ...o, requirement: { pinCode: 'yes' } }), /pinCode/],
    [
      'userVisibleData over 1500 base64 characters',
      (o) => ({ ...o, userVisibleData: 'x'.repeat(1200) }),
      /1500/,
    ],
    [
      'an unknown userVisibleDataFormat',
      (o) => ({ ...o, userVisibleDataFormat: 'html' }),
      /simpleMarkdownV1/,
    ],
    ['returnRisk as a string', (o) => ({ ...o, returnRisk: 'true' }), /returnRisk/],
    ['pollIntervalMs below 1 s', (o) => ({ ...o, pollIntervalMs: 10 }), /pollIntervalMs/],
    ['a fractional timeoutMs', (o) => ({ ...o, timeoutMs: 1.5 }), /timeoutMs/],
  ])('refuses %s with a config error', (_what, change, message) => {
    const error = configError(change(valid()));
    expect(error).toMatchObject({ kind: 'config', code: 'invalid_option' });
    expect((error as Error).message).toMatch(message);
  });

  it('accepts the RP certificate as PEM, several CAs, and every documented option', () => {
    expect(
      configError({
        baseUrl: BANKID_PRODUCTION_URL,
        cert: certs.client.cert,
        key: Buffer.from(certs.client.key),
        ca: [certs.ca, certs.foreignCa],
        requirement: {
          pinCode: true,
          mrtd: false,
          cardReader: 'class2',
          certificatePolicies: ['1.2.752.78.1.*'],
        },
        userVisibleData: 'x'.repeat(1125),
        userVisibleDataFormat: 'simpleMarkdownV1',
        returnRisk: true,
        timeoutMs: 5000,
        pollIntervalMs: 2000,
        maxResponseBytes: 65536,
        now: () => 0,
      }),
    ).toBeUndefined();
  });
});

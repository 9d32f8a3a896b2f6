/**
 * FAPI-CIBA against a real oidc-provider in its FAPI 1.0 profile: signed request objects required,
 * PS256/ES256 client assertions, a pinned ID token algorithm and the acr check.
 */
import { generateKeyPairSync } from 'node:crypto';
import { CibaProvider, type CibaProviderOptions } from '../../../lib/providers/ciba';
import * as requestObject from '../../../lib/providers/ciba/request-object';
import { startCibaOp, type CibaOp, type CibaOpClient } from '../../../lib/testing/ciba-op';
import { signal, startOnPhone } from './support';

const ops: CibaOp[] = [];
async function fapiOp(options: Parameters<typeof startCibaOp>[0] = {}): Promise<CibaOp> {
  const op = await startCibaOp({ fapi: true, ...options });
  ops.push(op);
  return op;
}
afterAll(() => Promise.all(ops.map((op) => op.close())));

function fapiProvider(op: CibaOp, client: CibaOpClient, options: Partial<CibaProviderOptions> = {}) {
  return new CibaProvider({ ...op.providerOptions(client), scope: 'openid email', ...options });
}

function jwtPart(jwt: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Starts, approves on the phone (with `acr` if given) and checks once. */
async function loginOnce(op: CibaOp, ciba: CibaProvider, acr?: string) {
  const { started } = await startOnPhone(op, ciba);
  await op.phone.approveNow(started.handle.authReqId as string, acr === undefined ? {} : { acr });
  return ciba.check(started.handle, signal());
}

let op: CibaOp;
beforeAll(async () => {
  op = await fapiOp();
});

describe.each([
  ['fapi-rsa', 'PS256'],
  ['fapi-ec', 'ES256'],
] as const)('%s client', (client, algorithm) => {
  test(`a ${algorithm}-signed request object is accepted and the login completes`, async () => {
    const ciba = fapiProvider(op, client, { requestedExpiry: 120, acrValues: 'urn:passport-push:phone' });
    const before = op.backchannelRequests.length;
    await expect(loginOnce(op, ciba)).resolves.toMatchObject({
      state: 'approved',
      subject: 'alice',
      claims: { email: 'alice@example.com', acr: 'urn:passport-push:phone' },
    });

    const sent = op.backchannelRequests[before];
    if (!sent) throw new Error('the OP saw no backchannel request');
    // Only the request object and client authentication travel outside the signature.
    expect([...sent.keys()].sort()).toEqual(
      ['client_assertion', 'client_assertion_type', 'client_id', 'request'].sort(),
    );
    const request = sent.get('request') ?? '';
    expect(jwtPart(request, 0)).toMatchObject({ alg: algorithm, typ: 'oauth-authz-req+jwt' });
    const claims = jwtPart(request, 1);
    expect(claims).toMatchObject({
      iss: `rp-${client}`,
      aud: op.issuer,
      client_id: `rp-${client}`,
      scope: 'openid email',
      login_hint: 'alice',
      requested_expiry: 120,
      acr_values: 'urn:passport-push:phone',
      binding_message: expect.stringMatching(/^[A-Z0-9]{5}$/),
    });
    const { iat, nbf, exp, jti } = claims as Record<string, number | string>;
    expect(typeof jti).toBe('string');
    expect(nbf).toBe(iat);
    expect((exp as number) - (nbf as number)).toBeGreaterThan(0);
    expect((exp as number) - (nbf as number)).toBeLessThanOrEqual(3600);
    // The client assertion is signed with the FAPI algorithm too.
    expect(jwtPart(sent.get('client_assertion') ?? '', 0)).toMatchObject({ alg: algorithm });
  });
});

describe('refused requests', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a request without a request object is refused, reported as a clear PushError', async () => {
    const ciba = new CibaProvider({
      ...op.providerOptions('fapi-rsa'),
      fapi: false,
      requestObject: undefined,
      clientAssertionAlgorithm: 'PS256',
    });
    await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'provider',
      code: 'unauthorized',
      message: expect.stringContaining('requires signed requests from this client; set requestObject'),
      details: { providerCode: 'invalid_request' },
    });
  });

  test('a request object signed with a key the OP does not know is refused', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ciba = fapiProvider(op, 'fapi-rsa', { requestObject: { algorithm: 'PS256', key: stranger } });
    await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'provider',
      code: 'unauthorized',
      message: expect.stringContaining('refused the signed request object'),
      details: { providerCode: 'invalid_request', description: expect.stringMatching(/Request Object/) },
    });
  });

  /** The real signer's JWT, changed on the way out by `tamper`. */
  function tamperedSigner(tamper: (jwt: string) => string): void {
    const real = requestObject.createRequestObjectSigner;
    jest.spyOn(requestObject, 'createRequestObjectSigner').mockImplementation((options) => {
      const signer = real(options);
      return { algorithm: signer.algorithm, sign: async (...args) => tamper(await signer.sign(...args)) };
    });
  }

  test('a tampered request object (another login_hint under the same signature) is refused', async () => {
    tamperedSigner((jwt) => {
      const [header, , signature] = jwt.split('.') as [string, string, string];
      const claims = { ...jwtPart(jwt, 1), login_hint: 'bob' };
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    });
    const ciba = fapiProvider(op, 'fapi-rsa');
    await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      code: 'unauthorized',
      details: { providerCode: 'invalid_request', description: expect.stringMatching(/Request Object/) },
    });
    expect(op.phone.pending('bob')).toEqual([]);
  });

  test('an unsigned request object (alg none) is refused', async () => {
    tamperedSigner((jwt) => {
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      return `${header}.${jwt.split('.')[1] ?? ''}.`;
    });
    const ciba = fapiProvider(op, 'fapi-ec');
    await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('refused the signed request object'),
      details: { providerCode: 'invalid_request', description: 'unsupported signed request alg' },
    });
  });
});

test('ping mode: the client_notification_token travels inside the signed request object', async () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ciba = new CibaProvider({
    ...op.providerOptions('ping'),
    requestObject: { algorithm: 'ES256', key },
  });
  const before = op.backchannelRequests.length;
  // rp-ping has no registered key, so the OP refuses; what matters here is what it received.
  await expect(ciba.start({ userId: 'alice' }, signal())).rejects.toMatchObject({ code: 'unauthorized' });
  const sent = op.backchannelRequests[before];
  expect([...(sent?.keys() ?? [])].sort()).toEqual(['client_id', 'request']);
  expect(jwtPart(sent?.get('request') ?? '', 1)).toMatchObject({
    client_notification_token: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
    login_hint: 'alice',
  });
});

describe('client assertion algorithm', () => {
  test('an OP that accepts only PS256/ES256 refuses an RS256 assertion and accepts the FAPI default', async () => {
    const rs256 = fapiProvider(op, 'fapi-rsa', { fapi: false, clientAssertionAlgorithm: 'RS256' });
    await expect(rs256.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      code: 'unauthorized',
      details: { providerCode: 'invalid_client' },
    });
    await expect(loginOnce(op, fapiProvider(op, 'fapi-rsa'))).resolves.toMatchObject({ state: 'approved' });
  });

  test('an OP restricted to ES256 refuses the PS256 assertion of an RSA key', async () => {
    const es256Only = await fapiOp({ fapi: { clientAuthSigningAlgs: ['ES256'] } });
    await expect(
      fapiProvider(es256Only, 'fapi-rsa').start({ userId: 'alice' }, signal()),
    ).rejects.toMatchObject({ code: 'unauthorized', details: { providerCode: 'invalid_client' } });
    await expect(loginOnce(es256Only, fapiProvider(es256Only, 'fapi-ec'))).resolves.toMatchObject({
      state: 'approved',
    });
  });
});

describe('ID token signing algorithm', () => {
  test('an RS256 ID token is refused when PS256 is pinned (the FAPI preset)', async () => {
    const rs256Op = await fapiOp({ fapi: { idTokenSigningAlg: 'RS256' } });
    await expect(loginOnce(rs256Op, fapiProvider(rs256Op, 'fapi-rsa'))).rejects.toMatchObject({
      kind: 'protocol',
      code: 'invalid_response',
      message: expect.stringContaining('"RS256", not PS256 or ES256'),
    });
  });

  test('control: the same OP is accepted when RS256 is allowed (no FAPI preset)', async () => {
    const rs256Op = await fapiOp({ fapi: { idTokenSigningAlg: 'RS256' } });
    const ciba = fapiProvider(rs256Op, 'fapi-rsa', {
      fapi: false,
      clientAssertionAlgorithm: 'PS256',
      idTokenSigningAlg: 'RS256',
    });
    await expect(loginOnce(rs256Op, ciba)).resolves.toMatchObject({ state: 'approved' });
  });

  test('an ES256 ID token passes an ES256 pin and fails a PS256 one', async () => {
    const es256Op = await fapiOp({ fapi: { idTokenSigningAlg: 'ES256' } });
    await expect(
      loginOnce(es256Op, fapiProvider(es256Op, 'fapi-ec', { idTokenSigningAlg: 'ES256' })),
    ).resolves.toMatchObject({ state: 'approved' });
    await expect(
      loginOnce(es256Op, fapiProvider(es256Op, 'fapi-ec', { idTokenSigningAlg: 'PS256' })),
    ).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

describe('acr', () => {
  const acrValues = ['urn:example:loa:high', 'urn:example:loa:substantial'];

  test('the phone approving with a requested acr is approval', async () => {
    const ciba = fapiProvider(op, 'fapi-ec', { acrValues });
    await expect(loginOnce(op, ciba, 'urn:example:loa:substantial')).resolves.toMatchObject({
      state: 'approved',
      claims: { acr: 'urn:example:loa:substantial' },
    });
  });

  test('the phone approving with another acr is refused with a clear message', async () => {
    const ciba = fapiProvider(op, 'fapi-ec', { acrValues });
    await expect(loginOnce(op, ciba, 'urn:example:loa:low')).rejects.toMatchObject({
      kind: 'protocol',
      code: 'invalid_response',
      message:
        'The ID token\'s acr "urn:example:loa:low" is not one of the requested acr_values (urn:example:loa:high, urn:example:loa:substantial).',
    });
  });

  test('without acrValues any acr is accepted', async () => {
    await expect(loginOnce(op, fapiProvider(op, 'fapi-ec'), 'urn:example:loa:low')).resolves.toMatchObject({
      state: 'approved',
    });
  });
});

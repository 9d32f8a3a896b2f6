/**
 * Which token errors are the client's configuration (a PushError naming the cause) and which mean
 * the sign-in request is spent or unknown (the `invalid` state): the code decides, a description
 * naming the certificate or DPoP and the OP's announced certificate binding are the only exceptions.
 */
import { PushError } from '../../../lib/errors';
import { tokenFailure, type Failure } from '../../../lib/providers/ciba/outcomes';
import type { TokenBinding } from '../../../lib/providers/ciba/token-errors';

const oauth = (code: string, description?: string): Failure => ({
  type: 'oauth',
  code,
  description,
  status: 400,
});
const plain: TokenBinding = { certificate: false, opBindsToCertificates: false };
const noCertificateAtBindingOp: TokenBinding = { certificate: false, opBindsToCertificates: true };
const withCertificate: TokenBinding = { certificate: true, opBindsToCertificates: true };

/** What tokenFailure made of the answer: the terminal state, or the PushError's fields. */
function outcome(failure: Failure, binding: TokenBinding) {
  try {
    return tokenFailure(failure, binding).state;
  } catch (error) {
    if (!(error instanceof PushError)) throw error;
    return { kind: error.kind, code: error.code, message: error.message, retryable: error.retryable };
  }
}

describe('invalid_grant', () => {
  test.each([
    ['the generic description, plain OP', oauth('invalid_grant', 'grant request is invalid'), plain],
    ['no description, plain OP', oauth('invalid_grant'), plain],
    [
      'a spent request, with a certificate presented',
      oauth('invalid_grant', 'grant request is invalid'),
      withCertificate,
    ],
  ])('%s: the request is spent or unknown', (_what, failure, binding) => {
    expect(outcome(failure, binding)).toBe('invalid');
  });

  test.each([
    [
      'oidc-provider: no certificate, the OP announces binding',
      oauth('invalid_grant', 'grant request is invalid'),
      noCertificateAtBindingOp,
    ],
    [
      'the description names mutual TLS',
      oauth('invalid_grant', 'mutual TLS client certificate not provided'),
      plain,
    ],
  ])('%s: the missing certificate is named (config)', (_what, failure, binding) => {
    expect(outcome(failure, binding)).toEqual({
      kind: 'config',
      code: 'unauthorized',
      retryable: false,
      message: expect.stringMatching(/TLS client certificate.*set tls: \{ cert, key \}\. \(invalid_grant\)$/),
    });
  });

  test('a certificate presented but not accepted is the provider side, and says which certificate', () => {
    expect(
      outcome(oauth('invalid_grant', 'certificate-bound token: certificate mismatch'), withCertificate),
    ).toEqual({
      kind: 'provider',
      code: 'unauthorized',
      retryable: false,
      message: expect.stringContaining('check that tls.cert is the one registered for this client'),
    });
  });

  test('DPoP binding is named as not supported', () => {
    expect(outcome(oauth('invalid_grant', 'DPoP proof JWT not provided'), plain)).toMatchObject({
      kind: 'provider',
      code: 'not_supported',
      message: expect.stringContaining('DPoP'),
    });
  });
});

describe('codes that are always the client configuration', () => {
  test.each([
    ['invalid_client', /client credentials/],
    ['unauthorized_client', /does not allow this client the CIBA grant/],
    ['unsupported_grant_type', /does not accept the CIBA grant/],
  ])('%s is unauthorized (provider), with a message saying what to check', (code, message) => {
    expect(outcome(oauth(code), plain)).toEqual({
      kind: 'provider',
      code: 'unauthorized',
      retryable: false,
      message: expect.stringMatching(message),
    });
  });

  test('a certificate that is not the TLS client certificate (an assertion x5c) keeps the generic message', () => {
    expect(outcome(oauth('invalid_client', 'x5c certificate chain is not valid'), plain)).toMatchObject({
      kind: 'provider',
      message: expect.stringContaining('check clientId and the client secret, key or certificate'),
    });
  });

  test("Keycloak's unauthorized_client for a missing holder-of-key certificate names the certificate", () => {
    const failure = oauth('unauthorized_client', 'Client Certification missing for MTLS HoK Token Binding');
    expect(outcome(failure, plain)).toMatchObject({
      kind: 'config',
      message: expect.stringContaining('set tls'),
    });
  });
});

test('the decisions of the user and the clock stay states, whatever the binding', () => {
  for (const binding of [plain, noCertificateAtBindingOp, withCertificate]) {
    expect(outcome(oauth('access_denied'), binding)).toBe('denied');
    expect(outcome(oauth('expired_token'), binding)).toBe('expired');
  }
});

test('other errors stay provider_error; the description stays out of the message', () => {
  expect(outcome(oauth('invalid_request', 'secret-looking detail'), noCertificateAtBindingOp)).toEqual({
    kind: 'provider',
    code: 'provider_error',
    retryable: false,
    message: 'The OpenID provider refused the token request (invalid_request).',
  });
});

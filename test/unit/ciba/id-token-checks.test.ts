/** The ID token algorithm pin and acr check, including ID tokens whose header is garbage. */
import fc from 'fast-check';
import { PushError } from '../../../lib/errors';
import { checkIdToken } from '../../../lib/providers/ciba/id-token-checks';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: unknown): string => `${b64(header)}.${b64({ sub: 'a' })}.sig`;
const pinned = { signingAlgs: ['PS256', 'ES256'], acrValues: undefined };

test('an ID token signed with a pinned algorithm passes; another is invalid_response', () => {
  expect(() => checkIdToken(token({ alg: 'ES256' }), {}, pinned)).not.toThrow();
  expect(() => checkIdToken(token({ alg: 'RS256' }), {}, pinned)).toThrow(
    expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('"RS256"') }),
  );
});

test('no pin, no check', () => {
  expect(() =>
    checkIdToken(token({ alg: 'RS256' }), {}, { signingAlgs: undefined, acrValues: undefined }),
  ).not.toThrow();
});

test('acr must be one of the requested acr_values', () => {
  const policy = { signingAlgs: undefined, acrValues: 'urn:high urn:substantial' };
  expect(() => checkIdToken(undefined, { acr: 'urn:high' }, policy)).not.toThrow();
  for (const claims of [{ acr: 'urn:low' }, {}, { acr: ['urn:high'] }, { acr: 'urn:high urn:substantial' }]) {
    expect(() => checkIdToken(undefined, claims, policy)).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    );
  }
});

test('a malformed ID token header is refused as invalid_response, never a crash (property)', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.constant(undefined),
        fc.jsonValue().map((v) => token(v)),
      ),
      (idToken) => {
        try {
          checkIdToken(idToken, {}, { signingAlgs: ['PS256'], acrValues: undefined });
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
          expect((error as PushError).code).toBe('invalid_response');
        }
      },
    ),
  );
});

import { PushError } from '../../../lib/errors';
import { DuoProvider } from '../../../lib/providers/duo';
import type { DuoHandle, DuoProviderOptions } from '../../../lib/providers/duo';
import type { PushProvider } from '../../../lib/providers/provider';

const valid: DuoProviderOptions = {
  integrationKey: 'DIWJ8X6AEYOR5OMC6TQ1',
  secretKey: 'Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep',
  apiHost: 'api-xxxxxxxx.duosecurity.com',
};

function configError(options: Partial<DuoProviderOptions> | null): PushError {
  try {
    new DuoProvider({ ...valid, ...options } as DuoProviderOptions);
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('DuoProvider options', () => {
  it('accepts the keys and host Duo gives an Auth API application', () => {
    const provider = new DuoProvider(valid);
    expect(provider).toMatchObject({
      name: 'duo',
      displayName: 'Duo',
      userId: 'required',
      subjectRule: 'must-match',
    });
    // The Auth API cannot withdraw a push: no cancel, and it still satisfies the contract.
    const asContract: PushProvider<DuoHandle> = provider;
    expect(asContract.cancel).toBeUndefined();
  });

  it.each([
    ['a missing integration key', { integrationKey: undefined }, /integrationKey/],
    ['a malformed integration key', { integrationKey: 'XX1234' }, /integrationKey/],
    ['a short secret key', { secretKey: 'short' }, /secretKey/],
    ['a missing apiHost', { apiHost: '' }, /apiHost is required/],
    ['an apiHost with a path', { apiHost: 'api-x.duosecurity.com/auth' }, /without a path/],
    ['plain http', { apiHost: 'http://api-x.duosecurity.com' }, /https/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a fractional statusWaitMs', { statusWaitMs: 1.5 }, /statusWaitMs/],
    ['a pushType with a newline', { pushType: 'Login\nnow' }, /pushType/],
  ])('refuses %s with a config PushError', (_name, options, message) => {
    const error = configError(options as Partial<DuoProviderOptions>);
    expect(error).toMatchObject({ kind: 'config', code: 'invalid_option' });
    expect(error.message).toMatch(message);
  });

  it('never repeats the secret key in an error', () => {
    const secretKey = 'not-a-valid-key-but-secret-anyway-123456!';
    expect(configError({ secretKey }).message).not.toContain(secretKey);
  });

  it('accepts an http apiHost only with allowInsecureHttp (local simulators)', () => {
    expect(
      () => new DuoProvider({ ...valid, apiHost: 'http://127.0.0.1:8080', allowInsecureHttp: true }),
    ).not.toThrow();
  });
});

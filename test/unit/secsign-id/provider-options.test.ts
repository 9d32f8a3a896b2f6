import { PNG } from 'pngjs';
import { PushError } from '../../../lib/errors';
import {
  SecSignIdProvider,
  normaliseSecSignId,
  toAccessPass,
  type SecSignIdProviderOptions,
} from '../../../lib/providers/secsign-id';

const valid: SecSignIdProviderOptions = {
  serviceName: 'Example Shop',
  serviceAddress: 'https://shop.example',
};

function configError(options: unknown): PushError {
  try {
    new SecSignIdProvider(options as SecSignIdProviderOptions);
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('SecSignIdProvider options', () => {
  it('accepts the minimal options and names itself secsign-id', () => {
    expect(new SecSignIdProvider(valid).name).toBe('secsign-id');
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /options object/],
    ['no serviceName', { serviceAddress: 'x' }, /serviceName is required/],
    ['a blank serviceName', { ...valid, serviceName: '   ' }, /serviceName must not be empty/],
    ['a long serviceName', { ...valid, serviceName: 'x'.repeat(256) }, /serviceName must have at most 255/],
    ['& in serviceName', { ...valid, serviceName: 'Tom & Jerry' }, /serviceName must not contain "&"/],
    [
      'a newline in serviceAddress',
      { ...valid, serviceAddress: 'a\nb' },
      /serviceAddress must not contain control/,
    ],
    ['no serviceAddress', { serviceName: 'x' }, /serviceAddress is required/],
    ['a non-string pluginName', { ...valid, pluginName: 3 }, /pluginName/],
    ['an http endpoint', { ...valid, endpoint: 'http://ids.example' }, /endpoint must use https/],
    [
      'an http fallback',
      { ...valid, fallbackEndpoint: 'http://ids.example' },
      /fallbackEndpoint must use https/,
    ],
    ['a bad URL', { ...valid, endpoint: 'not a url' }, /endpoint is not a valid URL/],
    ['credentials in the URL', { ...valid, endpoint: 'https://u:p@ids.example' }, /without credentials/],
    ['a query in the URL', { ...valid, endpoint: 'https://ids.example/?a=1' }, /without credentials, query/],
    ['a zero timeout', { ...valid, timeoutMs: 0 }, /timeoutMs must be a whole number/],
    ['a string timeout', { ...valid, timeoutMs: '15000' }, /timeoutMs must be a whole number/],
    [
      'a fractional poll interval',
      { ...valid, pollIntervalMs: 1.5 },
      /pollIntervalMs must be a whole number/,
    ],
    ['a tiny response cap', { ...valid, maxResponseBytes: 10 }, /maxResponseBytes must be a whole number/],
    ['an apiMethod with spaces', { ...valid, apiMethod: 'my api' }, /apiMethod must be/],
    [
      'a non-boolean showAccessPass',
      { ...valid, showAccessPass: 'no' },
      /showAccessPass must be true or false/,
    ],
    ['a non-boolean allowInsecureHttp', { ...valid, allowInsecureHttp: 1 }, /allowInsecureHttp must be/],
  ])('refuses %s with a config error', (_what, options, message) => {
    const error = configError(options);
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(message);
  });

  it('allows http endpoints only with allowInsecureHttp', () => {
    expect(
      () => new SecSignIdProvider({ ...valid, endpoint: 'http://127.0.0.1:1/', allowInsecureHttp: true }),
    ).not.toThrow();
  });

  it('accepts fallbackEndpoint: null and a custom apiMethod', () => {
    expect(
      () => new SecSignIdProvider({ ...valid, fallbackEndpoint: null, apiMethod: 'SecSignIDApi_JS' }),
    ).not.toThrow();
  });
});

describe('SecSign ID input', () => {
  it('lower-cases and trims the ID', () => {
    expect(normaliseSecSignId('  Alice.Smith@Example-1_x ')).toBe('alice.smith@example-1_x');
  });

  it.each([[''], ['   '], ['ali ce'], ['al&ice'], ['älice'], ['a'.repeat(256)], ['a%40b']])(
    'refuses %j as input',
    (id) => {
      expect(() => normaliseSecSignId(id)).toThrow(expect.objectContaining({ kind: 'input' }));
    },
  );

  it('refuses a bad ID before sending anything', async () => {
    const provider = new SecSignIdProvider({
      ...valid,
      endpoint: 'http://127.0.0.1:9/',
      fallbackEndpoint: null,
      allowInsecureHttp: true,
    });
    await expect(
      provider.start({ userId: 'no spaces please' }, AbortSignal.timeout(1000)),
    ).rejects.toMatchObject({
      kind: 'input',
    });
  });

  it('refuses a session handle that does not look like its own', async () => {
    const provider = new SecSignIdProvider({
      ...valid,
      endpoint: 'http://127.0.0.1:9/',
      allowInsecureHttp: true,
    });
    const handle = { secsignid: 'alice', authsessionid: '1&request=x', requestid: 'AB'.repeat(32) };
    await expect(provider.check(handle, AbortSignal.timeout(1000))).rejects.toMatchObject({ kind: 'state' });
    await expect(provider.check({}, AbortSignal.timeout(1000))).rejects.toMatchObject({ kind: 'state' });
  });
});

describe('access pass validation', () => {
  const png = PNG.sync.write(new PNG({ width: 88, height: 88 })).toString('base64');

  it('returns a PNG as a data URL', () => {
    expect(toAccessPass(png)).toBe(`data:image/png;base64,${png}`);
  });

  it.each([
    ['not base64', 'not base64!'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(60)]).toString('base64')],
    ['a truncated PNG', Buffer.from(png, 'base64').subarray(0, 60).toString('base64')],
    ['a URL-decoded PNG (spaces for +)', png.replace(/[A-Z]/, ' ')],
    ['HTML', Buffer.from('<script>alert(1)</script>').toString('base64')],
  ])('refuses %s', (_what, icon) => {
    expect(() => toAccessPass(icon)).toThrow(
      expect.objectContaining({ kind: 'protocol', code: 'invalid_response' }),
    );
  });
});

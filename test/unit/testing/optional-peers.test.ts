/**
 * pngjs and oidc-provider are optional peers that only passport-push/testing uses: importing it
 * works without them, and the simulator that needs one fails with a PushError that says what to
 * install, instead of a bare "Cannot find module".
 */
import { PushError } from '../../../lib/errors';
import { isNotFound, missingPeerError, requirePeer } from '../../../lib/testing/optional-peer';

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}' from 'lib/testing/optional-peer.ts'`), {
    code: 'MODULE_NOT_FOUND',
  });
}

/** Runs `body` with a fresh module registry in which `require('pngjs')` fails as if not installed. */
function withoutPngjs<T>(body: () => T): T {
  let result: T | undefined;
  jest.isolateModules(() => {
    jest.doMock('pngjs', () => {
      throw notFound('pngjs');
    });
    result = body();
  });
  jest.dontMock('pngjs');
  return result as T;
}

describe('optional peers of passport-push/testing', () => {
  it('names the install line when a peer is not installed', () => {
    let thrown: unknown;
    try {
      requirePeer('passport-push-no-such-package', 'This test');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PushError);
    expect(thrown).toMatchObject({ kind: 'config', code: 'missing_peer_dependency' });
    expect((thrown as Error).message).toContain('npm install -D passport-push-no-such-package');
  });

  it('loads an installed peer', () => {
    expect(requirePeer<typeof import('pngjs')>('pngjs', 'This test').PNG).toEqual(expect.any(Function));
  });

  it('passes on other failures unchanged: a peer that is present but broken is not "missing"', () => {
    const nested = notFound('zlib-helper-of-pngjs');
    expect(isNotFound(nested, 'pngjs')).toBe(false);
    expect(isNotFound(new TypeError('boom'), 'pngjs')).toBe(false);
    expect(isNotFound(notFound('pngjs'), 'pngjs')).toBe(true);
    const esm = Object.assign(new Error("Cannot find package 'oidc-provider' imported from /app/x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(isNotFound(esm, 'oidc-provider')).toBe(true);
    expect(missingPeerError('oidc-provider', 'startCibaOp', esm).message).toBe(
      'startCibaOp needs the oidc-provider package, an optional peer dependency of passport-push: npm install -D oidc-provider',
    );
  });

  it('imports passport-push/testing without pngjs, and the SecSign ID simulator says to install it', async () => {
    const start = withoutPngjs(() => {
      // require, not import: only a require inside isolateModules sees the mocked registry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const testing = require('../../../lib/testing') as typeof import('../../../lib/testing');
      expect(testing.ScriptedProvider).toEqual(expect.any(Function));
      return testing.SecSignIdSimulator.start();
    });
    // The isolated registry has its own PushError class: compare by name and fields.
    await expect(start).rejects.toMatchObject({
      name: 'PushError',
      kind: 'config',
      code: 'missing_peer_dependency',
      message: expect.stringContaining(
        'SecSignIdSimulator (its access-pass pictures) needs the pngjs package',
      ),
    });
    await expect(start).rejects.toThrow(/npm install -D pngjs$/);
  });
});

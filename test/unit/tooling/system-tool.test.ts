/** A suite that needs redis-server never skips in silence, and never skips in CI. */
import { runsWith } from '../../helpers/system-tool';

const install = 'apt-get install redis-server';

describe('runsWith', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs the suite when the program is there', () => {
    expect(runsWith('redis-server', true, install, { CI: 'true' })).toBe(true);
    expect(written).toEqual([]);
  });

  it('skips locally, saying what is missing and how to install it', () => {
    expect(runsWith('redis-server', false, install, {})).toBe(false);
    expect(written.join('')).toContain('SKIPPED: redis-server is not on PATH');
    expect(written.join('')).toContain(install);
  });

  it('fails in CI instead of skipping', () => {
    expect(() => runsWith('redis-server', false, install, { CI: 'true' })).toThrow(
      /redis-server is not on PATH, and CI must not skip.*apt-get install redis-server/,
    );
    expect(() => runsWith('redis-server', false, install, { CI: '1' })).toThrow();
    expect(runsWith('redis-server', false, install, { CI: 'false' })).toBe(false);
  });
});

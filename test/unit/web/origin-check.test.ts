/**
 * The CSRF decision on its own: Fetch Metadata first, then Origin, then Referer, compared by
 * scheme, host and port. Fuzzed: no cross-site request is ever accepted.
 */
import fc from 'fast-check';
import { checkOrigin, originCheckSetting, type OriginFacts } from '../../../lib/web/origin-check';

const app: OriginFacts = { host: 'app.example:3000', protocol: 'http' };

describe('with Fetch Metadata (every current browser)', () => {
  const ok = { allowed: true };
  const no = (reason: string) => ({ allowed: false, reason });
  test.each([
    ['same-origin', undefined, ok],
    ['same-origin', { allowSameSite: true }, ok],
    [' Same-Origin ', undefined, ok],
    ['same-site', undefined, no('same_site')],
    ['same-site', { allowSameSite: true }, ok],
    ['cross-site', undefined, no('cross_site')],
    ['cross-site', { allowSameSite: true }, no('cross_site')],
    ['none', undefined, no('user_navigation')],
    ['none', { allowSameSite: true }, no('user_navigation')],
    ['something-new', undefined, no('unknown_fetch_site')],
    ['', undefined, no('unknown_fetch_site')],
  ])('Sec-Fetch-Site: %p %o → %o', (fetchSite, options, verdict) => {
    expect(checkOrigin({ ...app, fetchSite }, options)).toEqual(verdict);
  });

  test('same-origin wins over the Origin "null" a no-referrer page makes Chromium send', () => {
    expect(checkOrigin({ ...app, fetchSite: 'same-origin', origin: 'null' }).allowed).toBe(true);
  });

  test('cross-site is refused even when Origin and Referer name the app', () => {
    const origin = 'http://app.example:3000';
    expect(checkOrigin({ ...app, fetchSite: 'cross-site', origin, referer: `${origin}/login` }).allowed).toBe(
      false,
    );
  });
});

describe('without Fetch Metadata (older browsers, other clients)', () => {
  test.each([
    [{ origin: 'http://app.example:3000' }, true],
    [{ origin: 'HTTP://APP.EXAMPLE:3000' }, true],
    [{ origin: 'https://app.example:3000' }, false], // another scheme
    [{ origin: 'http://app.example:3001' }, false], // another port
    [{ origin: 'http://app.example' }, false],
    [{ origin: 'http://evil.example:3000' }, false],
    [{ origin: 'http://sub.app.example:3000' }, false],
    [{ origin: 'null' }, false],
    [{ origin: 'not a url' }, false],
    [{ origin: '' }, false],
    [{ referer: 'http://app.example:3000/login?x=1' }, true],
    [{ referer: 'http://evil.example/form' }, false],
    [{ origin: 'null', referer: 'http://app.example:3000/login' }, false], // Origin decides
    [{}, true], // not a cross-site browser POST: browsers send Origin on those
  ])('%o → allowed %s', (headers, allowed) => {
    expect(checkOrigin({ ...app, ...headers })).toEqual(
      allowed ? { allowed: true } : { allowed: false, reason: 'other_origin' },
    );
  });

  test('an IPv6 host compares like any other', () => {
    const v6: OriginFacts = { host: '[::1]:3000', protocol: 'http' };
    expect(checkOrigin({ ...v6, origin: 'http://[::1]:3000' }).allowed).toBe(true);
    expect(checkOrigin({ ...v6, origin: 'http://[::2]:3000' }).allowed).toBe(false);
  });

  test('the scheme is the one the app sees (req.protocol, i.e. behind a trusted proxy)', () => {
    const proxied: OriginFacts = { host: 'app.example', protocol: 'https' };
    expect(checkOrigin({ ...proxied, origin: 'https://app.example' }).allowed).toBe(true);
    expect(checkOrigin({ ...proxied, origin: 'https://app.example:443' }).allowed).toBe(true);
    expect(checkOrigin({ ...proxied, origin: 'http://app.example' }).allowed).toBe(false);
  });
});

test('a request that came in over neither http nor https has no origin of ours to match', () => {
  const facts = { host: 'app.example:3000', origin: 'ftp://app.example:3000' };
  expect(checkOrigin({ ...facts, protocol: 'ftp', fetchSite: 'same-origin' })).toEqual({
    allowed: false,
    reason: 'no_host',
  });
});

describe('the router option checkOrigin', () => {
  test.each([
    [undefined, {}],
    [true, {}],
    [false, false],
    [{ allowSameSite: true }, { allowSameSite: true }],
  ])('%p runs the check %p', (option, setting) => {
    expect(originCheckSetting(option)).toEqual(setting);
  });
});

describe('a request without a usable Host is refused', () => {
  test.each([undefined, '', 'app.example/evil', 'evil@app.example', 'a b', 'app.example:port'])(
    'Host %p',
    (host) => {
      expect(checkOrigin({ host, protocol: 'http', fetchSite: 'same-origin' })).toEqual({
        allowed: false,
        reason: 'no_host',
      });
      expect(checkOrigin({ host, protocol: 'http' }).allowed).toBe(false);
    },
  );
});

describe('never accepts a cross-site request (fuzzed)', () => {
  const hosts = fc.oneof(fc.domain(), fc.constantFrom('127.0.0.1', 'localhost', '[::1]'));
  const ports = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
  const schemes = fc.constantFrom('http', 'https');
  const hostPort = fc.tuple(hosts, ports).map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
  const anyHeader = fc.option(fc.oneof(fc.webUrl(), fc.string(), fc.constant('null')), { nil: undefined });
  const allowSameSite = fc.boolean();

  test('Sec-Fetch-Site: cross-site, whatever else the request says', () => {
    fc.assert(
      fc.property(
        schemes,
        hostPort,
        anyHeader,
        anyHeader,
        allowSameSite,
        (protocol, host, origin, referer, s) => {
          const facts = { protocol, host, origin, referer, fetchSite: 'cross-site' };
          expect(checkOrigin(facts, { allowSameSite: s }).allowed).toBe(false);
        },
      ),
    );
  });

  test('an Origin (or Referer) of another scheme, host or port', () => {
    fc.assert(
      fc.property(
        schemes,
        hostPort,
        schemes,
        hostPort,
        fc.webPath(),
        fc.boolean(),
        (protocol, host, otherScheme, otherHost, path, asReferer) => {
          const ours = new URL(`${protocol}://${host}`).origin;
          const theirs = new URL(`${otherScheme}://${otherHost}`).origin;
          fc.pre(ours !== theirs);
          const claimed = asReferer ? { referer: `${theirs}${path}` } : { origin: theirs };
          expect(checkOrigin({ protocol, host, ...claimed }).allowed).toBe(false);
        },
      ),
    );
  });

  test('same-site is refused unless allowed', () => {
    fc.assert(
      fc.property(schemes, hostPort, anyHeader, (protocol, host, origin) => {
        expect(checkOrigin({ protocol, host, origin, fetchSite: 'same-site' }).allowed).toBe(false);
      }),
    );
  });
});

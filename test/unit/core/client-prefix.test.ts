/** clientPrefix: one client per IPv4 address or IPv6 prefix, whatever spelling the address has. */
import { clientPrefix } from '../../../lib/core/client-prefix';

test('IPv4 is the address itself', () => {
  expect(clientPrefix('192.0.2.1')).toBe('192.0.2.1');
  expect(clientPrefix(' 192.0.2.1 ')).toBe('192.0.2.1');
});

test('IPv4-mapped IPv6 is the IPv4 address (Express gives ::ffff:a.b.c.d on dual-stack sockets)', () => {
  expect(clientPrefix('::ffff:192.0.2.1')).toBe('192.0.2.1');
  expect(clientPrefix('::FFFF:c000:0201')).toBe('192.0.2.1');
});

test('IPv6 by its /56 by default: every address of one customer prefix is one client', () => {
  expect(clientPrefix('2001:db8:1:2::9')).toBe('2001:db8:1::/56');
  expect(clientPrefix('2001:db8:1:ff:ffff:ffff:ffff:ffff')).toBe('2001:db8:1::/56');
  expect(clientPrefix('2001:0DB8:0001:00AB::1')).toBe('2001:db8:1::/56');
  expect(clientPrefix('2001:db8:1:100::1')).toBe('2001:db8:1:100::/56');
});

test('the prefix length is configurable and clamped to 0..128', () => {
  expect(clientPrefix('2001:db8:1:2:3:4:5:6', 64)).toBe('2001:db8:1:2::/64');
  expect(clientPrefix('2001:db8:1:2:3:4:5:6', 48)).toBe('2001:db8:1::/48');
  expect(clientPrefix('2001:db8:1:2:3:4:5:6', 60)).toBe('2001:db8:1::/60');
  expect(clientPrefix('2001:db8:1:2:3:4:5:6', 128)).toBe('2001:db8:1:2:3:4:5:6/128');
  expect(clientPrefix('2001:db8:1:2:3:4:5:6', 999)).toBe('2001:db8:1:2:3:4:5:6/128');
  expect(clientPrefix('2001:db8::1', -1)).toBe('::/0');
  expect(clientPrefix('2001:db8:1:2::1', 63)).toBe('2001:db8:1:2::/63');
  expect(clientPrefix('2001:db8:1:3::1', 63)).toBe('2001:db8:1:2::/63');
});

test('an embedded IPv4 tail, a zone index and the shortest forms', () => {
  expect(clientPrefix('64:ff9b::192.0.2.1', 128)).toBe('64:ff9b::c000:201/128');
  expect(clientPrefix('fe80::1%eth0', 64)).toBe('fe80::/64');
  expect(clientPrefix('::1', 128)).toBe('::1/128');
  expect(clientPrefix('::', 56)).toBe('::/56');
});

test('what is not an IP address is kept as it is (one client per value, never a throw)', () => {
  expect(clientPrefix('unknown')).toBe('unknown');
  expect(clientPrefix('1.2.3')).toBe('1.2.3');
  expect(clientPrefix('2001:db8::g')).toBe('2001:db8::g');
});

/**
 * Who a client is, for counting: an IPv4 address, or the IPv6 prefix it was given. One ISP customer
 * gets a whole IPv6 prefix (a /64 at the least, often a /56 or /48), so counting full IPv6 addresses
 * would let one client be billions of clients. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is the IPv4
 * address. Used by the start limiter and the notify limit alike.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The IPv6 prefix length clients are counted by when none is configured: a /56, as
 * express-rate-limit's `ipv6Subnet` (many ISPs hand out a /56; a /64 would count one home as 256).
 */
export const DEFAULT_IPV6_SUBNET = 56;

/**
 * The counting key of `ip`: the IPv4 address, `a:b:c:d::/56` for IPv6 (the address with the bits
 * past `ipv6Subnet` cleared), or the input itself when it is not an IP address (a test's or a
 * proxy's label; still one client per value).
 */
export function clientPrefix(ip: string, ipv6Subnet: number = DEFAULT_IPV6_SUBNET): string {
  const address = ip.trim();
  if (isIPv4(address)) return address;
  // A zone index (`fe80::1%eth0`) names the interface, not the client.
  const bare = address.split('%')[0] ?? address;
  if (!isIPv6(bare)) return address;
  const words = ipv6Words(bare);
  if (isMappedIPv4(words)) {
    return [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff].join('.');
  }
  const bits = Math.min(128, Math.max(0, Math.floor(ipv6Subnet)));
  const masked = words.map((word, i) => {
    const keep = Math.min(16, Math.max(0, bits - i * 16));
    return keep === 0 ? 0 : word & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${compress(masked)}/${bits}`;
}

/** The eight 16-bit words of a valid IPv6 address (an embedded IPv4 tail included). */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((word) => parseInt(word, 16));
}

function isMappedIPv4(words: number[]): boolean {
  return words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff;
}

/** RFC 5952 text: the longest run of two or more zero words becomes `::`. */
function compress(words: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < words.length;) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < words.length && words[end] === 0) end += 1;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = end;
  }
  const hex = words.map((word) => word.toString(16));
  if (best.length < 2) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}

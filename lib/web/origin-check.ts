/**
 * The CSRF check for state-changing POSTs, written for what real browsers send.
 *
 * Fetch Metadata (`Sec-Fetch-Site`) decides when present: browsers set it on every request and no
 * page can forge it. Only when it is absent (older browsers, non-browser clients) do `Origin`, then
 * `Referer`, decide, compared by scheme, host and port with the URL the request was sent to.
 */
import type { Request } from 'express';

/**
 * How strict the cross-site check is.
 *
 * @example
 * ```ts
 * import { pushLogin } from 'passport-push';
 *
 * // Also accept POSTs from sibling subdomains (same site).
 * pushLogin({ strategy, checkOrigin: { allowSameSite: true } });
 * ```
 */
export interface OriginCheckOptions {
  /**
   * Accept `Sec-Fetch-Site: same-site` (a sibling subdomain, or the same host on another port or
   * scheme). Default false: a sibling subdomain is another trust domain.
   */
  allowSameSite?: boolean;
}

/** What the check needs from a request (plain values, so the decision is testable on its own). */
export interface OriginFacts {
  /** `Sec-Fetch-Site`, if sent. */
  fetchSite?: string | undefined;
  /** `Origin`, if sent. */
  origin?: string | undefined;
  /** `Referer`, if sent. */
  referer?: string | undefined;
  /** `Host`, if sent. */
  host?: string | undefined;
  /** The scheme the client used (`req.protocol`: honours Express's `trust proxy`). */
  protocol: string;
}

/** Why a request was refused, or that it may go on. */
export type OriginVerdict =
  | { allowed: true }
  | {
      allowed: false;
      reason:
        'no_host' | 'cross_site' | 'same_site' | 'user_navigation' | 'unknown_fetch_site' | 'other_origin';
    };

const ALLOWED: OriginVerdict = { allowed: true };

/** A Host header is a host name or IP literal and an optional port: nothing that bends a URL. */
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/** Decides whether a POST may change state in the user's session. */
export function checkOrigin(facts: OriginFacts, options: OriginCheckOptions = {}): OriginVerdict {
  const own = ownOrigin(facts.protocol, facts.host);
  if (own === undefined) return { allowed: false, reason: 'no_host' };

  if (facts.fetchSite !== undefined) {
    switch (facts.fetchSite.trim().toLowerCase()) {
      case 'same-origin':
        return ALLOWED;
      case 'same-site':
        return options.allowSameSite === true ? ALLOWED : { allowed: false, reason: 'same_site' };
      case 'cross-site':
        return { allowed: false, reason: 'cross_site' };
      case 'none':
        // A navigation the user started (address bar, bookmark): no page can make it a POST, so a
        // POST that claims it is not one of ours.
        return { allowed: false, reason: 'user_navigation' };
      default:
        return { allowed: false, reason: 'unknown_fetch_site' };
    }
  }

  // No Fetch Metadata: an older browser or not a browser. The first of Origin and Referer decides;
  // "null" and anything unparsable never match. With neither, it is not a cross-site browser POST
  // (browsers send Origin on every cross-origin POST); SameSite cookies cover the rest.
  const claimed = facts.origin ?? facts.referer;
  if (claimed === undefined) return ALLOWED;
  return originOf(claimed) === own ? ALLOWED : { allowed: false, reason: 'other_origin' };
}

/** A router's `checkOrigin` option as the check to run, or false when turned off. */
export function originCheckSetting(
  option: boolean | OriginCheckOptions | undefined,
): OriginCheckOptions | false {
  if (option === false) return false;
  return option === true || option === undefined ? {} : option;
}

/** The facts of an Express request. */
export function originFacts(req: Request): OriginFacts {
  return {
    fetchSite: req.get('sec-fetch-site'),
    origin: req.get('origin'),
    referer: req.get('referer'),
    host: req.get('host'),
    protocol: req.protocol,
  };
}

function ownOrigin(protocol: string, host: string | undefined): string | undefined {
  if (host === undefined || !HOST_PATTERN.test(host)) return undefined;
  if (protocol !== 'http' && protocol !== 'https') return undefined;
  return originOf(`${protocol}://${host}`);
}

/** The serialized origin of a URL (scheme, host, port; default ports dropped), if it parses. */
function originOf(url: string): string | undefined {
  // Any scheme: ours is http(s) (ownOrigin), so another scheme's origin (or "null") never matches.
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/**
 * The device cookie: after a completed login, the browser gets a signed cookie naming a random
 * device id and the (hashed) user IDs that logged in there recently. On the next start it makes
 * the browser its own client for the per-(ID, client) limit, and a browser trusted for the typed ID
 * skips the per-ID windows, so an attacker's burst at that ID cannot lock its owner out.
 *
 * Value: `<device id>.<expiry, Unix seconds>.<user hash>~<user hash>….<HMAC-SHA256>`. The user
 * hashes are keyed (HMAC) so that the cookie does not reveal which IDs logged in there.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DeviceTrust } from '../core/login';
import { PushError } from '../errors';

/** Options of {@link DeviceCookie}; `pushLogin` passes its `deviceSecret`, `deviceCookieName` and `deviceTrustMs`. */
export interface DeviceCookieOptions {
  /** The HMAC key: at least 32 characters, random, and kept out of the code and the logs. */
  secret: string;
  /** Default `__Host-push-device` on HTTPS requests, `push-device` on plain HTTP. */
  name?: string;
  /** How long a completed login keeps the browser trusted. Default 30 days. */
  maxAgeMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** At most this many user IDs per browser: the newest logins count, older ones drop out. */
export const MAX_TRUSTED_IDS = 5;
const DEFAULT_MAX_AGE_MS = 30 * 24 * 60 * 60_000;
const MIN_SECRET_LENGTH = 32;

/** 128 bits, base64url: device ids and user hashes. */
const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** A whole SHA-256 MAC, base64url. */
const MAC = /^[A-Za-z0-9_-]{43}$/;
const SECONDS = /^[0-9]{1,12}$/;

/** A browser's device cookie, read from requests and written after completed logins. */
export class DeviceCookie {
  private readonly secret: string;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DeviceCookieOptions) {
    if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
      throw new PushError(
        'config',
        `\`deviceSecret\` must be a random string of at least ${MIN_SECRET_LENGTH} characters.`,
        { code: 'invalid_option' },
      );
    }
    const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
      throw new PushError('config', '`deviceTrustMs` must be a positive number of milliseconds.', {
        code: 'invalid_option',
      });
    }
    this.secret = options.secret;
    this.maxAgeMs = maxAgeMs;
    this.now = options.now ?? Date.now;
  }

  /** The cookie's name for this request (the `__Host-` prefix needs HTTPS). */
  nameFor(req: Request): string {
    return this.options.name ?? (req.secure ? '__Host-push-device' : 'push-device');
  }

  /** The request's valid device cookie, or undefined (none, forged, tampered or expired). */
  read(req: Request): DeviceTrust | undefined {
    for (const value of cookieValues(req.headers.cookie, this.nameFor(req))) {
      const trust = this.parse(value);
      if (trust) return trust;
    }
    return undefined;
  }

  /** After a completed login for `userId`: the cookie now also trusts that ID, for `maxAgeMs` more. */
  remember(req: Request, res: Response, userId: string): void {
    res.cookie(this.nameFor(req), this.issue(this.read(req), userId), {
      httpOnly: true,
      secure: req.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: this.maxAgeMs,
    });
  }

  /** The cookie value trusting `userId` (newest first) on top of what `previous` trusted. */
  issue(previous: DeviceTrust | undefined, userId: string): string {
    const id = previous?.id ?? randomBytes(16).toString('base64url');
    const hash = this.userHash(userId);
    const earlier = previous instanceof Trust ? previous.hashes.filter((h) => h !== hash) : [];
    const hashes = [hash, ...earlier].slice(0, MAX_TRUSTED_IDS);
    const expires = Math.floor((this.now() + this.maxAgeMs) / 1000);
    const payload = `${id}.${expires}.${hashes.join('~')}`;
    return `${payload}.${this.mac(payload)}`;
  }

  private parse(value: string): Trust | undefined {
    const parts = value.split('.');
    if (parts.length !== 4) return undefined;
    const [id, expires, list, mac] = parts as [string, string, string, string];
    if (!TOKEN.test(id) || !SECONDS.test(expires) || !MAC.test(mac)) return undefined;
    // Compared as text: base64url decoding ignores the last character's spare bits.
    const expected = Buffer.from(this.mac(`${id}.${expires}.${list}`));
    if (!timingSafeEqual(Buffer.from(mac), expected)) return undefined;
    if (Number(expires) * 1000 <= this.now()) return undefined;
    const hashes = list.split('~');
    if (hashes.length > MAX_TRUSTED_IDS || !hashes.every((h) => TOKEN.test(h))) return undefined;
    return new Trust(id, hashes, (userId) => this.userHash(userId));
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`push-device/v1 ${payload}`).digest('base64url');
  }

  /** IDs compare case-insensitively, as the limiter counts them. */
  private userHash(userId: string): string {
    const digest = createHmac('sha256', this.secret).update(`push-user/v1 ${userId.toLowerCase()}`).digest();
    return digest.subarray(0, 16).toString('base64url');
  }
}

class Trust implements DeviceTrust {
  constructor(
    readonly id: string,
    readonly hashes: readonly string[],
    private readonly hashOf: (userId: string) => string,
  ) {}

  trusts(userId: string): boolean {
    return this.hashes.includes(this.hashOf(userId));
  }
}

/** Every value of cookie `name` in a Cookie header (a sibling subdomain may have set one more). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (typeof header !== 'string') return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) values.push(pair.slice(at + 1).trim());
  }
  return values;
}

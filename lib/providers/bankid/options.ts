/**
 * BankIdProvider's options and their checks: everything wrong in the configuration fails at
 * construction with a `config` error, never at the first login.
 */
import { PushError } from '../../errors';
import type { BankIdTls } from './transport';

/**
 * BankID's test environment (needs a test RP certificate and the test server CA).
 *
 * @example
 * ```ts
 * import { BANKID_TEST_URL } from 'passport-push';
 *
 * console.log(BANKID_TEST_URL); // BankID's test environment
 * ```
 */
export const BANKID_TEST_URL = 'https://appapi2.test.bankid.com/rp/v6.0';
/**
 * BankID's production environment.
 *
 * @example
 * ```ts
 * import { BANKID_PRODUCTION_URL } from 'passport-push';
 *
 * console.log(BANKID_PRODUCTION_URL);
 * ```
 */
export const BANKID_PRODUCTION_URL = 'https://appapi2.bankid.com/rp/v6.0';

/**
 * Conditions BankID enforces on the order (RP API v6 `requirement`); the personal number comes from the typed user ID.
 */
export interface BankIdRequirement {
  /** Require the security code even where the user has turned on biometrics. */
  pinCode?: boolean;
  /** Require the user to scan a machine-readable travel document (passport, national ID card). */
  mrtd?: boolean;
  /** Which card reader a BankID on card may use. */
  cardReader?: 'class1' | 'class2';
  /** Certificate policy OIDs the user's BankID must carry (e.g. `1.2.752.78.1.5` for Mobile BankID). */
  certificatePolicies?: readonly string[];
}

/**
 * How to reach BankID and what to ask of every order.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { BankIdProvider, BANKID_TEST_URL, type BankIdProviderOptions } from 'passport-push';
 *
 * const options: BankIdProviderOptions = {
 *   baseUrl: BANKID_TEST_URL,
 *   pfx: readFileSync('rp.p12'),
 *   ca: readFileSync('bankid-ca.pem'),
 *   userVisibleData: 'Log in to Example Shop',
 * };
 * new BankIdProvider(options);
 * ```
 */
export interface BankIdProviderOptions {
  /** `BANKID_TEST_URL`, `BANKID_PRODUCTION_URL`, or a simulator's `url`. Required, so nobody hits production by accident. */
  baseUrl: string;
  /** The RP certificate as PKCS#12 (with `passphrase`), or use `cert` + `key`. */
  pfx?: Buffer;
  /** The PKCS#12 passphrase. */
  passphrase?: string;
  /** The RP certificate as PEM (with `key`). */
  cert?: string | Buffer;
  /** The RP certificate's private key as PEM. */
  key?: string | Buffer;
  /** The CA that signed BankID's server certificate (test and production differ). Required: no public CA is trusted. */
  ca: string | Buffer | readonly (string | Buffer)[];
  /** Conditions on every order. */
  requirement?: BankIdRequirement;
  /** Text shown in the app (sent base64-encoded; at most 1 500 characters once encoded). A `StartRequest.message` replaces it. */
  userVisibleData?: string;
  /** `simpleMarkdownV1` lets `userVisibleData` use BankID's simple Markdown. */
  userVisibleDataFormat?: 'simpleMarkdownV1';
  /** Ask BankID for its risk assessment (`completionData.risk`). Default false. */
  returnRisk?: boolean;
  /** Per-call timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** How often to collect, in ms. Default 2000, as BankID asks. */
  pollIntervalMs?: number;
  /** Larger answers are refused. Default 256 KiB. */
  maxResponseBytes?: number;
  /** The clock, for tests that move time (the QR code counts seconds). Default `Date.now`. */
  now?: () => number;
}

/** Options after their checks. */
export interface ResolvedBankIdOptions {
  baseUrl: URL;
  tls: BankIdTls;
  requirement: Readonly<Record<string, boolean | string | readonly string[]>>;
  userVisibleData: string | undefined;
  userVisibleDataFormat: 'simpleMarkdownV1' | undefined;
  returnRisk: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  maxResponseBytes: number;
  now: () => number;
}

/** BankID's limit on `userVisibleData`, counted after base64-encoding. */
export const MAX_USER_VISIBLE_DATA = 1500;
const OID = /^[0-2](?:\.\d{1,10}){1,20}(?:\.\*)?$/;

function fail(message: string): never {
  throw new PushError('config', `BankIdProvider: ${message}`, { code: 'invalid_option' });
}

function isPem(value: unknown): value is string | Buffer {
  return (typeof value === 'string' && value.includes('-----BEGIN')) || Buffer.isBuffer(value);
}

function integer(
  value: number | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`${name} must be an integer from ${min} to ${max}.`);
  return value;
}

function booleanOption(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(`${name} must be true or false.`);
  return value;
}

/** Encodes text for the app; undefined when there is none. */
export function encodeUserVisibleData(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return Buffer.from(text, 'utf8').toString('base64');
}

function tlsFrom(options: BankIdProviderOptions): BankIdTls {
  const hasPfx = options.pfx !== undefined;
  const hasPem = options.cert !== undefined || options.key !== undefined;
  if (hasPfx === hasPem) fail('give the client certificate either as pfx (+ passphrase) or as cert + key.');
  if (hasPfx && !Buffer.isBuffer(options.pfx)) fail('pfx must be a Buffer (the .p12 file read as bytes).');
  if (options.passphrase !== undefined && typeof options.passphrase !== 'string')
    fail('passphrase must be a string.');
  if (hasPem && !(isPem(options.cert) && isPem(options.key))) fail('cert and key must both be PEM text.');
  const cas = Array.isArray(options.ca) ? options.ca : [options.ca];
  if (cas.length === 0 || !cas.every(isPem))
    fail("ca must be the PEM of the CA that signed BankID's server certificate.");
  const tls: BankIdTls = { ca: options.ca };
  if (hasPfx) tls.pfx = options.pfx;
  if (options.passphrase !== undefined) tls.passphrase = options.passphrase;
  if (hasPem) {
    tls.cert = options.cert;
    tls.key = options.key;
  }
  return tls;
}

function requirementFrom(value: BankIdRequirement | undefined): ResolvedBankIdOptions['requirement'] {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) fail('requirement must be an object.');
  const known = new Set(['pinCode', 'mrtd', 'cardReader', 'certificatePolicies']);
  for (const key of Object.keys(value)) {
    if (key === 'personalNumber')
      fail('requirement.personalNumber comes from the user ID the user types; do not set it.');
    if (!known.has(key)) fail(`requirement.${key} is not a BankID v6 requirement this provider supports.`);
  }
  const requirement: Record<string, boolean | string | readonly string[]> = {};
  const pinCode = booleanOption(value.pinCode, 'requirement.pinCode');
  if (pinCode !== undefined) requirement['pinCode'] = pinCode;
  const mrtd = booleanOption(value.mrtd, 'requirement.mrtd');
  if (mrtd !== undefined) requirement['mrtd'] = mrtd;
  if (value.cardReader !== undefined) {
    if (value.cardReader !== 'class1' && value.cardReader !== 'class2')
      fail("requirement.cardReader must be 'class1' or 'class2'.");
    requirement['cardReader'] = value.cardReader;
  }
  if (value.certificatePolicies !== undefined) {
    const policies = value.certificatePolicies;
    if (
      !Array.isArray(policies) ||
      policies.length === 0 ||
      !policies.every((p) => typeof p === 'string' && OID.test(p))
    ) {
      fail('requirement.certificatePolicies must be a non-empty list of OIDs such as "1.2.752.78.1.5".');
    }
    requirement['certificatePolicies'] = [...policies];
  }
  return requirement;
}

/** Checks every option; throws `PushError('config')` naming the first bad one. */
export function resolveOptions(options: BankIdProviderOptions): ResolvedBankIdOptions {
  if (typeof options !== 'object' || options === null) fail('needs an options object.');
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    fail('baseUrl must be an absolute https URL such as BANKID_TEST_URL.');
  }
  if (baseUrl.protocol !== 'https:')
    fail('baseUrl must use https: BankID is only reachable over mutual TLS.');
  if (baseUrl.search !== '' || baseUrl.hash !== '') fail('baseUrl must not have a query or fragment.');
  const userVisibleData = options.userVisibleData;
  if (userVisibleData !== undefined) {
    if (typeof userVisibleData !== 'string' || userVisibleData === '')
      fail('userVisibleData must be non-empty text.');
    if ((encodeUserVisibleData(userVisibleData) ?? '').length > MAX_USER_VISIBLE_DATA) {
      fail(
        `userVisibleData is too long: BankID takes at most ${MAX_USER_VISIBLE_DATA} characters once base64-encoded.`,
      );
    }
  }
  if (options.userVisibleDataFormat !== undefined && options.userVisibleDataFormat !== 'simpleMarkdownV1') {
    fail("userVisibleDataFormat must be 'simpleMarkdownV1'.");
  }
  if (options.now !== undefined && typeof options.now !== 'function')
    fail('now must be a function returning epoch ms.');
  return {
    baseUrl,
    tls: tlsFrom(options),
    requirement: requirementFrom(options.requirement),
    userVisibleData,
    userVisibleDataFormat: options.userVisibleDataFormat,
    returnRisk: booleanOption(options.returnRisk, 'returnRisk') ?? false,
    timeoutMs: integer(options.timeoutMs, 'timeoutMs', 10_000, 1, 120_000),
    pollIntervalMs: integer(options.pollIntervalMs, 'pollIntervalMs', 2000, 1000, 60_000),
    maxResponseBytes: integer(options.maxResponseBytes, 'maxResponseBytes', 256 * 1024, 1024, 16 << 20),
    now: options.now ?? Date.now,
  };
}

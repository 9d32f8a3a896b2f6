/**
 * CibaProvider options and their validation. Everything is checked at construction, so a wrong
 * configuration fails at startup with a `PushError` of kind `config`, never at a user's login.
 */
import { configError, functionOption, nonEmptyStringOption, optionalIntegerOption } from '../options';
import { requireHttps } from '../http';
import type { StartRequest } from '../provider';
import { generateBindingMessage } from './binding-message';
import { toSigningKey, type CibaPrivateKey, type SigningKey } from './signing-key';

/** CIBA's three ways to say who should approve (§7.1); exactly one is sent. */
export const CIBA_HINT_PARAMETERS = ['login_hint', 'login_hint_token', 'id_token_hint'] as const;

/** The name of the one hint parameter a request carries. */
export type CibaHintParameter = (typeof CIBA_HINT_PARAMETERS)[number];

/** True for one of the three hint parameter names. */
export function isKnownHintParameter(value: unknown): value is CibaHintParameter {
  return (CIBA_HINT_PARAMETERS as readonly unknown[]).includes(value);
}

export type CibaClientAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';

export interface CibaProviderOptions {
  /** The OP's issuer URL exactly as its discovery document states it; https unless `allowInsecureHttp`. */
  issuer: string | URL;
  clientId: string;
  /** For `client_secret_basic` (the default with a secret) and `client_secret_post`. */
  clientSecret?: string;
  /** For `private_key_jwt`: a private JWK, a PEM string, or a `KeyObject`. */
  privateKey?: CibaPrivateKey;
  /** `kid` of the private key as registered at the OP (default: the JWK's `kid`, if any). */
  privateKeyId?: string;
  /** Default: `client_secret_basic` with a secret, `private_key_jwt` with a private key. */
  clientAuthMethod?: CibaClientAuthMethod;
  /** Space-separated or a list; must contain `openid` (the approval is the ID token). Default `openid`. */
  scope?: string | readonly string[];
  /** Seconds the app would like the request to live (`requested_expiry`). */
  requestedExpiry?: number;
  /** `acr_values`, space-separated or a list. */
  acrValues?: string | readonly string[];
  /** `user_code` (a secret the user knows) for this request, when the OP requires one. */
  userCode?: (request: StartRequest) => string | undefined;
  /**
   * The `binding_message` shown on the wait page and on the phone. Default: a fresh 5-character code
   * (see `generateBindingMessage`). A function chooses it per request; `false` sends none.
   */
  bindingMessage?: ((request: StartRequest) => string) | false;
  /** Turns the ID the user typed into the hint's value (default: the ID itself). */
  loginHintFrom?: (userId: string) => string;
  /**
   * Which of CIBA's three hints carries that value (exactly one is sent): `login_hint` (default),
   * `login_hint_token` (a token the OP issued or trusts) or `id_token_hint` (an ID token it issued).
   */
  hintParameter?: CibaHintParameter;
  /** Shown on pages and profiles. Default: the issuer's host (`login.example.com`). */
  displayName?: string;
  /** Deadline of each HTTP exchange with the OP, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Allow an `http:` issuer (loopback test OPs only). */
  allowInsecureHttp?: boolean;
  /**
   * Also verify the ID token's signature against the OP's JWKS (on top of the iss/aud/exp/iat/sub
   * checks openid-client always makes). Default true; costs one cached JWKS fetch.
   */
  verifyIdTokenSignature?: boolean;
  /** Stored in session records. Default `ciba:<issuer host>`. */
  name?: string;
  /**
   * How the app learns that the user decided (CIBA §5): `'poll'` (default) asks the token endpoint
   * every interval; `'ping'` sends a fresh `client_notification_token` with each request, and the
   * OP calls `notificationEndpoint` when the user decided (the client must be registered at the OP
   * with `backchannel_token_delivery_mode: ping`). Polling stays the fallback.
   */
  deliveryMode?: 'poll' | 'ping';
  /**
   * Ping mode: the client's `backchannel_client_notification_endpoint` as registered at the OP,
   * normally `pushLogin`'s `POST notify` (`https://app.example/auth/push/notify`). Required with
   * ping; https (http only with `allowInsecureHttp`).
   */
  notificationEndpoint?: string | URL;
}

export type ClientCredentials =
  | { method: 'client_secret_post' | 'client_secret_basic'; secret: string }
  | { method: 'private_key_jwt'; key: SigningKey };

/** Validated options, with defaults applied. Holds the credentials: never log or serialise it. */
export interface CibaSettings {
  name: string;
  issuer: URL;
  clientId: string;
  credentials: ClientCredentials;
  scope: string;
  requestedExpiry: number | undefined;
  acrValues: string | undefined;
  userCode: ((request: StartRequest) => string | undefined) | undefined;
  bindingMessage: ((request: StartRequest) => string) | undefined;
  loginHintFrom: (userId: string) => string;
  hintParameter: CibaHintParameter;
  displayName: string;
  timeoutMs: number;
  allowInsecureHttp: boolean;
  verifyIdTokenSignature: boolean;
  /** Ping mode's registered notification endpoint; undefined in poll mode. */
  notificationEndpoint: URL | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function resolveCibaOptions(options: CibaProviderOptions): CibaSettings {
  if (options === null || typeof options !== 'object') {
    throw cibaConfigError('CibaProvider needs an options object.');
  }
  const issuer = requireHttps(String(options.issuer), options.allowInsecureHttp, 'CIBA issuer');
  const clientId = nonEmptyStringOption(WHO, 'clientId', options.clientId);
  const scope = words(options.scope ?? 'openid', 'scope');
  if (!scope.split(' ').includes('openid')) {
    throw cibaConfigError('CIBA scope must include "openid": the approval is the ID token.');
  }
  return {
    name:
      options.name === undefined ? `ciba:${issuer.host}` : nonEmptyStringOption(WHO, 'name', options.name),
    issuer,
    clientId,
    credentials: credentials(options),
    scope,
    requestedExpiry: optionalIntegerOption(WHO, 'requestedExpiry', options.requestedExpiry, 1, 86_400),
    acrValues: options.acrValues === undefined ? undefined : words(options.acrValues, 'acrValues'),
    userCode: functionOption(WHO, 'userCode', options.userCode),
    bindingMessage: bindingMessage(options.bindingMessage),
    loginHintFrom: functionOption(WHO, 'loginHintFrom', options.loginHintFrom) ?? ((userId) => userId),
    hintParameter: hintParameter(options.hintParameter),
    displayName:
      options.displayName === undefined
        ? issuer.host
        : nonEmptyStringOption(WHO, 'displayName', options.displayName),
    timeoutMs: optionalIntegerOption(WHO, 'timeoutMs', options.timeoutMs, 1, 120_000) ?? DEFAULT_TIMEOUT_MS,
    allowInsecureHttp: options.allowInsecureHttp === true,
    verifyIdTokenSignature: options.verifyIdTokenSignature !== false,
    notificationEndpoint: notificationEndpoint(options),
  };
}

/** The ping endpoint in ping mode (required there), nothing in poll mode. */
function notificationEndpoint(options: CibaProviderOptions): URL | undefined {
  const mode = options.deliveryMode ?? 'poll';
  if (mode !== 'poll' && mode !== 'ping') {
    throw cibaConfigError(`CIBA deliveryMode must be 'poll' or 'ping' (got ${String(mode)}).`);
  }
  if (mode === 'poll') {
    if (options.notificationEndpoint !== undefined) {
      throw cibaConfigError("CIBA notificationEndpoint needs deliveryMode: 'ping'.");
    }
    return undefined;
  }
  if (options.notificationEndpoint === undefined) {
    throw cibaConfigError(
      "CIBA deliveryMode 'ping' needs notificationEndpoint: the URL registered at the OP (pushLogin's POST notify).",
    );
  }
  return requireHttps(
    String(options.notificationEndpoint),
    options.allowInsecureHttp,
    'CIBA notificationEndpoint',
  );
}

function credentials(options: CibaProviderOptions): ClientCredentials {
  const { clientSecret, privateKey, clientAuthMethod } = options;
  if ((clientSecret === undefined) === (privateKey === undefined)) {
    throw cibaConfigError('CibaProvider needs exactly one of clientSecret and privateKey.');
  }
  if (clientSecret !== undefined) {
    const method = clientAuthMethod ?? 'client_secret_basic';
    if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
      throw cibaConfigError(
        `clientAuthMethod ${JSON.stringify(method)} does not use a client secret; use client_secret_basic or client_secret_post.`,
      );
    }
    // The secret itself never appears in a message.
    if (typeof clientSecret !== 'string' || clientSecret.length === 0) {
      throw cibaConfigError('clientSecret must be a non-empty string.');
    }
    return { method, secret: clientSecret };
  }
  if ((clientAuthMethod ?? 'private_key_jwt') !== 'private_key_jwt') {
    throw cibaConfigError(
      `clientAuthMethod ${JSON.stringify(clientAuthMethod)} does not use a private key; use private_key_jwt.`,
    );
  }
  return { method: 'private_key_jwt', key: toSigningKey(privateKey as CibaPrivateKey, options.privateKeyId) };
}

function bindingMessage(
  option: CibaProviderOptions['bindingMessage'],
): ((request: StartRequest) => string) | undefined {
  if (option === false) return undefined;
  if (option === undefined) return () => generateBindingMessage();
  return functionOption(WHO, 'bindingMessage', option);
}

function hintParameter(value: unknown): CibaHintParameter {
  if (value === undefined) return 'login_hint';
  if (!isKnownHintParameter(value)) {
    throw cibaConfigError('hintParameter must be "login_hint", "login_hint_token" or "id_token_hint".');
  }
  return value;
}

/** A space-separated list of OAuth tokens (scope, acr_values), normalised. */
function words(value: string | readonly string[], what: string): string {
  const list = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : undefined;
  const cleaned = list?.map((word: unknown) => (typeof word === 'string' ? word.trim() : '')).filter(Boolean);
  if (!cleaned || cleaned.length === 0 || cleaned.some((word) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(word))) {
    throw cibaConfigError(`${what} must be a non-empty list of words without spaces or quotes.`);
  }
  return cleaned.join(' ');
}

const WHO = 'CibaProvider';

function cibaConfigError(message: string) {
  return configError(WHO, message);
}

/**
 * CibaProvider options and their validation. Everything is checked at construction, so a wrong
 * configuration fails at startup with a `PushError` of kind `config`, never at a user's login.
 */
import {
  booleanOption,
  configError,
  functionOption,
  nonEmptyStringOption,
  optionalIntegerOption,
} from '../options';
import { requireHttps } from '../http';
import type { ActionRequest } from '../action';
import type { StartRequest } from '../provider';
import { generateBindingMessage } from './binding-message';
import {
  createRequestObjectSigner,
  type RequestObjectAlgorithm,
  type RequestObjectSigner,
} from './request-object';
import { checkTlsOptions, type CibaTlsOptions } from './tls-options';
import { toSigningKey, type CibaPrivateKey, type SigningAlgorithm, type SigningKey } from './signing-key';

/** CIBA's three ways to say who should approve (§7.1); exactly one is sent. */
export const CIBA_HINT_PARAMETERS = ['login_hint', 'login_hint_token', 'id_token_hint'] as const;

/** The name of the one hint parameter a request carries. */
export type CibaHintParameter = (typeof CIBA_HINT_PARAMETERS)[number];

/** True for one of the three hint parameter names. */
export function isKnownHintParameter(value: unknown): value is CibaHintParameter {
  return (CIBA_HINT_PARAMETERS as readonly unknown[]).includes(value);
}

/**
 * How the CIBA client authenticates at the OP.
 */
export type CibaClientAuthMethod =
  | 'client_secret_post'
  | 'client_secret_basic'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth';

/** The mutual-TLS client authentication methods (RFC 8705). */
const TLS_METHODS: readonly CibaClientAuthMethod[] = ['tls_client_auth', 'self_signed_tls_client_auth'];

/**
 * JWS algorithms for client assertions and ID tokens.
 */
export type CibaSigningAlgorithm = SigningAlgorithm;

/** The algorithms FAPI allows for signed requests, client assertions and ID tokens. */
export const FAPI_ALGORITHMS = ['PS256', 'ES256'] as const;

/**
 * Signs the backchannel request as a request object (`request` parameter).
 */
export interface CibaRequestObjectOptions {
  /** `PS256` (RSA key) or `ES256` (EC P-256 key). */
  algorithm: RequestObjectAlgorithm;
  /** The signing key (JWK, PEM or KeyObject). Default: `privateKey`, the client assertion key. */
  key?: CibaPrivateKey;
  /** `kid` in the JWT header (default: `privateKeyId` for the default key, else the JWK's `kid`). */
  keyId?: string;
}

/**
 * Options of `CibaProvider`: the issuer, client authentication, scope, binding message.
 *
 * @example
 * ```ts
 * import { CibaProvider, type CibaProviderOptions } from 'passport-push';
 *
 * const options: CibaProviderOptions = {
 *   issuer: 'https://op.example',
 *   clientId: 'web-app',
 *   clientSecret: 's3cret',
 *   scope: 'openid profile',
 * };
 * new CibaProvider(options);
 * ```
 */
export interface CibaProviderOptions {
  /** The OP's issuer URL exactly as its discovery document states it; https unless `allowInsecureHttp`. */
  issuer: string | URL;
  /** The client ID the OP registered for this app. */
  clientId: string;
  /** For `client_secret_basic` (the default with a secret) and `client_secret_post`. */
  clientSecret?: string;
  /** For `private_key_jwt`: a private JWK, a PEM string, or a `KeyObject`. */
  privateKey?: CibaPrivateKey;
  /** `kid` of the private key as registered at the OP (default: the JWK's `kid`, if any). */
  privateKeyId?: string;
  /**
   * Default: `client_secret_basic` with a secret, `private_key_jwt` with a private key. The mutual-TLS
   * methods (`tls_client_auth`, `self_signed_tls_client_auth`) need `tls` with a certificate and no secret.
   */
  clientAuthMethod?: CibaClientAuthMethod;
  /**
   * TLS towards the OP, with any `clientAuthMethod`: `{ cert, key }` is the client certificate (PEM),
   * presented on every connection, the OP's `mtls_endpoint_aliases` used where it announces them, so
   * the OP can bind tokens to it (RFC 8705) or, with the mutual-TLS methods, authenticate the client
   * by it; `ca` the CA(s) of the OP's server certificate when it is not publicly trusted (alone, no
   * certificate is presented).
   */
  tls?: CibaTlsOptions;
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
  /**
   * Approve actions (docs/action-approval.md) with RFC 9396 `authorization_details`, which the OP
   * must support with CIBA (oidc-provider's `richAuthorizationRequests`, Auth0): `true` sends
   * `[{ type: 'passport_push_action', intent, intent_hash }]`; a function maps the action onto the
   * types your OP registered (`payment_initiation`…). The token response must grant exactly the
   * details sent. Default: off, and the provider approves no actions.
   */
  authorizationDetails?: true | ((action: ActionRequest) => readonly Readonly<Record<string, unknown>>[]);
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
  /**
   * The FAPI-CIBA preset: requires `privateKey` (private_key_jwt) or a mutual-TLS method,
   * `requestObject` and ID token signature checks, makes RSA client assertions PS256, and accepts
   * only PS256/ES256 ID tokens. Certificate-bound tokens: add `tls`. Default false.
   */
  fapi?: boolean;
  /** Send the backchannel request as a signed request object. Default: off (required with `fapi`). */
  requestObject?: CibaRequestObjectOptions;
  /**
   * The `private_key_jwt` assertion's algorithm. Default: the JWK's `alg`, else PS256 (with `fapi`)
   * or RS256 for RSA keys, and the curve's (ES256 for P-256) for EC keys.
   */
  clientAssertionAlgorithm?: CibaSigningAlgorithm;
  /**
   * The ID token signing algorithms accepted; any other is `invalid_response`. Default: with `fapi`
   * PS256 and ES256, else whatever the OP announces.
   */
  idTokenSigningAlg?: CibaSigningAlgorithm | readonly CibaSigningAlgorithm[];
}

export type ClientCredentials =
  | { method: 'client_secret_post' | 'client_secret_basic'; secret: string }
  | { method: 'private_key_jwt'; key: SigningKey }
  | { method: 'tls_client_auth' | 'self_signed_tls_client_auth' };

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
  authorizationDetails: ((action: ActionRequest) => readonly Readonly<Record<string, unknown>>[]) | undefined;
  loginHintFrom: (userId: string) => string;
  hintParameter: CibaHintParameter;
  displayName: string;
  timeoutMs: number;
  allowInsecureHttp: boolean;
  verifyIdTokenSignature: boolean;
  fapi: boolean;
  requestObject: RequestObjectSigner | undefined;
  /** Undefined: the OP's announced algorithms (openid-client's check). */
  idTokenSigningAlgs: readonly SigningAlgorithm[] | undefined;
  /** TLS towards the OP: the client certificate (any client authentication) and/or the OP's CA. */
  tls: CibaTlsOptions | undefined;
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
  const fapi = booleanOption(WHO, 'fapi', options.fapi, false);
  const clientCredentials = credentials(options, fapi);
  if (
    fapi &&
    (clientCredentials.method === 'client_secret_basic' || clientCredentials.method === 'client_secret_post')
  ) {
    throw cibaConfigError(
      'fapi needs privateKey (private_key_jwt) or tls (mutual TLS): FAPI-CIBA clients do not use client secrets.',
    );
  }
  if (fapi && options.requestObject === undefined) {
    throw cibaConfigError('fapi needs requestObject: FAPI-CIBA requests must be signed.');
  }
  if (fapi && options.verifyIdTokenSignature === false) {
    // A pinned algorithm means nothing without the signature check.
    throw cibaConfigError('fapi needs verifyIdTokenSignature: ID token signatures must be checked.');
  }
  return {
    fapi,
    tls: options.tls === undefined ? undefined : checkTlsOptions(options.tls),
    requestObject: requestObject(options, clientId),
    idTokenSigningAlgs: idTokenSigningAlgs(options.idTokenSigningAlg, fapi),
    name:
      options.name === undefined ? `ciba:${issuer.host}` : nonEmptyStringOption(WHO, 'name', options.name),
    issuer,
    clientId,
    credentials: clientCredentials,
    scope,
    requestedExpiry: optionalIntegerOption(WHO, 'requestedExpiry', options.requestedExpiry, 1, 86_400),
    acrValues: options.acrValues === undefined ? undefined : words(options.acrValues, 'acrValues'),
    userCode: functionOption(WHO, 'userCode', options.userCode),
    bindingMessage: bindingMessage(options.bindingMessage),
    authorizationDetails:
      options.authorizationDetails === true
        ? defaultAuthorizationDetails
        : functionOption(WHO, 'authorizationDetails', options.authorizationDetails),
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

function isTlsMethod(method: unknown): method is 'tls_client_auth' | 'self_signed_tls_client_auth' {
  return (TLS_METHODS as readonly unknown[]).includes(method);
}

function credentials(options: CibaProviderOptions, fapi: boolean): ClientCredentials {
  const { clientSecret, privateKey, clientAuthMethod } = options;
  if (isTlsMethod(clientAuthMethod)) {
    // A private key may still be there: it signs request objects.
    if (clientSecret !== undefined) {
      throw cibaConfigError(
        `clientAuthMethod ${clientAuthMethod} uses the TLS client certificate, not a secret.`,
      );
    }
    if (options.tls === undefined) throw cibaConfigError(`clientAuthMethod ${clientAuthMethod} needs tls.`);
    const { cert, key } = checkTlsOptions(options.tls);
    if (cert === undefined || key === undefined) {
      throw cibaConfigError(
        `clientAuthMethod ${clientAuthMethod} needs tls with the client certificate (cert and key).`,
      );
    }
    if (options.clientAssertionAlgorithm !== undefined) {
      throw cibaConfigError('clientAssertionAlgorithm applies to privateKey (private_key_jwt) only.');
    }
    return { method: clientAuthMethod };
  }
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
    if (options.clientAssertionAlgorithm !== undefined) {
      throw cibaConfigError('clientAssertionAlgorithm applies to privateKey (private_key_jwt) only.');
    }
    return { method, secret: clientSecret };
  }
  if ((clientAuthMethod ?? 'private_key_jwt') !== 'private_key_jwt') {
    throw cibaConfigError(
      `clientAuthMethod ${JSON.stringify(clientAuthMethod)} does not use a private key; use private_key_jwt.`,
    );
  }
  const algorithm = options.clientAssertionAlgorithm;
  if (algorithm !== undefined && !isSigningAlgorithm(algorithm)) {
    throw cibaConfigError(`clientAssertionAlgorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}.`);
  }
  if (fapi && algorithm !== undefined && !isFapiAlgorithm(algorithm)) {
    throw cibaConfigError('with fapi, clientAssertionAlgorithm must be PS256 or ES256.');
  }
  const key = toSigningKey(privateKey as CibaPrivateKey, options.privateKeyId, algorithm, fapi);
  if (fapi && !isFapiAlgorithm(key.alg)) {
    throw cibaConfigError(`with fapi, privateKey must be an RSA or EC P-256 key (got one for ${key.alg}).`);
  }
  return { method: 'private_key_jwt', key };
}

const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly unknown[]).includes(value);
}

function isFapiAlgorithm(value: unknown): boolean {
  return (FAPI_ALGORITHMS as readonly unknown[]).includes(value);
}

function requestObject(options: CibaProviderOptions, clientId: string): RequestObjectSigner | undefined {
  const option: unknown = options.requestObject;
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null) {
    throw cibaConfigError('requestObject must be an object ({ algorithm, key }).');
  }
  const { algorithm, key, keyId } = option as Partial<CibaRequestObjectOptions>;
  const signingKey = key ?? options.privateKey;
  if (signingKey === undefined) {
    throw cibaConfigError('requestObject needs a key (requestObject.key or privateKey).');
  }
  return createRequestObjectSigner({
    algorithm,
    key: signingKey,
    keyId: keyId ?? (key === undefined ? options.privateKeyId : undefined),
    clientId,
  });
}

function idTokenSigningAlgs(value: unknown, fapi: boolean): readonly SigningAlgorithm[] | undefined {
  if (value === undefined) return fapi ? FAPI_ALGORITHMS : undefined;
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isSigningAlgorithm)) {
    throw cibaConfigError(`idTokenSigningAlg must be one or more of ${SIGNING_ALGORITHMS.join(', ')}.`);
  }
  if (fapi && !list.every(isFapiAlgorithm)) {
    throw cibaConfigError('with fapi, idTokenSigningAlg must be PS256 and/or ES256.');
  }
  return list;
}

/** The library's own `authorization_details` type: the intent itself and its hash. */
function defaultAuthorizationDetails(action: ActionRequest): Readonly<Record<string, unknown>>[] {
  return [{ type: 'passport_push_action', intent: action.intent, intent_hash: action.hash }];
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

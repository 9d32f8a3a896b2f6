/**
 * A real OpenID provider (oidc-provider, a devDependency) on 127.0.0.1 with CIBA poll mode, three
 * registered clients and a "phone" that approves or denies pending requests through
 * `provider.backchannelResult`. For tests and the demo; importing it needs oidc-provider installed.
 */
import {
  X509Certificate,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { CibaProviderOptions } from '../providers/ciba';
import { defaultTransport, toResponse } from '../providers/transport';
import type { Fault, Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';
import { cibaOpStorage } from './ciba-op-storage';
import { isNotFound, missingPeerError } from './optional-peer';

/**
 * A user the CIBA test OP knows, with the claims its ID token carries.
 *
 * @example
 * ```ts
 * import { startCibaOp, type CibaOpUser } from 'passport-push/testing';
 *
 * const alice: CibaOpUser = { claims: { name: 'Alice' } };
 * await startCibaOp({ users: { alice } });
 * ```
 */
export interface CibaOpUser {
  /** Claims beyond `sub` (name, email, …); released by the matching scopes. */
  claims?: Record<string, unknown>;
  /** When set, the OP requires this `user_code` for the user. */
  userCode?: string;
}

/**
 * Options of `startCibaOp`: users, clients, token lifetimes.
 *
 * @example
 * ```ts
 * import { startCibaOp } from 'passport-push/testing';
 *
 * await startCibaOp({ users: { alice: { claims: { email: 'alice@example.com' } } } });
 * ```
 */
export interface CibaOpOptions {
  /** Accounts by ID; the `login_hint` is the account ID. Default: alice, bob and carol (the demo's users). */
  users?: Record<string, CibaOpUser>;
  /** Lifetime of a request without `requested_expiry`, in seconds. Default 600. */
  defaultExpirySeconds?: number;
  /** Binding messages the OP accepts. Default: oidc-provider's `^[a-zA-Z0-9-._+/!?#]{1,20}$`. */
  bindingMessagePattern?: RegExp;
  /** Default 0 (any free port). */
  port?: number;
  /**
   * Answer as Keycloak does: the `login_hint` is a username while the ID token's `sub` is a UUID
   * (with `preferred_username`), `auth_req_id` is an encrypted token of about 930 characters, and
   * an unknown user is `invalid_request` "invalid user" instead of `unknown_user_id`.
   */
  keycloak?: boolean;
  /**
   * The `backchannel_client_notification_endpoint` registered for the ping client (`rp-ping`).
   * Default `https://app.example/auth/push/notify`; pings for it go where `deliverPingsTo` says.
   */
  pingEndpoint?: string;
  /**
   * Take RFC 9396 `authorization_details` in backchannel requests (oidc-provider's
   * `richAuthorizationRequests`), of any type: the phone shows them and the token response grants
   * them as asked, unless an approval says otherwise (`CibaOpApproval.authorizationDetails`).
   */
  authorizationDetails?: boolean;
  /**
   * A FAPI-CIBA OP (oidc-provider's FAPI 1.0 profile): signed request objects required of every
   * client, PS256/ES256 only for request objects and client assertions, and two more clients,
   * `rp-fapi-rsa` and `rp-fapi-ec` (private_key_jwt). `true` for the defaults.
   */
  fapi?: boolean | CibaOpFapiOptions;
  /**
   * Serve https and accept mutual-TLS client authentication (oidc-provider's `features.mTLS`, with
   * certificate-bound access tokens): more clients, `rp-mtls` (`tls_client_auth`, by subject DN)
   * and `rp-mtls-self` (`self_signed_tls_client_auth`, by the registered certificate), and on a
   * FAPI OP `rp-fapi-bound` (`private_key_jwt`); each binds its access tokens to the certificate
   * and has a ping twin (`providerOptions(kind, 'ping')`).
   */
  mtls?: CibaOpMtlsOptions;
}

/**
 * The certificates of the mutual-TLS test OP (e.g. from `bankIdTestCertificates()`).
 *
 * @example
 * ```ts
 * import { bankIdTestCertificates, startCibaOp, type CibaOpMtlsOptions } from 'passport-push/testing';
 *
 * const { ca, server, client } = await bankIdTestCertificates();
 * const mtls: CibaOpMtlsOptions = { server, ca, client };
 * const op = await startCibaOp({ users: { alice: {} }, mtls });
 * op.providerOptions('tls_client_auth');
 * ```
 */
export interface CibaOpMtlsOptions {
  /** The OP's https certificate and key. */
  server: {
    /** The certificate, PEM. */
    cert: string;
    /** Its private key, PEM. */
    key: string;
  };
  /** The CA whose client certificates `rp-mtls` accepts. */
  ca: string;
  /** The client certificate: `rp-mtls` is registered with its subject DN, `rp-mtls-self` with it. */
  client: {
    /** The certificate, PEM. */
    cert: string;
    /** Its private key, PEM. */
    key: string;
  };
  /**
   * Serve the token and backchannel endpoints a second time on their own port, the only one that
   * asks for client certificates, and announce them as `mtls_endpoint_aliases` (RFC 8705 §5), as
   * OPs that keep mutual TLS off their public endpoints do. Default false: one port asks for all.
   */
  endpointAliases?: boolean;
}

/**
 * How the FAPI-CIBA test OP is configured.
 *
 * @example
 * ```ts
 * import { CibaProvider } from 'passport-push';
 * import { startCibaOp, type CibaOpFapiOptions } from 'passport-push/testing';
 *
 * const fapi: CibaOpFapiOptions = { idTokenSigningAlg: 'RS256' }; // plays a misconfigured OP
 * const op = await startCibaOp({ users: { alice: {} }, fapi });
 * new CibaProvider(op.providerOptions('fapi-rsa'));
 * ```
 */
export interface CibaOpFapiOptions {
  /** The algorithm of the FAPI clients' ID tokens. Default `PS256`; `RS256` plays a misconfigured OP. */
  idTokenSigningAlg?: 'PS256' | 'ES256' | 'RS256';
  /** Client assertion algorithms the OP accepts (`enabledJWA.clientAuthSigningAlgValues`). Default PS256, ES256. */
  clientAuthSigningAlgs?: readonly string[];
}

/** The notification endpoint the ping client is registered with by default. */
export const CIBA_OP_PING_ENDPOINT = 'https://app.example/auth/push/notify';

/**
 * A `login_hint_token` this OP accepts: this prefix and the account's login hint.
 *
 * @example
 * ```ts
 * import { CIBA_OP_LOGIN_HINT_TOKEN_PREFIX } from 'passport-push/testing';
 *
 * const loginHintToken = `${CIBA_OP_LOGIN_HINT_TOKEN_PREFIX}alice`;
 * ```
 */
export const CIBA_OP_LOGIN_HINT_TOKEN_PREFIX = 'login-hint-token:';

/**
 * The client authentication methods the CIBA test OP registers a client for.
 *
 * @example
 * ```ts
 * import { startCibaOp, type CibaOpClient } from 'passport-push/testing';
 *
 * const op = await startCibaOp();
 * const method: CibaOpClient = 'private_key_jwt';
 * op.providerOptions(method);
 * ```
 */
export type CibaOpClient =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  /** FAPI OPs only: an RSA key, PS256 request objects and assertions. */
  | 'fapi-rsa'
  /** FAPI OPs only: an EC P-256 key, ES256 request objects and assertions. */
  | 'fapi-ec'
  /** mTLS OPs only: `tls_client_auth` with the client certificate. */
  | 'tls_client_auth'
  /** mTLS OPs only: `self_signed_tls_client_auth` with the client certificate. */
  | 'self_signed_tls_client_auth'
  /** FAPI mTLS OPs only: `private_key_jwt` (ES256), tokens bound to the client certificate. */
  | 'fapi-bound'
  /** A client_secret_basic client in ping mode, registered with `pingEndpoint`. */
  | 'ping';

/**
 * What the simulated phone adds to an approval (e.g. `amr`).
 *
 * @example
 * ```ts
 * import { startCibaOp, type CibaOpApproval } from 'passport-push/testing';
 *
 * const op = await startCibaOp({ users: { alice: {} } });
 * const approval: CibaOpApproval = { amr: ['hwk'] };
 * ```
 */
export interface CibaOpApproval {
  /** The `acr` claim of the ID token; absent for none. */
  acr?: string;
  /** The `amr` claim of the ID token (for example `['hwk']`); absent for none. */
  amr?: string[];
  /**
   * What the token response grants instead of the requested `authorization_details` (a tampering
   * OP: other details); `null` grants none (the OP dropped them).
   */
  authorizationDetails?: readonly Readonly<Record<string, unknown>>[] | null;
}

/**
 * The running CIBA test OP: its URL, client options, phone and faults.
 *
 * @example
 * ```ts
 * import { startCibaOp, type CibaOp } from 'passport-push/testing';
 *
 * const op: CibaOp = await startCibaOp({ users: { alice: {} } });
 * console.log(op.url);
 * ```
 */
export interface CibaOp extends ProviderSimulator {
  /** The issuer, e.g. `http://127.0.0.1:41234` (same as `url`). */
  readonly issuer: string;
  /** The simulated phone of every user. */
  readonly phone: CibaPhone;
  /** FAPI mode only: the form bodies of the backchannel requests received, oldest first. */
  readonly backchannelRequests: readonly URLSearchParams[];
  /** The access tokens the token endpoint issued, oldest first, as introspection describes them. */
  readonly issuedTokens: readonly CibaOpIssuedToken[];
  /**
   * Ready-made CibaProvider options for one of the registered clients (http allowed); `'ping'` is a
   * client_secret_basic client in ping mode, registered with `pingEndpoint`. The mutual-TLS clients
   * (`tls_client_auth`, `self_signed_tls_client_auth`, `fapi-bound`) also come in `'ping'` mode.
   */
  providerOptions(client?: CibaOpClient, mode?: 'poll' | 'ping'): CibaProviderOptions;
  /**
   * Where the OP really delivers the pings it sends to the registered `pingEndpoint` (the app's
   * notify route on loopback); `undefined` makes every ping fail. Each delivery counts as `calls.ping`.
   */
  deliverPingsTo(url: string | undefined): void;
  /** The next `times` token requests are answered 400 `slow_down`. */
  injectSlowDown(times?: number): void;
  /** The next `times` token requests are answered with this OAuth error (and a Retry-After header). */
  injectTokenError(
    error: string,
    options?: { times?: number; status?: number; retryAfterSeconds?: number },
  ): void;
}

/**
 * An access token the CIBA test OP issued: its client and, when bound, the certificate's
 * SHA-256 thumbprint (`cnf` as token introspection reports it, RFC 8705 §3.1).
 *
 * @example
 * ```ts
 * import { startCibaOp, type CibaOpIssuedToken } from 'passport-push/testing';
 *
 * const op = await startCibaOp();
 * const last: CibaOpIssuedToken | undefined = op.issuedTokens.at(-1);
 * console.log(last?.cnf?.['x5t#S256']);
 * ```
 */
export interface CibaOpIssuedToken {
  /** The client the token was issued to. */
  clientId: string;
  /** The token's certificate binding (RFC 8705); absent when the client used no mTLS. */
  cnf?: {
    /** The SHA-256 thumbprint of the client certificate, base64url. */
    'x5t#S256': string;
  };
}

/**
 * The Phone contract, plus awaitable versions: `backchannelResult` is asynchronous.
 *
 * @example
 * ```ts
 * import { startCibaOp } from 'passport-push/testing';
 *
 * const op = await startCibaOp({ users: { alice: {} } });
 * // … after a start:
 * await op.phone.denyNow(op.phone.pending('alice')[0]!.id);
 * ```
 */
export interface CibaPhone extends Phone {
  /** Approves and waits until the OP recorded it; false when the request is not pending. */
  approveNow(id: string, approval?: CibaOpApproval): Promise<boolean>;
  /** Denies (`access_denied`) and waits until the OP recorded it; false when not pending. */
  denyNow(id: string): Promise<boolean>;
  /** Expires the request (`expired_token` from then on) and waits; false when not pending. */
  expireNow(id: string): Promise<boolean>;
  /** Waits for approve/deny/expire calls made through the synchronous methods; rethrows their errors. */
  settled(): Promise<void>;
}

const DEFAULT_USERS: Record<string, CibaOpUser> = {
  alice: { claims: { name: 'Alice Example', email: 'alice@example.com', email_verified: true } },
  bob: { claims: { name: 'Bob Example', email: 'bob@example.com', email_verified: true } },
  carol: { claims: { name: 'Carol Example', email: 'carol@example.com', email_verified: true } },
};
const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
/** The resource server an `authorizationDetails` OP grants actions' access tokens for. */
const ACTIONS_RESOURCE = 'urn:passport-push:actions';
const DEFAULT_BINDING_PATTERN = /^[a-zA-Z0-9-._+/!?#]{1,20}$/;

/**
 * Starts a real OpenID CIBA provider (oidc-provider) on loopback, with a phone API.
 *
 * @example
 * ```ts
 * import { CibaProvider } from 'passport-push';
 * import { startCibaOp } from 'passport-push/testing';
 *
 * const op = await startCibaOp({ users: { alice: { claims: { name: 'Alice' } } } });
 * const ciba = new CibaProvider(op.providerOptions('client_secret_basic'));
 * // … start a login, then:
 * await op.phone.approveNow(op.phone.pending('alice')[0]!.id);
 * await op.close();
 * ```
 */
export async function startCibaOp(options: CibaOpOptions = {}): Promise<CibaOp> {
  const users = options.users ?? DEFAULT_USERS;
  const defaultExpiry = options.defaultExpirySeconds ?? 600;
  const bindingPattern = options.bindingMessagePattern ?? DEFAULT_BINDING_PATTERN;
  const { Provider, errors } = await loadOidcProvider();
  const keycloak = options.keycloak === true;
  // Keycloak: accounts are UUIDs; the login hint is the username.
  const accountIds = new Map(Object.keys(users).map((name) => [name, keycloak ? randomUUID() : name]));
  const usernames = new Map([...accountIds].map(([name, id]) => [id, name]));
  /** Keycloak-long auth_req_id → oidc-provider's own. */
  const longIds = new Map<string, string>();

  const mtls = options.mtls;
  // With mTLS the OP asks for a client certificate but lets oidc-provider decide what it is worth.
  const asking = mtls ? { ca: mtls.ca, requestCert: true, rejectUnauthorized: false } : {};
  const aliasServer = mtls?.endpointAliases
    ? createHttpsServer({ cert: mtls.server.cert, key: mtls.server.key, ...asking })
    : undefined;
  const server = mtls
    ? createHttpsServer({ cert: mtls.server.cert, key: mtls.server.key, ...(aliasServer ? {} : asking) })
    : createServer();
  // Room for a surge of logins' connections (Node's default backlog of 511 drops the rest for seconds).
  await new Promise<void>((resolve) =>
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  const issuer = `${mtls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (aliasServer) await new Promise<void>((resolve) => aliasServer.listen(0, '127.0.0.1', resolve));
  const aliasOrigin = aliasServer && `https://127.0.0.1:${(aliasServer.address() as AddressInfo).port}`;

  const secrets = {
    basic: randomBytes(32).toString('base64url'),
    post: randomBytes(32).toString('base64url'),
    ping: randomBytes(32).toString('base64url'),
  };
  const pingEndpoint = options.pingEndpoint ?? CIBA_OP_PING_ENDPOINT;
  let pingTarget: string | undefined;
  const clientKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const clientJwk: JsonWebKey = { ...clientKey.privateKey.export({ format: 'jwk' }), kid: 'rp-jwt-1' };
  const clientPublicJwk: JsonWebKey = { ...clientKey.publicKey.export({ format: 'jwk' }), kid: 'rp-jwt-1' };
  const signingJwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: 'op-1',
    use: 'sig',
  };
  const fapi = options.fapi === true ? {} : options.fapi || undefined;
  const fapiKeys = fapi ? fapiClientKeys() : undefined;
  // ES256 ID tokens need an EC key in the OP's key set.
  const opEcJwk = fapi
    ? {
        ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
        kid: 'op-ec-1',
        use: 'sig',
      }
    : undefined;

  const pending = new Map<string, { request: OidcBackchannelRequest; shown: PhoneRequest }>();
  const calls: Record<string, number> = {};
  let tokenErrors: { error: string; times: number; status: number; retryAfterSeconds?: number }[] = [];

  const ciba = {
    enabled: true,
    deliveryModes: ['poll', 'ping'],
    processLoginHint: async (_ctx: unknown, hint: string) => {
      const accountId = accountIds.get(hint);
      if (accountId === undefined && keycloak) throw new errors.InvalidRequest('invalid user');
      return accountId;
    },
    processLoginHintToken: async (_ctx: unknown, token: string) =>
      token.startsWith(CIBA_OP_LOGIN_HINT_TOKEN_PREFIX)
        ? accountIds.get(token.slice(CIBA_OP_LOGIN_HINT_TOKEN_PREFIX.length))
        : undefined,
    validateRequestContext: async () => undefined,
    validateBindingMessage: async (_ctx: unknown, message: string | undefined) => {
      if (message !== undefined && !bindingPattern.test(message)) {
        throw new errors.InvalidBindingMessage(
          'the binding_message is too long or uses unsupported characters',
        );
      }
    },
    verifyUserCode: async (_ctx: unknown, account: { accountId: string }, userCode: string | undefined) => {
      const expected = users[usernames.get(account.accountId) ?? '']?.userCode;
      if (expected === undefined) return;
      if (!userCode) throw new errors.MissingUserCode('this user needs a user_code');
      if (userCode !== expected) throw new errors.InvalidUserCode('the user_code is wrong');
    },
    // The push to the phone: the request waits in the phone's list.
    triggerAuthenticationDevice: async (_ctx: unknown, request: OidcBackchannelRequest) => {
      const now = Date.now();
      pending.set(request.jti, {
        request,
        shown: {
          id: request.jti,
          userId: usernames.get(request.accountId) ?? request.accountId,
          serviceName: request.clientId,
          bindingMessage: stringParam(request.params?.binding_message),
          ...(stringParam(request.params?.authorization_details) !== undefined
            ? { action: stringParam(request.params?.authorization_details) }
            : {}),
          fetched: false,
          createdAt: now,
          expiresAt: (request.exp ?? Math.floor(now / 1000) + defaultExpiry) * 1000,
        },
      });
    },
  };

  const client = (id: string, metadata: Record<string, unknown>) => ({
    client_id: id,
    grant_types: [CIBA_GRANT],
    response_types: [],
    redirect_uris: [],
    backchannel_token_delivery_mode: 'poll',
    ...(options.authorizationDetails
      ? { authorization_details_types: ['passport_push_action', 'payment_initiation'] }
      : {}),
    ...metadata,
  });

  const provider = new Provider(issuer, {
    // Every pending request kept until it expires, however many arrive (a surge of logins).
    adapter: cibaOpStorage(),
    clients: [
      client('rp-basic', { client_secret: secrets.basic, token_endpoint_auth_method: 'client_secret_basic' }),
      client('rp-post', { client_secret: secrets.post, token_endpoint_auth_method: 'client_secret_post' }),
      client('rp-ping', {
        client_secret: secrets.ping,
        token_endpoint_auth_method: 'client_secret_basic',
        backchannel_token_delivery_mode: 'ping',
        backchannel_client_notification_endpoint: pingEndpoint,
      }),
    ],
    // The registered endpoint is https on a name that does not resolve here: the ping goes to the
    // app on loopback instead (without oidc-provider's SSRF guard, which refuses loopback).
    fetch: async (url: URL | string, init: RequestInit & { dispatcher?: unknown }) => {
      if (String(url) !== new URL(pingEndpoint).href || pingTarget === undefined) {
        throw new Error(`the test OP delivers nothing to ${String(url)}`);
      }
      calls['ping'] = (calls['ping'] ?? 0) + 1;
      // Over the library's own transport: the OP stands in for a server elsewhere, and fetch's CPU
      // per ping would weigh on the app instances sharing this machine in the bench's surge.
      const answer = await defaultTransport(new URL(pingTarget), {
        method: 'POST',
        headers: headerRecord(new Headers(init.headers)),
        body: typeof init.body === 'string' ? init.body : undefined,
        signal: init.signal ?? AbortSignal.timeout(2500),
        maxResponseBytes: 64 * 1024,
      });
      return toResponse(answer);
    },
    jwks: { keys: opEcJwk ? [signingJwk, opEcJwk] : [signingJwk] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const username = usernames.get(sub);
      const user = username !== undefined && Object.hasOwn(users, username) ? users[username] : undefined;
      if (!user) return undefined;
      const extra = keycloak ? { preferred_username: username } : {};
      return { accountId: sub, claims: async () => ({ ...user.claims, ...extra, sub }) };
    },
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time', 'preferred_username'],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    // Scope claims go into the ID token: the strategy has no userinfo step.
    conformIdTokenClaims: false,
    ...(aliasOrigin
      ? {
          discovery: {
            mtls_endpoint_aliases: {
              token_endpoint: `${aliasOrigin}/token`,
              backchannel_authentication_endpoint: `${aliasOrigin}/backchannel`,
            },
          },
        }
      : {}),
    features: {
      devInteractions: { enabled: false },
      ciba,
      ...(options.authorizationDetails
        ? {
            richAuthorizationRequests: {
              enabled: true,
              // The library's own type and RFC 9396's example: a test OP, not a bank's policy.
              types: {
                passport_push_action: { validate: async () => undefined },
                payment_initiation: { validate: async () => undefined },
              },
              authorizationDetailsForAccessToken: (
                _ctx: unknown,
                _token: unknown,
                source: { rar?: unknown },
              ) => source.rar,
            },
            // oidc-provider grants authorization_details to a resource server's access token only.
            resourceIndicators: {
              enabled: true,
              defaultResource: () => ACTIONS_RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'openid profile email',
                audience: ACTIONS_RESOURCE,
                accessTokenFormat: 'opaque',
              }),
            },
          }
        : {}),
      ...(mtls ? { mTLS: mtlsFeature() } : {}),
      ...(fapi
        ? {
            fapi: { enabled: true, profile: '1.0 Final' },
            requestObjects: { enabled: true, requireSignedRequestObject: true },
          }
        : {}),
    },
    ...(mtls
      ? {
          clientAuthMethods: [
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
            'tls_client_auth',
            'self_signed_tls_client_auth',
          ],
        }
      : {}),
    ...(fapi
      ? {
          enabledJWA: {
            clientAuthSigningAlgValues: [...(fapi.clientAuthSigningAlgs ?? FAPI_ALGS)],
            requestObjectSigningAlgValues: FAPI_ALGS,
            // RS256 stays enabled: the other clients' default, and a misconfigured OP's choice.
            idTokenSigningAlgValues: ['RS256', ...FAPI_ALGS],
          },
        }
      : {}),
    ttl: {
      AccessToken: 600,
      IdToken: 600,
      Grant: 600,
      RefreshToken: 600,
      BackchannelAuthenticationRequest: (
        ctx: { oidc?: { params?: Record<string, unknown> } } | undefined,
      ) => {
        const requested = Number(ctx?.oidc?.params?.requested_expiry);
        return Number.isInteger(requested) && requested > 0
          ? Math.min(requested, defaultExpiry)
          : defaultExpiry;
      },
    },
  });

  // Stored through the adapter, not listed in `clients`: oidc-provider structuredClones static
  // clients, and under jest's VM realm the cloned `jwks` then fails its plain-object check.
  await provider.Client.adapter.upsert(
    'rp-jwt',
    client('rp-jwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [clientPublicJwk] } }),
  );
  if (mtls) {
    const certificate = new X509Certificate(mtls.client.cert);
    // On a FAPI OP they sign request objects with the fapi-ec key, and get FAPI ID tokens.
    const fapiExtras = fapiKeys ? { id_token_signed_response_alg: fapi?.idTokenSigningAlg ?? 'PS256' } : {};
    const requestObjectKeys = fapiKeys ? [fapiKeys['rp-fapi-ec'].publicJwk] : [];
    const x5c = [certificate.raw.toString('base64')];
    const publicJwk = { ...certificate.publicKey.export({ format: 'jwk' }), x5c };
    const mtlsClients: Record<string, Record<string, unknown>> = {
      'rp-mtls': {
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: certificate.subject,
        ...(requestObjectKeys.length > 0 ? { jwks: { keys: requestObjectKeys } } : {}),
      },
      'rp-mtls-self': {
        token_endpoint_auth_method: 'self_signed_tls_client_auth',
        jwks: { keys: [publicJwk, ...requestObjectKeys] },
      },
      // FAPI's usual pairing: private_key_jwt, and the tokens bound to the certificate.
      ...(fapiKeys
        ? {
            'rp-fapi-bound': {
              token_endpoint_auth_method: 'private_key_jwt',
              jwks: { keys: requestObjectKeys },
            },
          }
        : {}),
    };
    const ping = {
      backchannel_token_delivery_mode: 'ping',
      backchannel_client_notification_endpoint: pingEndpoint,
    };
    for (const [id, metadata] of Object.entries(mtlsClients)) {
      const bound = { ...metadata, ...fapiExtras, tls_client_certificate_bound_access_tokens: true };
      await provider.Client.adapter.upsert(id, client(id, bound));
      await provider.Client.adapter.upsert(`${id}-ping`, client(`${id}-ping`, { ...bound, ...ping }));
    }
  }
  if (fapi && fapiKeys) {
    for (const [id, key] of Object.entries(fapiKeys)) {
      await provider.Client.adapter.upsert(
        id,
        client(id, {
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [key.publicJwk] },
          id_token_signed_response_alg: fapi.idTokenSigningAlg ?? 'PS256',
        }),
      );
    }
  }

  // What introspection would say of each issued access token: its client and certificate binding.
  const issuedTokens: CibaOpIssuedToken[] = [];
  provider.use(async (ctx, next) => {
    await next();
    const value = (ctx.body as { access_token?: unknown } | undefined)?.access_token;
    if (ctx.path !== '/token' || ctx.status !== 200 || typeof value !== 'string') return;
    const token = await provider.AccessToken.find(value);
    if (!token) return;
    const thumbprint = token['x5t#S256'];
    issuedTokens.push({
      clientId: token.clientId,
      ...(thumbprint === undefined ? {} : { cnf: { 'x5t#S256': thumbprint } }),
    });
  });

  // Injected token errors, in oidc-provider's own middleware chain (it never sends slow_down).
  provider.use(async (ctx, next) => {
    const injected = tokenErrors[0];
    if (ctx.method !== 'POST' || ctx.path !== '/token' || !injected) return next();
    injected.times -= 1;
    if (injected.times <= 0) tokenErrors = tokenErrors.slice(1);
    ctx.status = injected.status;
    ctx.set('Cache-Control', 'no-store');
    if (injected.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(injected.retryAfterSeconds));
    ctx.body = { error: injected.error, error_description: `injected ${injected.error}` };
  });

  const backchannelRequests: URLSearchParams[] = [];
  const faults = faultQueue();
  const callback = provider.callback();
  // Calls on the mutual-TLS aliases count as `mtls:token`, `mtls:backchannel`.
  const handle = (prefix: string) => (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const name = prefix + (ENDPOINT_NAMES[path] ?? path);
    calls[name] = (calls[name] ?? 0) + 1;
    const fault = faults.take();
    if (fapi && path === '/backchannel') {
      void recordBody(req, backchannelRequests).then(() =>
        applyFault(fault, req, res, () => callback(req, res)),
      );
      return;
    }
    if (!keycloak) return applyFault(fault, req, res, () => callback(req, res));
    if (path === '/backchannel') lengthenAuthReqId(res, longIds);
    if (path !== '/token') return applyFault(fault, req, res, () => callback(req, res));
    void restoreAuthReqId(req, longIds).then(() => applyFault(fault, req, res, () => callback(req, res)));
  };
  server.on('request', handle(''));
  aliasServer?.on('request', handle('mtls:'));

  const phone = createPhone({
    pending,
    provider,
    errors,
    resource: options.authorizationDetails ? ACTIONS_RESOURCE : undefined,
  });

  return {
    url: issuer,
    issuer,
    phone,
    faults,
    calls,
    backchannelRequests,
    issuedTokens,
    providerOptions(kind: CibaOpClient = 'client_secret_basic', mode = 'poll'): CibaProviderOptions {
      const common = { issuer, allowInsecureHttp: true };
      if (kind === 'tls_client_auth' || kind === 'self_signed_tls_client_auth' || kind === 'fapi-bound') {
        if (!mtls) throw new Error(`The ${kind} client exists only on an OP started with { mtls }.`);
        const suffix = mode === 'ping' ? '-ping' : '';
        const shared = {
          issuer,
          tls: { cert: mtls.client.cert, key: mtls.client.key, ca: mtls.ca },
          ...(mode === 'ping' ? { deliveryMode: 'ping' as const, notificationEndpoint: pingEndpoint } : {}),
        };
        if (kind !== 'fapi-bound') {
          const id = kind === 'tls_client_auth' ? 'rp-mtls' : 'rp-mtls-self';
          return { ...shared, clientId: id + suffix, clientAuthMethod: kind };
        }
        const privateKey = fapiKeys?.['rp-fapi-ec'].privateJwk;
        if (!privateKey) throw new Error('The fapi-bound client exists only on an OP started with { fapi }.');
        const requestObject = { algorithm: 'ES256' } as const;
        return { ...shared, clientId: `rp-fapi-bound${suffix}`, privateKey, fapi: true, requestObject };
      }
      if (mode !== 'poll') throw new Error(`The ${kind} client has no ping twin; use 'ping'.`);
      if (kind === 'fapi-rsa' || kind === 'fapi-ec') {
        const id = kind === 'fapi-rsa' ? 'rp-fapi-rsa' : 'rp-fapi-ec';
        const key = fapiKeys?.[id];
        if (!key) throw new Error(`The ${kind} client exists only on an OP started with { fapi }.`);
        const algorithm = kind === 'fapi-rsa' ? 'PS256' : 'ES256';
        return {
          ...common,
          clientId: id,
          privateKey: key.privateJwk,
          fapi: true,
          requestObject: { algorithm },
        };
      }
      if (kind === 'ping') {
        return {
          ...common,
          clientId: 'rp-ping',
          clientSecret: secrets.ping,
          deliveryMode: 'ping',
          notificationEndpoint: pingEndpoint,
        };
      }
      if (kind === 'private_key_jwt') {
        return { ...common, clientId: 'rp-jwt', privateKey: clientJwk, clientAuthMethod: kind };
      }
      const post = kind === 'client_secret_post';
      return {
        ...common,
        clientId: post ? 'rp-post' : 'rp-basic',
        clientSecret: post ? secrets.post : secrets.basic,
        clientAuthMethod: kind,
      };
    },
    deliverPingsTo(url) {
      pingTarget = url;
    },
    injectSlowDown(times = 1) {
      tokenErrors.push({ error: 'slow_down', times, status: 400 });
    },
    injectTokenError(error, { times = 1, status = 400, retryAfterSeconds } = {}) {
      tokenErrors.push({
        error,
        times,
        status,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      });
    },
    async close() {
      await phone.settled().catch(() => undefined);
      for (const open of aliasServer ? [server, aliasServer] : [server]) {
        open.closeAllConnections();
        await new Promise<void>((resolve, reject) =>
          open.close((error) => (error ? reject(error) : resolve())),
        );
      }
    },
  };
}

const FAPI_ALGS = ['PS256', 'ES256'];

/** oidc-provider's mTLS feature: the peer certificate as the TLS socket verified it against `ca`. */
function mtlsFeature(): Record<string, unknown> {
  const socketOf = (ctx: unknown) => (ctx as { socket: TLSSocket }).socket;
  return {
    enabled: true,
    tlsClientAuth: true,
    selfSignedTlsClientAuth: true,
    certificateBoundAccessTokens: true,
    getCertificate(ctx: unknown) {
      const peer = socketOf(ctx).getPeerX509Certificate();
      return peer?.toString();
    },
    certificateAuthorized(ctx: unknown) {
      return socketOf(ctx).authorized;
    },
    certificateSubjectMatches(ctx: unknown, property: string, expected: string) {
      const peer = socketOf(ctx).getPeerX509Certificate();
      return property === 'tls_client_auth_subject_dn' && peer !== undefined && peer.subject === expected;
    },
  };
}

/** The FAPI clients' keys: one RSA (PS256), one EC P-256 (ES256). */
function fapiClientKeys(): Record<
  'rp-fapi-rsa' | 'rp-fapi-ec',
  { privateJwk: JsonWebKey; publicJwk: JsonWebKey }
> {
  const pair = (kid: string, keys: { privateKey: KeyObject; publicKey: KeyObject }) => ({
    privateJwk: { ...keys.privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...keys.publicKey.export({ format: 'jwk' }), kid },
  });
  return {
    'rp-fapi-rsa': pair('rp-fapi-rsa-1', generateKeyPairSync('rsa', { modulusLength: 2048 })),
    'rp-fapi-ec': pair('rp-fapi-ec-1', generateKeyPairSync('ec', { namedCurve: 'P-256' })),
  };
}

/** Keycloak mode: the backchannel answer's `auth_req_id` becomes a ~930-character opaque token. */
function lengthenAuthReqId(res: ServerResponse, longIds: Map<string, string>): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
      try {
        const json = JSON.parse(chunk.toString()) as Record<string, unknown>;
        if (typeof json['auth_req_id'] === 'string') {
          const long = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0..${randomBytes(660).toString('base64url')}`;
          longIds.set(long, json['auth_req_id']);
          json['auth_req_id'] = long;
          chunk = JSON.stringify(json);
          res.setHeader('Content-Length', Buffer.byteLength(chunk as string));
        }
      } catch {
        // Not JSON (an error page): pass it on as it is.
      }
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
}

/** FAPI mode: keeps a copy of the form body, then hands it on to oidc-provider. */
async function recordBody(req: IncomingMessage, into: URLSearchParams[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  into.push(new URLSearchParams(body));
  // oidc-provider reads an already-consumed body from `req.body`.
  (req as IncomingMessage & { body?: string }).body = body;
}

/** Keycloak mode: a token request's long `auth_req_id` goes back to oidc-provider's own. */
async function restoreAuthReqId(req: IncomingMessage, longIds: Map<string, string>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const long = params.get('auth_req_id');
  const own = long === null ? undefined : longIds.get(long);
  if (own !== undefined) params.set('auth_req_id', own);
  // oidc-provider reads an already-consumed body from `req.body`.
  (req as IncomingMessage & { body?: string }).body = params.toString();
}

const ENDPOINT_NAMES: Readonly<Record<string, string>> = {
  '/.well-known/openid-configuration': 'discovery',
  '/backchannel': 'backchannel',
  '/token': 'token',
  '/jwks': 'jwks',
};

function createPhone(deps: {
  pending: Map<string, { request: OidcBackchannelRequest; shown: PhoneRequest }>;
  provider: OidcProvider;
  errors: OidcErrors;
  /** The resource server whose access tokens carry `authorization_details`, when enabled. */
  resource: string | undefined;
}): CibaPhone {
  const { pending, provider, errors, resource } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  const track = (work: Promise<boolean>): boolean => {
    const tracked = work
      .catch((error: unknown) => failures.push(error))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return true;
  };
  // Removes the request from the list first, so it is answered at most once.
  const take = (id: string) => {
    const entry = pending.get(id);
    pending.delete(id);
    return entry;
  };

  const approveNow = async (id: string, approval: CibaOpApproval = {}): Promise<boolean> => {
    const entry = take(id);
    if (!entry) return false;
    const { request } = entry;
    const grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
    grant.addOIDCScope(request.scope ?? 'openid');
    if (resource) grant.addResourceScope(resource, request.scope ?? 'openid');
    await grant.save();
    const asked = stringParam(request.params?.authorization_details);
    const rar =
      approval.authorizationDetails === null
        ? undefined
        : (approval.authorizationDetails ??
          (asked === undefined ? undefined : (JSON.parse(asked) as unknown)));
    await provider.backchannelResult(request, grant, {
      acr: approval.acr ?? 'urn:passport-push:phone',
      amr: approval.amr ?? ['user'],
      authTime: Math.floor(Date.now() / 1000),
      ...(rar !== undefined ? { rar } : {}),
    });
    return true;
  };
  const denyNow = async (id: string): Promise<boolean> => {
    const entry = take(id);
    if (!entry) return false;
    await provider.backchannelResult(
      entry.request,
      new errors.AccessDenied('the user declined on the phone'),
    );
    return true;
  };
  // Back-dates the stored request, so the token endpoint answers expired_token as it would later.
  const expireNow = async (id: string): Promise<boolean> => {
    const entry = take(id);
    if (!entry) return false;
    const adapter = provider.BackchannelAuthenticationRequest.adapter;
    const payload = await adapter.find(id);
    if (!payload) return false;
    await adapter.upsert(id, { ...payload, exp: Math.floor(Date.now() / 1000) - 1 }, 60);
    return true;
  };

  return {
    pending(userId?: string) {
      const now = Date.now();
      return [...pending.values()]
        .map((entry) => entry.shown)
        .filter((shown) => shown.expiresAt > now && (userId === undefined || shown.userId === userId))
        .sort((a, b) => b.createdAt - a.createdAt);
    },
    fetch(id: string) {
      // CIBA has no "opened on the phone" state; only the list shows it.
      const entry = pending.get(id);
      if (entry) entry.shown.fetched = true;
    },
    approve(id: string) {
      return pending.has(id) && track(approveNow(id));
    },
    deny(id: string) {
      if (pending.has(id)) track(denyNow(id));
    },
    expire(id: string) {
      if (pending.has(id)) track(expireNow(id));
    },
    approveNow,
    denyNow,
    expireNow,
    async settled() {
      await Promise.all(inFlight);
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
    },
  };
}

function faultQueue(): Faults & { take(): Fault | undefined } {
  const queue: { fault: Fault; times: number }[] = [];
  return {
    inject(fault, times = Number.POSITIVE_INFINITY) {
      if (fault.kind === 'drip') throw new Error('The CIBA test OP does not simulate drip faults.');
      queue.push({ fault, times });
    },
    clear() {
      queue.length = 0;
    },
    take() {
      const next = queue[0];
      if (!next) return undefined;
      next.times -= 1;
      if (next.times <= 0) queue.shift();
      return next.fault;
    },
  };
}

function applyFault(
  fault: Fault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  pass: () => void,
): void {
  switch (fault?.kind) {
    case undefined:
    case 'drip':
      return pass();
    case 'delay': {
      // A client that gave up meanwhile gets nothing; a closed server lets the timer go.
      const timer = setTimeout(() => (res.destroyed ? undefined : pass()), fault.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'status':
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'text/html' });
      res.end(fault.body ?? '');
      return;
    case 'body':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fault.body);
      return;
    case 'huge':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('x'.repeat(fault.bytes));
      return;
    case 'truncate':
      return truncateAnswer(res, pass);
  }
}

/** The OP's real answer, announced whole (its Content-Length), half of it sent, then the connection dropped. */
function truncateAnswer(res: ServerResponse, pass: () => void): void {
  res.end = ((chunk?: unknown) => {
    const bytes = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.alloc(0);
    if (!res.headersSent) res.setHeader('Content-Length', String(bytes.length));
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return res;
  }) as typeof res.end;
  pass();
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// The little of oidc-provider's API used here (it ships no types; @types/oidc-provider is not a dependency).
interface OidcBackchannelRequest {
  jti: string;
  accountId: string;
  clientId: string;
  scope?: string;
  exp?: number;
  params?: Record<string, unknown>;
}
interface OidcGrant {
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface OidcKoaContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}
interface OidcAdapter {
  find(id: string): Promise<Record<string, unknown> | undefined>;
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: (ctx: OidcKoaContext, next: () => Promise<void>) => Promise<void>): void;
  Grant: new (properties: { accountId: string; clientId: string }) => OidcGrant;
  BackchannelAuthenticationRequest: { adapter: OidcAdapter };
  Client: { adapter: OidcAdapter };
  AccessToken: { find(value: string): Promise<{ clientId: string; 'x5t#S256'?: string } | undefined> };
  backchannelResult(
    request: OidcBackchannelRequest,
    result: OidcGrant | Error,
    options?: { acr?: string; amr?: string[]; authTime?: number },
  ): Promise<void>;
}
type OidcErrorClass = new (description?: string) => Error;
interface OidcErrors {
  AccessDenied: OidcErrorClass;
  InvalidRequest: OidcErrorClass;
  InvalidBindingMessage: OidcErrorClass;
  MissingUserCode: OidcErrorClass;
  InvalidUserCode: OidcErrorClass;
}
interface OidcModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: OidcErrors;
}

let loading: Promise<OidcModule> | undefined;

/** oidc-provider is ESM-only; a variable specifier keeps TypeScript from looking for its types. */
function loadOidcProvider(): Promise<OidcModule> {
  const specifier = 'oidc-provider';
  loading ??= (import(specifier) as Promise<OidcModule>).catch((error: unknown) => {
    loading = undefined;
    throw isNotFound(error, specifier) ? missingPeerError(specifier, 'startCibaOp', error) : error;
  });
  return loading;
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => (record[name] = value));
  return record;
}

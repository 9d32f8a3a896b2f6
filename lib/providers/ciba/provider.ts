/**
 * OpenID Connect CIBA (Client-Initiated Backchannel Authentication), poll mode, on openid-client.
 * `start` sends the backchannel authentication request; `check` makes exactly one token request
 * (never openid-client's polling loop, which waits and loops inside one call). How often to ask is
 * polling.ts's business; what an answer means is outcomes.ts's; openid.ts adapts openid-client.
 */
import type { Configuration, TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client' with {
  'resolution-mode': 'import',
};
import { createHash } from 'node:crypto';
import { PushError } from '../../errors';
import { canonicalJson, type ActionCapability, type ActionRequest } from '../action';
import type {
  ApprovedStatus,
  ChallengeHandle,
  ChallengeStatus,
  NotificationRead,
  NotificationRequest,
  PushProvider,
  StartRequest,
  StartedChallenge,
  SubjectRule,
} from '../provider';
import { checkIdToken, type IdTokenPolicy } from './id-token-checks';
import { discover, inCall, loadOpenIdClient, newCall, type OpenIdClientModule } from './openid';
import { resolveCibaOptions, type CibaProviderOptions, type CibaSettings } from './options';
import { classify, startFailure, tokenFailure } from './outcomes';
import { newNotificationToken, pingKey, readPing } from './ping';
import { WidenedIntervals, isUsableAuthReqId, pollInterval, readHandle, toHandle } from './polling';
import { hasClientCertificate } from './tls-options';
import { cibaTexts } from './texts';
import { messageOf } from '../texts';

/**
 * The CIBA token request grant type.
 */
export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

type Tokens = TokenEndpointResponse & TokenEndpointResponseHelpers;

/**
 * CIBA as a PushProvider, in poll or ping mode; the ID token's `sub` (the OP's own identifier) is
 * the subject. In ping mode it reads the OP's pings (`readNotification`); polling stays the fallback.
 *
 * @example
 * ```ts
 * import { CibaProvider } from 'passport-push';
 *
 * const provider = new CibaProvider({
 *   issuer: 'https://login.example.com/realms/acme',
 *   clientId: 'web-app',
 *   clientSecret: process.env.CIBA_CLIENT_SECRET,
 * });
 * ```
 */
export class CibaProvider implements PushProvider {
  readonly name: string;
  readonly displayName: string;
  /** What this provider tells the user, in English, German and Swedish. */
  readonly texts = cibaTexts;
  readonly userId = 'required';
  /** The `sub` is the OP's identifier (Keycloak: a UUID), not the login hint that was typed. */
  readonly subjectRule: SubjectRule = 'provider';
  // Private fields: the credentials never show in util.inspect, JSON or errors.
  readonly #settings: CibaSettings;
  readonly #widened = new WidenedIntervals();
  #config: Promise<Configuration> | undefined;
  /**
   * With `authorizationDetails`: the OP shows the action's details (RFC 9396) and its token
   * response grants them, which must equal what was asked.
   */
  readonly actions?: ActionCapability;
  /** A step-up's `acr` goes to the OP as `acr_values` and must come back as the ID token's `acr`. */
  readonly confirmsAcr = true;

  constructor(options: CibaProviderOptions) {
    this.#settings = resolveCibaOptions(options);
    this.name = this.#settings.name;
    this.displayName = this.#settings.displayName;
    if (this.#settings.notificationEndpoint) this.readNotification = readPing;
    if (this.#settings.authorizationDetails) {
      this.actions = { shows: 'amount-and-payee', proves: 'provider-assertion' };
    }
  }

  /** Ping mode only: reads the OP's ping (bearer token and `auth_req_id`); never an approval. */
  readonly readNotification?: (request: NotificationRequest) => Promise<NotificationRead>;

  /** Ping mode's notification endpoint as registered at the OP (undefined in poll mode). */
  get notificationEndpoint(): string | undefined {
    return this.#settings.notificationEndpoint?.href;
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const parameters = this.#startParameters(request);
    const details = request.action ? this.#authorizationDetails(request.action) : undefined;
    if (details !== undefined) parameters['authorization_details'] = details;
    // Ping mode: a fresh token per request, never stored; the core keeps a hash of the key only.
    const notificationToken = this.#settings.notificationEndpoint ? newNotificationToken() : undefined;
    if (notificationToken !== undefined) parameters['client_notification_token'] = notificationToken;
    const { client, config } = await this.#ready();
    const body = await this.#backchannelRequest(parameters, config);
    const context = newCall(signal);
    let response: Awaited<ReturnType<OpenIdClientModule['initiateBackchannelAuthentication']>>;
    try {
      response = await inCall(context, () => client.initiateBackchannelAuthentication(config, body));
    } catch (error) {
      throw startFailure(classify(client, error, context));
    }
    if (!isUsableAuthReqId(response.auth_req_id)) {
      throw new PushError(
        'protocol',
        'The OpenID provider returned an unusable auth_req_id (empty, over 4 KiB or not printable).',
        {
          code: 'invalid_response',
        },
      );
    }
    const interval = pollInterval(response.interval);
    const bindingMessage = parameters['binding_message'];
    return {
      handle: {
        ...toHandle({ authReqId: response.auth_req_id, interval }),
        // An action's: what the token response must grant, as a hash of the canonical JSON sent.
        ...(request.action && details !== undefined
          ? { intentHash: request.action.hash, detailsHash: sha256(JSON.parse(details)) }
          : {}),
        // A step-up's level: the ID token of this challenge must carry it.
        ...(request.acr !== undefined ? { acr: request.acr } : {}),
      },
      display: bindingMessage === undefined ? {} : { bindingMessage },
      expiresAt: Date.now() + response.expires_in * 1000,
      pollIntervalMs: interval * 1000,
      ...(notificationToken !== undefined
        ? { notificationKey: pingKey(notificationToken, response.auth_req_id) }
        : {}),
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const parsed = readHandle(handle);
    if (!parsed) {
      return {
        state: 'invalid',
        message: messageOf(cibaTexts, 'ciba.invalid_handle'),
      };
    }
    const { client, config } = await this.#ready();
    const context = newCall(signal);
    let tokens: Tokens;
    try {
      tokens = await inCall(context, () =>
        client.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: parsed.authReqId }),
      );
    } catch (error) {
      const failure = classify(client, error, context);
      if (
        failure.type === 'oauth' &&
        (failure.code === 'authorization_pending' || failure.code === 'slow_down')
      ) {
        return this.#widened.pending(parsed, failure.code, failure.retryAfterMs);
      }
      const status = tokenFailure(failure, {
        certificate: hasClientCertificate(this.#settings.tls),
        opBindsToCertificates: config.serverMetadata().tls_client_certificate_bound_access_tokens === true,
      });
      this.#widened.forget(parsed.authReqId);
      return status;
    }
    this.#widened.forget(parsed.authReqId);
    const status = approved(tokens, {
      signingAlgs: this.#settings.idTokenSigningAlgs,
      acrValues: typeof handle['acr'] === 'string' ? handle['acr'] : this.#settings.acrValues,
    });
    const { intentHash, detailsHash } = handle;
    if (typeof intentHash === 'string' && typeof detailsHash === 'string') {
      return grantedAction(status, tokens, intentHash, detailsHash);
    }
    return status;
  }

  /** The action's `authorization_details` as sent (JSON); refused when the app's mapping is unusable. */
  #authorizationDetails(action: ActionRequest): string {
    const make = this.#settings.authorizationDetails;
    if (!make) {
      throw new PushError('config', `${this.name} approves no actions: set \`authorizationDetails\`.`, {
        code: 'invalid_option',
      });
    }
    const details: unknown = make(action);
    if (
      !Array.isArray(details) ||
      details.length === 0 ||
      !details.every((detail) => typeof (detail as { type?: unknown } | null)?.type === 'string')
    ) {
      throw new PushError(
        'config',
        'authorizationDetails must return a non-empty list of objects with a `type`.',
        {
          code: 'invalid_option',
        },
      );
    }
    return JSON.stringify(details);
  }

  /** openid-client and the OP's configuration, loaded once; a failure is retried next time. */
  async #ready(): Promise<{ client: OpenIdClientModule; config: Configuration }> {
    const client = await loadOpenIdClient();
    this.#config ??= discover(client, this.#settings).catch((error: unknown) => {
      this.#config = undefined;
      throw error;
    });
    return { client, config: await this.#config };
  }

  /** The request's parameters: scope, exactly one hint, and the optional extras. */
  #startParameters(request: StartRequest): Record<string, string> {
    const settings = this.#settings;
    if (request.userId === undefined || request.userId.trim() === '') {
      throw new PushError('input', 'Enter your user ID.', { code: 'missing_user_id' });
    }
    const hint: unknown = settings.loginHintFrom(request.userId);
    if (typeof hint !== 'string' || hint.length === 0) {
      throw new PushError('config', 'The loginHintFrom function must return a non-empty string.', {
        code: 'invalid_option',
      });
    }
    const parameters: Record<string, string> = { scope: settings.scope, [settings.hintParameter]: hint };
    const bindingMessage = this.#bindingMessage(request);
    if (bindingMessage !== undefined) parameters['binding_message'] = bindingMessage;
    if (settings.requestedExpiry !== undefined)
      parameters['requested_expiry'] = String(settings.requestedExpiry);
    const acrValues = request.acr ?? settings.acrValues;
    if (acrValues !== undefined) parameters['acr_values'] = acrValues;
    const userCode = settings.userCode?.(request);
    if (userCode !== undefined) parameters['user_code'] = userCode;
    return parameters;
  }

  /**
   * What is sent: the parameters as they are, or (with `requestObject`) only a signed `request`
   * carrying them, so no CIBA parameter travels outside the signature. openid-client adds client auth.
   */
  async #backchannelRequest(
    parameters: Record<string, string>,
    config: Configuration,
  ): Promise<Record<string, string>> {
    const signer = this.#settings.requestObject;
    if (!signer) return parameters;
    return { request: await signer.sign(parameters, config.serverMetadata().issuer) };
  }

  #bindingMessage(request: StartRequest): string | undefined {
    const make = this.#settings.bindingMessage;
    if (!make) return undefined;
    const message: unknown = make(request);
    if (typeof message !== 'string' || message.length === 0) {
      throw new PushError('config', 'The bindingMessage function must return a non-empty string.', {
        code: 'invalid_option',
      });
    }
    return message;
  }
}

/**
 * An action's approval: the token response must grant exactly the `authorization_details` that were
 * asked (RFC 9396 §7 lets an OP change or omit values: then it is another approval, refused).
 */
function grantedAction(
  status: ChallengeStatus,
  tokens: Tokens,
  intentHash: string,
  detailsHash: string,
): ChallengeStatus {
  const granted: unknown = (tokens as { authorization_details?: unknown }).authorization_details;
  if (!Array.isArray(granted) || sha256(granted) !== detailsHash) {
    throw new PushError(
      'protocol',
      'The OpenID provider granted other authorization_details than were asked.',
      {
        code: 'intent_mismatch',
      },
    );
  }
  return {
    ...(status as ApprovedStatus),
    action: {
      intentHash,
      proof: { id_token: tokens.id_token ?? '', authorization_details: JSON.stringify(granted) },
    },
  };
}

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('base64url');
}

/**
 * Tokens are approval only with an ID token that openid-client validated (signature when enabled,
 * iss, aud, azp, exp, iat and a string `sub`; CIBA has no nonce, so none is expected) that also
 * passes the algorithm pin and the acr check (id-token-checks.ts). All its
 * claims (`preferred_username`, `email`, …) reach the verify callback.
 */
function approved(tokens: Tokens, policy: IdTokenPolicy): ChallengeStatus {
  const claims = tokens.claims();
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw new PushError('protocol', 'The OpenID provider issued tokens without an ID token.', {
      code: 'invalid_response',
    });
  }
  checkIdToken(tokens.id_token, claims, policy);
  return { state: 'approved', subject: claims.sub, claims: { ...claims } };
}

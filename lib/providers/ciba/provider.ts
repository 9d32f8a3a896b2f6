/**
 * OpenID Connect CIBA (Client-Initiated Backchannel Authentication), poll mode, on openid-client.
 * `start` sends the backchannel authentication request; `check` makes exactly one token request
 * (never openid-client's polling loop, which waits and loops inside one call).
 *
 * Intervals: `pollIntervalMs` comes from the OP's `interval` (5 s when absent). After `slow_down`
 * the interval grows by 5 s for good; `check` returns it as `retryAfterMs` ("do not check again
 * before now + retryAfterMs"), on that answer and on every later `pending` answer from this
 * process. A `Retry-After` header, when longer, wins.
 */
import type { Configuration, TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client' with {
  'resolution-mode': 'import',
};
import { PushError } from '../../errors';
import type {
  ChallengeHandle,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
} from '../provider';
import { discover } from './configuration';
import { classify } from './failure';
import { MAX_AUTH_REQ_ID_LENGTH, pollInterval, readHandle, toHandle } from './handle';
import { WidenedIntervals } from './intervals';
import { loadOpenIdClient, type OpenIdClientModule } from './load';
import { resolveCibaOptions, type CibaProviderOptions, type CibaSettings } from './options';
import { startFailure, tokenFailure } from './outcomes';
import { inCall, newCall } from './transport';

export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

type Tokens = TokenEndpointResponse & TokenEndpointResponseHelpers;

export class CibaProvider implements PushProvider {
  readonly name: string;
  // Private fields: the credentials never show in util.inspect, JSON or errors.
  readonly #settings: CibaSettings;
  readonly #widened = new WidenedIntervals();
  #config: Promise<Configuration> | undefined;

  constructor(options: CibaProviderOptions) {
    this.#settings = resolveCibaOptions(options);
    this.name = this.#settings.name;
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const { client, config } = await this.#ready();
    const bindingMessage = this.#bindingMessage(request);
    const context = newCall(signal);
    let response: Awaited<ReturnType<OpenIdClientModule['initiateBackchannelAuthentication']>>;
    try {
      response = await inCall(context, () =>
        client.initiateBackchannelAuthentication(config, this.#startParameters(request, bindingMessage)),
      );
    } catch (error) {
      throw startFailure(classify(client, error, context));
    }
    if (response.auth_req_id.length > MAX_AUTH_REQ_ID_LENGTH) {
      throw new PushError('protocol', 'The OpenID provider returned an over-long auth_req_id.', {
        code: 'invalid_response',
      });
    }
    const interval = pollInterval(response.interval);
    return {
      handle: toHandle({ authReqId: response.auth_req_id, interval }),
      display: bindingMessage === undefined ? {} : { bindingMessage },
      expiresAt: Date.now() + response.expires_in * 1000,
      pollIntervalMs: interval * 1000,
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const parsed = readHandle(handle);
    if (!parsed) return { state: 'invalid', detail: 'The stored sign-in request is not a CIBA request.' };
    const { client, config } = await this.#ready();
    const remembered = this.#widened.get(parsed.authReqId);
    const interval = Math.max(parsed.interval, remembered ?? 0);
    const context = newCall(signal);
    let tokens: Tokens;
    try {
      tokens = await inCall(context, () =>
        client.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: parsed.authReqId }),
      );
    } catch (error) {
      const status = tokenFailure(classify(client, error, context), interval, remembered !== undefined, (s) =>
        this.#widened.set(parsed.authReqId, s),
      );
      if (status.state !== 'pending') this.#widened.forget(parsed.authReqId);
      return status;
    }
    this.#widened.forget(parsed.authReqId);
    return approved(tokens);
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

  #bindingMessage(request: StartRequest): string | undefined {
    const make = this.#settings.bindingMessage;
    if (!make) return undefined;
    const message: unknown = make(request);
    if (typeof message !== 'string' || message.length === 0) {
      throw new PushError('config', 'The bindingMessage function must return a non-empty string.');
    }
    return message;
  }

  #startParameters(request: StartRequest, bindingMessage: string | undefined): Record<string, string> {
    const settings = this.#settings;
    const loginHint: unknown = settings.loginHintFrom(request.userId);
    if (typeof loginHint !== 'string' || loginHint.length === 0) {
      throw new PushError('config', 'The loginHintFrom function must return a non-empty string.');
    }
    const parameters: Record<string, string> = { scope: settings.scope, login_hint: loginHint };
    if (bindingMessage !== undefined) parameters.binding_message = bindingMessage;
    if (settings.requestedExpiry !== undefined)
      parameters.requested_expiry = String(settings.requestedExpiry);
    if (settings.acrValues !== undefined) parameters.acr_values = settings.acrValues;
    const userCode = settings.userCode?.(request);
    if (userCode !== undefined) parameters.user_code = userCode;
    return parameters;
  }
}

/**
 * Tokens are approval only with an ID token that openid-client validated (signature when enabled,
 * iss, aud, azp, exp, iat and a string `sub`; CIBA has no nonce, so none is expected).
 */
function approved(tokens: Tokens): ChallengeStatus {
  const claims = tokens.claims();
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw new PushError('protocol', 'The OpenID provider issued tokens without an ID token.', {
      code: 'missing_id_token',
    });
  }
  return { state: 'approved', subject: claims.sub, claims: { ...claims } };
}

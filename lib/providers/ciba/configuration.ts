/**
 * Discovery and client setup: one openid-client `Configuration` per provider, made on first use.
 * A failed discovery is not cached, so the next login tries again.
 */
import type { Configuration, ClientAuth } from 'openid-client' with { 'resolution-mode': 'import' };
import { PushError } from '../../errors';
import { classify } from './failure';
import type { OpenIdClientModule } from './load';
import type { CibaSettings, ClientCredentials } from './options';
import { createFetch, inCall, newCall, type CallContext } from './transport';

export async function discover(client: OpenIdClientModule, settings: CibaSettings): Promise<Configuration> {
  const fetch = createFetch(settings.timeoutMs);
  const clientAuth = await clientAuthentication(client, settings.credentials);
  // openid-client's own deadline stays behind ours, so a timeout is reported as ours ("timeout").
  const timeout = Math.ceil(settings.timeoutMs / 1000) + 5;
  const context = newCall(undefined);
  let config: Configuration;
  try {
    config = await inCall(context, () =>
      client.discovery(settings.issuer, settings.clientId, undefined, clientAuth, {
        [client.customFetch]: fetch,
        timeout,
        execute: settings.allowInsecureHttp ? [client.allowInsecureRequests] : [],
      }),
    );
  } catch (error) {
    throw discoveryFailure(client, error, context, settings.issuer);
  }
  const metadata = config.serverMetadata();
  if (typeof metadata.backchannel_authentication_endpoint !== 'string') {
    throw new PushError(
      'provider',
      `${settings.issuer.origin} does not offer CIBA (no backchannel_authentication_endpoint in its discovery document).`,
      { code: 'ciba_not_supported' },
    );
  }
  const modes = metadata.backchannel_token_delivery_modes_supported;
  if (Array.isArray(modes) && !modes.includes('poll')) {
    throw new PushError('provider', `${settings.issuer.origin} does not offer CIBA poll mode.`, {
      code: 'ciba_poll_not_supported',
    });
  }
  if (settings.verifyIdTokenSignature) client.enableNonRepudiationChecks(config);
  return config;
}

async function clientAuthentication(
  client: OpenIdClientModule,
  credentials: ClientCredentials,
): Promise<ClientAuth> {
  switch (credentials.method) {
    case 'client_secret_post':
      return client.ClientSecretPost(credentials.secret);
    case 'client_secret_basic':
      return client.ClientSecretBasic(credentials.secret);
    case 'private_key_jwt': {
      const key = await credentials.key.toCryptoKey();
      return client.PrivateKeyJwt(
        credentials.key.kid === undefined ? key : { key, kid: credentials.key.kid },
      );
    }
  }
}

function discoveryFailure(
  client: OpenIdClientModule,
  error: unknown,
  context: CallContext,
  issuer: URL,
): PushError {
  const failure = classify(client, error, context);
  if (failure.type === 'transport') return failure.error;
  const reason =
    failure.type === 'malformed'
      ? failure.reason
      : failure.type === 'oauth'
        ? failure.code
        : `HTTP ${failure.status}`;
  return new PushError(
    'protocol',
    `Could not load the OpenID configuration of ${issuer.origin} (${reason}).`,
    {
      code: 'discovery_failed',
      retryable: true,
    },
  );
}

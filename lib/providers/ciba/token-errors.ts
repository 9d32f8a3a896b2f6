/**
 * Token-endpoint errors that describe the client's own configuration, not the sign-in request.
 *
 * The rule: the OAuth error code decides. `invalid_client`, `unauthorized_client` and
 * `unsupported_grant_type` are always the client's configuration. `invalid_grant` means the request
 * is spent or unknown (CIBA §11) and ends the login as `invalid`, except where the client's tokens
 * must be bound to a proof it did not bring: RFC 8705 defines no error code for that, and OPs
 * answer `invalid_grant` (oidc-provider with only "grant request is invalid"; the detail, "mutual
 * TLS client certificate not provided", stays in its log). So `invalid_grant` is a configuration
 * fault when (a) its description names the client certificate, mutual TLS or DPoP, or (b) the
 * client presents no certificate to an OP that announces certificate-bound tokens
 * (`tls_client_certificate_bound_access_tokens`). Beyond that a description only sharpens the
 * message. Either way the login ends without approval; only who is told, and what, differs.
 */
import type { PushErrorCode, PushErrorKind } from '../../errors';

/** What a configuration fault becomes: a `PushError` of this kind, code and message. */
export interface ConfigurationFault {
  kind: PushErrorKind;
  code: PushErrorCode;
  message: string;
}

/**
 * A description that names the TLS client certificate or mutual TLS (oidc-provider's "client
 * certificate", Keycloak's "MTLS HoK"), not any certificate (an assertion's `x5c` is not one).
 */
const CERTIFICATE =
  /client certificat|certificate[\s-]bound|mutual[\s-]?tls|\bmtls\b|holder[\s-]of[\s-]key|\bhok\b/i;
const DPOP = /\bdpop\b/i;

const CONFIGURED_BY_CODE: Readonly<Record<string, string>> = {
  invalid_client:
    'The OpenID provider refused the client credentials at its token endpoint; check clientId and the client secret, key or certificate.',
  unauthorized_client:
    'The OpenID provider does not allow this client the CIBA grant; check its registration (grant types, token delivery mode).',
  unsupported_grant_type: 'The OpenID provider does not accept the CIBA grant at its token endpoint.',
};

/** What the client knows of its own side of the token binding. */
export interface TokenBinding {
  /** The client presents a TLS client certificate. */
  certificate: boolean;
  /** The OP's discovery document announces `tls_client_certificate_bound_access_tokens`. */
  opBindsToCertificates: boolean;
}

/**
 * The configuration fault a token error answer names, or undefined when it is about the request
 * itself (then the code's own meaning applies).
 */
export function tokenConfigurationFault(
  code: string,
  description: string | undefined,
  binding: TokenBinding,
): ConfigurationFault | undefined {
  const text = description ?? '';
  const byCode = Object.hasOwn(CONFIGURED_BY_CODE, code) ? CONFIGURED_BY_CODE[code] : undefined;
  if (byCode === undefined && code !== 'invalid_grant') return undefined;
  if (DPOP.test(text)) {
    return {
      kind: 'provider',
      code: 'not_supported',
      message: `The OpenID provider wants this client's tokens bound with DPoP, which CibaProvider does not do; register the client for certificate-bound tokens and set tls. (${code})`,
    };
  }
  if (CERTIFICATE.test(text)) return certificateFault(code, binding.certificate);
  if (byCode !== undefined) return { kind: 'provider', code: 'unauthorized', message: `${byCode} (${code})` };
  if (!binding.certificate && binding.opBindsToCertificates) {
    return {
      kind: 'config',
      code: 'unauthorized',
      message: `The OpenID provider refused the token request, and it binds tokens to TLS client certificates while this client presents none: if the client is registered for certificate-bound tokens (as FAPI requires), set tls: { cert, key }. (${code})`,
    };
  }
  return undefined;
}

function certificateFault(code: string, certificate: boolean): ConfigurationFault {
  if (!certificate) {
    return {
      kind: 'config',
      code: 'unauthorized',
      message: `The OpenID provider requires a TLS client certificate at its token endpoint (to bind the tokens to it, or to authenticate the client), and none is configured: set tls: { cert, key }. (${code})`,
    };
  }
  return {
    kind: 'provider',
    code: 'unauthorized',
    message: `The OpenID provider did not get or did not accept the TLS client certificate at its token endpoint; check that tls.cert is the one registered for this client, and that nothing between the app and the OP ends the TLS connection. (${code})`,
  };
}

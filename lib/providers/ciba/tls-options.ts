/**
 * CIBA's `tls` option: a TLS client certificate, for certificate-bound tokens and mutual-TLS client
 * authentication (`tls_client_auth`, `self_signed_tls_client_auth`), or a private CA to trust. The
 * connections run on the one mutual-TLS transport (../tls-transport.ts), BankID's too.
 */
import { configError } from '../options';
import { createTlsTransport, tlsMaterialLoads, type TlsTransport } from '../tls-transport';

/**
 * The client certificate and key (PEM), and optionally the CA(s) that signed the OP's server certificate.
 */
export interface CibaTlsOptions {
  /** The client certificate (PEM); with `key`, or neither when only `ca` is set. */
  cert?: string | Buffer;
  /** The client certificate's private key (PEM). */
  key?: string | Buffer;
  /** Default: the system's CAs. Set for a private PKI (and test OPs). */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

/** Checks the material loads now, so a wrong file fails at start-up; never quotes it. */
export function checkTlsOptions(tls: unknown): CibaTlsOptions {
  if (typeof tls !== 'object' || tls === null) {
    throw configError('CibaProvider', 'tls must be an object ({ cert, key, ca? }).');
  }
  const options = tls as CibaTlsOptions;
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw configError('CibaProvider', 'tls needs cert and key together.');
  }
  if (options.cert === undefined && options.ca === undefined) {
    throw configError('CibaProvider', 'tls needs cert and key (the client certificate), or ca.');
  }
  if (!tlsMaterialLoads(options)) {
    throw configError(
      'CibaProvider',
      'tls: the client certificate could not be loaded (check cert, key and that they match, and ca).',
    );
  }
  return options;
}

/** True when `tls` carries a client certificate to present (not only a CA to trust). */
export function hasClientCertificate(tls: CibaTlsOptions | undefined): boolean {
  return tls?.cert !== undefined;
}

/** The transport that presents `tls` to the OpenID provider (see ../tls-transport.ts). */
export function cibaTlsTransport(tls: CibaTlsOptions): TlsTransport {
  return createTlsTransport(tls, {
    clientCertificate:
      'The OpenID provider refused the TLS client certificate (tls.cert): not issued by a CA it trusts, or expired.',
    serverCertificate:
      "The OpenID provider's server certificate does not verify against tls.ca (or the system's CAs).",
  });
}

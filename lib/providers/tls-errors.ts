/**
 * What Node's TLS error codes say about certificates, for the providers that speak mutual TLS
 * (BankID, CIBA with `tls_client_auth`): a refused client certificate and an unverifiable server
 * certificate are configuration faults, never worth a retry.
 */

/** TLS alerts a server sends when it refuses (or gets no) client certificate. */
export const CLIENT_CERT_ALERT =
  /^ERR_SSL_(?:TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|SSLV3_ALERT_CERTIFICATE_UNKNOWN|SSLV3_ALERT_CERTIFICATE_EXPIRED|SSLV3_ALERT_CERTIFICATE_REVOKED|SSLV3_ALERT_HANDSHAKE_FAILURE|TLSV1_ALERT_UNKNOWN_CA|TLSV1_ALERT_ACCESS_DENIED)$/;

/** Verification failures of the server's certificate against the configured `ca` (or the system's CAs). */
export const SERVER_CERT_REFUSED: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

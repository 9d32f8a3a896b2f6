/**
 * openid-client 6 is ESM-only and this package is CommonJS: load it with a real dynamic import()
 * (kept as such by TypeScript's node16 module mode), once per process.
 */
import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };

export type OpenIdClientModule = typeof OpenIdClient;

let loading: Promise<OpenIdClientModule> | undefined;

export function loadOpenIdClient(): Promise<OpenIdClientModule> {
  loading ??= import('openid-client').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

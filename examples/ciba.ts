// Usage's app on an OpenID Connect CIBA provider (Keycloak, Auth0, Authlete, …), poll mode.
import { CibaProvider, type CibaProviderOptions } from 'passport-push';
import { loginApp, type AppOptions } from './minimal.js';

/** The app, with a CIBA OP as the provider. The login form's ID is sent as `login_hint`. */
export function createApp(ciba: CibaProviderOptions, options: AppOptions) {
  // The approving user's `sub` must equal the ID typed. Where the OP's `sub` is another identifier,
  // map it in the verify callback and see the strategy's `subjectMatch` option.
  return loginApp(new CibaProvider(ciba), options);
}

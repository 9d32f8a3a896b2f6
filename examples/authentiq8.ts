// Usage's app on Authentiq8 Me: your client id and RSA private key from Authentiq8's console.
import { Authentiq8Provider, type Authentiq8ProviderOptions } from 'passport-push';
import { loginApp, type AppOptions } from './minimal.js';

/** The app, with Authentiq8 Me as the provider. Users must have linked the app (see enrolmentRouter). */
export function createApp(authentiq8: Authentiq8ProviderOptions, options: AppOptions) {
  return loginApp(new Authentiq8Provider(authentiq8), options);
}

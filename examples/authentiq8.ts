// Usage's app on Authentiq8 Me: your client id and RSA private key from Authentiq8's console.
import { readFileSync } from 'node:fs';
import { Authentiq8Provider, type Authentiq8ProviderOptions } from 'passport-push';
import { loginApp, type AppOptions } from './minimal';

/** The app, with Authentiq8 Me as the provider. Users must have linked the app (see enrolmentRouter). */
export function createApp(authentiq8: Authentiq8ProviderOptions, options: AppOptions) {
  return loginApp(new Authentiq8Provider(authentiq8), options);
}

if (require.main === module) {
  const { AUTHENTIQ8_CLIENT_ID, AUTHENTIQ8_PRIVATE_KEY_FILE, SESSION_SECRET } = process.env;
  if (!AUTHENTIQ8_CLIENT_ID || !AUTHENTIQ8_PRIVATE_KEY_FILE || !SESSION_SECRET)
    throw new Error('Set AUTHENTIQ8_CLIENT_ID, AUTHENTIQ8_PRIVATE_KEY_FILE and SESSION_SECRET.');
  const authentiq8 = {
    clientId: AUTHENTIQ8_CLIENT_ID,
    privateKey: readFileSync(AUTHENTIQ8_PRIVATE_KEY_FILE, 'utf8'),
  };
  createApp(authentiq8, { sessionSecret: SESSION_SECRET }).listen(3000);
}

/**
 * What a CIBA login tells the user, in the library's languages: the texts of its terminal token
 * answers (`ciba.<error>`) and its words for an ID the OpenID provider does not know.
 */
import { builtInTexts } from '../texts';

/**
 * The CIBA provider's user-facing texts in English, German and Swedish (`CibaProvider#texts`).
 *
 * @example
 * ```ts
 * import { CibaProvider } from 'passport-push';
 *
 * declare const provider: CibaProvider;
 * console.log(provider.texts.de['ciba.access_denied']);
 * ```
 */
export const cibaTexts = builtInTexts({
  en: {
    'ciba.access_denied': 'The login was denied on the phone.',
    'ciba.expired_token': 'The login request expired before it was approved.',
    'ciba.invalid_grant': 'The login request is not valid any more (already used or unknown).',
    'ciba.invalid_handle': 'The login request is not valid any more.',
    'error.unknown_user': 'That ID is not known to the login service. Check it and try again.',
  },
  de: {
    'ciba.access_denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
    'ciba.expired_token': 'Die Anmeldeanfrage ist abgelaufen, bevor sie bestätigt wurde.',
    'ciba.invalid_grant': 'Die Anmeldeanfrage ist nicht mehr gültig (schon verwendet oder unbekannt).',
    'ciba.invalid_handle': 'Die Anmeldeanfrage ist nicht mehr gültig.',
    'error.unknown_user':
      'Diese ID ist beim Anmeldedienst nicht bekannt. Prüfen Sie sie und versuchen Sie es erneut.',
  },
  sv: {
    'ciba.access_denied': 'Inloggningen nekades i telefonen.',
    'ciba.expired_token': 'Inloggningsbegäran gick ut innan den godkändes.',
    'ciba.invalid_grant': 'Inloggningsbegäran är inte längre giltig (redan använd eller okänd).',
    'ciba.invalid_handle': 'Inloggningsbegäran är inte längre giltig.',
    'error.unknown_user': 'Det ID:t är okänt för inloggningstjänsten. Kontrollera det och försök igen.',
  },
});

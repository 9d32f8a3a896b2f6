/**
 * What Authentiq8 Me tells the user, in the library's languages: the texts of its own terminal
 * messages (`authentiq8.status.<state>`, and `authentiq8.action.<state>` for an action's push) and its words for an unknown ID or a user without a phone.
 * (Messages for other rsp_codes show the guide's English description.)
 */
import { builtInTexts } from '../texts';

/**
 * Authentiq8 Me's user-facing texts in English, German and Swedish (`Authentiq8Provider#texts`).
 *
 * @example
 * ```ts
 * import { Authentiq8Provider } from 'passport-push';
 *
 * declare const provider: Authentiq8Provider;
 * console.log(provider.texts.sv['error.no_device']);
 * ```
 */
export const authentiq8Texts = builtInTexts({
  en: {
    'authentiq8.instruction': 'Confirm the request in the Authentiq8 Me app on your phone.',
    'authentiq8.status.declined': 'The login was denied in the Authentiq8 Me app.',
    'authentiq8.status.expired': 'The login request expired before it was answered.',
    'authentiq8.status.cancelled': 'The login request was cancelled.',
    'authentiq8.action.declined': 'The request was denied in the Authentiq8 Me app.',
    'authentiq8.action.expired': 'The request to approve expired before it was answered.',
    'authentiq8.action.cancelled': 'The request to approve was cancelled.',
    'error.unknown_user': 'That ID is not known to Authentiq8 Me. Check it and try again.',
    'error.no_device': 'This ID has no phone linked yet. Link the Authentiq8 Me app first.',
  },
  de: {
    'authentiq8.instruction': 'Bestätigen Sie die Anfrage in der Authentiq8-Me-App auf Ihrem Telefon.',
    'authentiq8.status.declined': 'Die Anmeldung wurde in der Authentiq8-Me-App abgelehnt.',
    'authentiq8.status.expired': 'Die Anmeldeanfrage ist abgelaufen, bevor sie beantwortet wurde.',
    'authentiq8.status.cancelled': 'Die Anmeldeanfrage wurde abgebrochen.',
    'authentiq8.action.declined': 'Die Anfrage wurde in der Authentiq8-Me-App abgelehnt.',
    'authentiq8.action.expired': 'Die Anfrage zur Bestätigung ist abgelaufen, bevor sie beantwortet wurde.',
    'authentiq8.action.cancelled': 'Die Anfrage zur Bestätigung wurde abgebrochen.',
    'error.unknown_user':
      'Diese ID ist bei Authentiq8 Me nicht bekannt. Prüfen Sie sie und versuchen Sie es erneut.',
    'error.no_device':
      'Mit dieser ID ist noch kein Telefon verknüpft. Verknüpfen Sie zuerst die Authentiq8-Me-App.',
  },
  sv: {
    'authentiq8.instruction': 'Bekräfta begäran i Authentiq8 Me-appen i din telefon.',
    'authentiq8.status.declined': 'Inloggningen nekades i Authentiq8 Me-appen.',
    'authentiq8.status.expired': 'Inloggningsbegäran gick ut innan den besvarades.',
    'authentiq8.status.cancelled': 'Inloggningsbegäran avbröts.',
    'authentiq8.action.declined': 'Begäran nekades i Authentiq8 Me-appen.',
    'authentiq8.action.expired': 'Begäran om godkännande gick ut innan den besvarades.',
    'authentiq8.action.cancelled': 'Begäran om godkännande avbröts.',
    'error.unknown_user': 'Det ID:t är okänt för Authentiq8 Me. Kontrollera det och försök igen.',
    'error.no_device': 'Ingen telefon är kopplad till detta ID ännu. Koppla Authentiq8 Me-appen först.',
  },
});

/**
 * What SecSign ID tells the user, in the library's languages: the texts of its states' messages
 * (`secsign.<state>`) and its own words for an unknown ID.
 */
import { builtInTexts } from '../texts';

/**
 * SecSign ID's user-facing texts in English, German and Swedish (`SecSignIdProvider#texts`).
 *
 * @example
 * ```ts
 * import { SecSignIdProvider } from 'passport-push';
 *
 * declare const provider: SecSignIdProvider;
 * console.log(provider.texts.de['error.unknown_user']); // 'Diese SecSign ID existiert nicht. …'
 * ```
 */
export const secSignIdTexts = builtInTexts({
  en: {
    'secsign.instruction': 'Confirm the login on your phone.',
    'secsign.denied': 'The login was denied on the phone.',
    'secsign.expired': 'The login request expired.',
    'secsign.suspended': 'The login request was withdrawn because a newer one was started.',
    'secsign.cancelled': 'The login was cancelled.',
    'secsign.invalid': 'The login request is not valid any more.',
    'secsign.action.instruction': 'Confirm the request on your phone.',
    'secsign.action.denied': 'The request was denied on the phone.',
    'secsign.action.expired': 'The request to approve expired.',
    'secsign.action.suspended': 'The request was withdrawn because a newer one was started.',
    'secsign.action.cancelled': 'The request was cancelled.',
    'secsign.action.invalid': 'The request to approve is not valid any more.',
    'error.unknown_user': 'That SecSign ID does not exist. Check it and try again.',
  },
  de: {
    'secsign.instruction': 'Bestätigen Sie die Anmeldung auf Ihrem Telefon.',
    'secsign.denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
    'secsign.expired': 'Die Anmeldeanfrage ist abgelaufen.',
    'secsign.suspended': 'Die Anmeldeanfrage wurde zurückgezogen, weil eine neuere gestartet wurde.',
    'secsign.cancelled': 'Die Anmeldung wurde abgebrochen.',
    'secsign.invalid': 'Die Anmeldeanfrage ist nicht mehr gültig.',
    'secsign.action.instruction': 'Bestätigen Sie die Anfrage auf Ihrem Telefon.',
    'secsign.action.denied': 'Die Anfrage wurde auf dem Telefon abgelehnt.',
    'secsign.action.expired': 'Die Anfrage zur Bestätigung ist abgelaufen.',
    'secsign.action.suspended': 'Die Anfrage wurde zurückgezogen, weil eine neuere gestartet wurde.',
    'secsign.action.cancelled': 'Die Anfrage wurde abgebrochen.',
    'secsign.action.invalid': 'Die Anfrage zur Bestätigung ist nicht mehr gültig.',
    'error.unknown_user': 'Diese SecSign ID existiert nicht. Prüfen Sie sie und versuchen Sie es erneut.',
  },
  sv: {
    'secsign.instruction': 'Bekräfta inloggningen i din telefon.',
    'secsign.denied': 'Inloggningen nekades i telefonen.',
    'secsign.expired': 'Inloggningsbegäran har gått ut.',
    'secsign.suspended': 'Inloggningsbegäran drogs tillbaka eftersom en nyare startades.',
    'secsign.cancelled': 'Inloggningen avbröts.',
    'secsign.invalid': 'Inloggningsbegäran är inte längre giltig.',
    'secsign.action.instruction': 'Bekräfta begäran i din telefon.',
    'secsign.action.denied': 'Begäran nekades i telefonen.',
    'secsign.action.expired': 'Begäran om godkännande har gått ut.',
    'secsign.action.suspended': 'Begäran drogs tillbaka eftersom en nyare startades.',
    'secsign.action.cancelled': 'Begäran avbröts.',
    'secsign.action.invalid': 'Begäran om godkännande är inte längre giltig.',
    'error.unknown_user': 'Det SecSign ID:t finns inte. Kontrollera det och försök igen.',
  },
});

/**
 * What Duo tells the user, in the library's languages: a text for every `auth_status` status
 * (`duo.status.<status>`, and `duo.action.<status>` where an action's push needs other words) and Duo's words for an unknown or unenrolled ID and a user without a phone.
 */
import { builtInTexts } from '../texts';

/**
 * Duo's user-facing texts in English, German and Swedish (`DuoProvider#texts`).
 *
 * @example
 * ```ts
 * import { DuoProvider } from 'passport-push';
 *
 * declare const provider: DuoProvider;
 * console.log(provider.texts.de['duo.status.pushed']);
 * ```
 */
export const duoTexts = builtInTexts({
  en: {
    'duo.instruction': 'Approve the Duo Push on your phone.',
    'duo.status.calling': 'Calling your phone…',
    'duo.status.answered': 'Answered. Follow the instructions on the call.',
    'duo.status.pushed': 'We sent a login request to your phone.',
    'duo.status.push_failed': 'The login request could not be sent to your phone.',
    'duo.status.sent': 'We sent a login code to your phone.',
    'duo.status.allow': 'Approved. Signing you in…',
    'duo.status.bypass': 'Signed in without a second factor (bypass).',
    'duo.status.deny': 'The login was denied on the phone.',
    'duo.status.fraud': 'The login was reported as fraudulent and blocked.',
    'duo.status.locked_out': 'Your account is locked out of Duo. Please contact your administrator.',
    'duo.status.timeout': 'The login request expired.',
    'duo.action.pushed': 'We sent the request to approve to your phone.',
    'duo.action.push_failed': 'The request to approve could not be sent to your phone.',
    'duo.action.allow': 'Approved.',
    'duo.action.deny': 'The request was denied on the phone.',
    'duo.action.fraud': 'The request was reported as fraudulent and blocked.',
    'duo.action.timeout': 'The request to approve expired.',
    'error.unknown_user': 'That ID is not enrolled in Duo. Check it, or enrol first.',
    'error.no_device': 'This ID has no phone that can receive a Duo Push. Add one in Duo first.',
  },
  de: {
    'duo.instruction': 'Bestätigen Sie den Duo Push auf Ihrem Telefon.',
    'duo.status.calling': 'Ihr Telefon wird angerufen…',
    'duo.status.answered': 'Angenommen. Folgen Sie den Anweisungen im Anruf.',
    'duo.status.pushed': 'Wir haben eine Anmeldeanfrage an Ihr Telefon gesendet.',
    'duo.status.push_failed': 'Die Anmeldeanfrage konnte nicht an Ihr Telefon gesendet werden.',
    'duo.status.sent': 'Wir haben einen Anmeldecode an Ihr Telefon gesendet.',
    'duo.status.allow': 'Bestätigt. Sie werden angemeldet…',
    'duo.status.bypass': 'Ohne zweiten Faktor angemeldet (Bypass).',
    'duo.status.deny': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
    'duo.status.fraud': 'Die Anmeldung wurde als Betrug gemeldet und gesperrt.',
    'duo.status.locked_out': 'Ihr Konto ist bei Duo gesperrt. Bitte wenden Sie sich an Ihre Administration.',
    'duo.status.timeout': 'Die Anmeldeanfrage ist abgelaufen.',
    'duo.action.pushed': 'Wir haben die Anfrage zur Bestätigung an Ihr Telefon gesendet.',
    'duo.action.push_failed': 'Die Anfrage zur Bestätigung konnte nicht an Ihr Telefon gesendet werden.',
    'duo.action.allow': 'Bestätigt.',
    'duo.action.deny': 'Die Anfrage wurde auf dem Telefon abgelehnt.',
    'duo.action.fraud': 'Die Anfrage wurde als Betrug gemeldet und gesperrt.',
    'duo.action.timeout': 'Die Anfrage zur Bestätigung ist abgelaufen.',
    'error.unknown_user':
      'Diese ID ist bei Duo nicht registriert. Prüfen Sie sie oder registrieren Sie sich zuerst.',
    'error.no_device':
      'Für diese ID gibt es kein Telefon, das Duo Push empfangen kann. Fügen Sie zuerst eines in Duo hinzu.',
  },
  sv: {
    'duo.instruction': 'Godkänn Duo Push i din telefon.',
    'duo.status.calling': 'Ringer din telefon…',
    'duo.status.answered': 'Besvarat. Följ instruktionerna i samtalet.',
    'duo.status.pushed': 'Vi har skickat en inloggningsbegäran till din telefon.',
    'duo.status.push_failed': 'Inloggningsbegäran kunde inte skickas till din telefon.',
    'duo.status.sent': 'Vi har skickat en inloggningskod till din telefon.',
    'duo.status.allow': 'Godkänd. Du loggas in…',
    'duo.status.bypass': 'Inloggad utan andra faktor (bypass).',
    'duo.status.deny': 'Inloggningen nekades i telefonen.',
    'duo.status.fraud': 'Inloggningen rapporterades som bedrägeri och stoppades.',
    'duo.status.locked_out': 'Ditt konto är spärrat i Duo. Kontakta din administratör.',
    'duo.status.timeout': 'Inloggningsbegäran har gått ut.',
    'duo.action.pushed': 'Vi har skickat begäran om godkännande till din telefon.',
    'duo.action.push_failed': 'Begäran om godkännande kunde inte skickas till din telefon.',
    'duo.action.allow': 'Godkänd.',
    'duo.action.deny': 'Begäran nekades i telefonen.',
    'duo.action.fraud': 'Begäran rapporterades som bedrägeri och stoppades.',
    'duo.action.timeout': 'Begäran om godkännande har gått ut.',
    'error.unknown_user': 'Det ID:t är inte registrerat i Duo. Kontrollera det eller registrera dig först.',
    'error.no_device':
      'Det finns ingen telefon som kan ta emot Duo Push för detta ID. Lägg till en i Duo först.',
  },
});

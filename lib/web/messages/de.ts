/** German (Sie-Form). */
import type { MessageKey } from './en';

export const de: Record<MessageKey, string> = {
  'page.title': 'Auf dem Telefon bestätigen',
  'page.signingInAs': 'Anmeldung als',
  'approval.title': 'Diese Aktion auf dem Telefon bestätigen – das ist keine Anmeldung',
  'approval.details': 'Prüfen Sie, dass Ihr Telefon genau dies zeigt, bevor Sie bestätigen:',
  'approval.state.pending': 'Bestätigen Sie diese Aktion auf Ihrem Telefon.',
  'approval.state.pending.scan':
    'Scannen Sie den QR-Code mit der App auf Ihrem Telefon, um diese Aktion zu bestätigen.',
  'approval.state.pending.app': 'Öffnen Sie die App auf diesem Gerät, um diese Aktion zu bestätigen.',
  'approval.state.fetched': 'Auf dem Telefon geöffnet. Warten auf Ihre Bestätigung der Aktion…',
  'approval.state.approved': 'Aktion bestätigt.',
  'approval.state.denied': 'Die Aktion wurde auf dem Telefon abgelehnt: Sie ist nicht bestätigt.',
  'approval.state.expired':
    'Die Anfrage ist abgelaufen, bevor die Aktion bestätigt wurde: Sie ist nicht bestätigt.',
  'approval.state.cancelled': 'Die Anfrage wurde abgebrochen: Die Aktion ist nicht bestätigt.',
  'approval.title.ended': 'Nicht bestätigt',
  'approval.state.superseded':
    'In einem anderen Tab wurde eine neuere Anfrage gestartet: Diese Aktion ist hier nicht bestätigt. Fahren Sie dort fort oder zeigen Sie die neuere Anfrage hier an.',
  'approval.action.showNewer': 'Die neuere Anfrage anzeigen',
  'approval.state.suspended':
    'Die Anfrage wurde zurückgezogen, weil eine neuere gestartet wurde: Die Aktion ist nicht bestätigt.',
  'approval.state.invalid': 'Die Anfrage ist nicht mehr gültig: Die Aktion ist nicht bestätigt.',
  'approval.state.none': 'Es wartet keine Aktion auf Bestätigung.',
  'approval.state.failed': 'Die Aktion wurde nicht bestätigt.',
  'approval.error.generic': 'Die Aktion wurde nicht bestätigt. Bitte versuchen Sie es erneut.',
  'approval.error.rate_limited':
    'Zu viele Bestätigungsanfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.',
  'approval.error.rate_limited.after':
    'Zu viele Bestätigungsanfragen. Versuchen Sie es in {seconds} Sekunden erneut.',
  'approval.error.subject_mismatch':
    'Das Telefon hat für einen anderen Benutzer bestätigt als den angefragten: Die Aktion ist nicht bestätigt.',
  'approval.error.timeout': 'Der Dienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.',
  'approval.error.store_unavailable':
    'Der Dienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.',
  'page.waitingCue': 'Verbleibende Zeit zum Bestätigen',

  'title.pending': 'Warten auf Bestätigung',
  'title.fetched': 'Auf dem Telefon geöffnet',
  'title.authenticated': 'Bestätigt',
  'title.denied': 'Anmeldung abgelehnt',
  'title.expired': 'Anmeldung abgelaufen',
  'title.superseded': 'Durch neuere Anmeldung ersetzt',
  'title.ended': 'Anmeldung beendet',

  'state.pending': 'Bitte bestätigen Sie die Anmeldung auf Ihrem Telefon.',
  'state.pending.scan':
    'Scannen Sie den QR-Code mit der App auf Ihrem Telefon, um diese Anmeldung zu bestätigen.',
  'state.pending.app': 'Öffnen Sie die App auf diesem Gerät, um diese Anmeldung zu bestätigen.',
  'state.fetched': 'Auf Ihrem Telefon geöffnet. Warten auf Ihre Bestätigung…',
  'state.authenticated': 'Bestätigt. Sie werden angemeldet…',
  'state.denied':
    'Die Anmeldung wurde auf dem Telefon abgelehnt. Wenn Sie sich anmelden möchten, versuchen Sie es erneut und bestätigen Sie dort.',
  'state.expired':
    'Die Anmeldeanfrage ist abgelaufen, bevor sie bestätigt wurde. Senden Sie sie erneut, um sich anzumelden.',
  'state.cancelled': 'Die Anmeldung wurde abgebrochen. Sie können sich jederzeit erneut anmelden.',
  'state.suspended': 'Die Anmeldeanfrage wurde zurückgezogen, weil eine neuere gestartet wurde.',
  'state.superseded':
    'In einem anderen Tab wurde eine neuere Anmeldung gestartet. Fahren Sie dort fort oder zeigen Sie die neuere Anmeldung hier an.',
  'state.invalid': 'Die Anmeldeanfrage ist nicht mehr gültig.',
  'state.none': 'Es wartet keine Anmeldung auf Bestätigung.',
  'state.rejected': 'Zu dieser ID gibt es hier kein Konto.',
  'state.failed': 'Die Anmeldung wurde nicht abgeschlossen.',
  'state.busy': 'Der Dienst ist ausgelastet. Neuer Versuch läuft…',
  'state.offline': 'Verbindungsproblem. Neuer Versuch läuft…',

  'countdown.left': 'Läuft ab in {time}',
  'countdown.minutes': 'Noch {minutes} Minuten zum Bestätigen.',
  'countdown.lastMinute': 'Weniger als eine Minute zum Bestätigen.',

  'action.cancel': 'Abbrechen',
  'action.retry': 'Erneut versuchen',
  'action.sendAgain': 'Erneut senden',
  'action.showNewer': 'Neuere Anmeldung anzeigen',
  'action.openApp': 'App auf diesem Gerät öffnen',

  'pass.alt': 'Zugangsbild: das Bild, das Sie auf dem Telefon auswählen',
  'pass.caption': 'Wählen Sie auf Ihrem Telefon das Zugangsbild, das genau so aussieht.',
  'qr.alt': 'QR-Code zum Scannen mit der App auf Ihrem Telefon. Damit bestätigen Sie diese Anmeldung.',
  'qr.caption': 'Oder scannen Sie diesen Code mit der App auf Ihrem Telefon.',
  'binding.label': 'Prüfen Sie, ob Ihr Telefon Folgendes anzeigt:',
  'instruction.default': 'Bestätigen Sie die Anmeldung auf Ihrem Telefon.',

  'help.summary': 'Keine Benachrichtigung erhalten?',
  'help.body':
    'Öffnen Sie die App auf Ihrem Telefon selbst: Die Anfrage wartet dort. Prüfen Sie, ob das Telefon online ist und die App Benachrichtigungen senden darf. Immer noch nichts? Brechen Sie ab und senden Sie die Anfrage erneut.',
  'help.summary.scan': 'Probleme beim Scannen?',
  'help.body.scan':
    'Öffnen Sie die App auf Ihrem Telefon, wählen Sie „QR-Code scannen“ und halten Sie die Kamera über den Code. Ist die App auf diesem Gerät? Öffnen Sie sie hier mit der Schaltfläche.',
  'help.summary.app': 'Die App hat sich nicht geöffnet?',
  'help.body.app':
    'Öffnen Sie die App auf diesem Gerät selbst: Die Anfrage wartet dort. Prüfen Sie, ob die App installiert und aktuell ist.',

  'enrolment.signIn': 'Melden Sie sich an, bevor Sie Ihr Telefon verknüpfen.',
  'enrolment.failed': 'Das Verknüpfen Ihres Telefons hat nicht geklappt. Bitte versuchen Sie es erneut.',

  'error.generic': 'Die Anmeldung wurde nicht abgeschlossen. Bitte versuchen Sie es erneut.',
  'error.rate_limited':
    'Zu viele Anmeldeanfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.',
  'error.rate_limited.after': 'Zu viele Anmeldeanfragen. Versuchen Sie es in {seconds} Sekunden erneut.',
  'error.missing_user_id': 'Bitte geben Sie Ihre ID ein.',
  'error.invalid_user_id': 'Diese ID ist nicht gültig.',
  'error.unknown_user': 'Diese ID ist nicht bekannt. Prüfen Sie sie und versuchen Sie es erneut.',
  'error.no_device':
    'Für diese ID ist noch kein Telefon eingerichtet. Richten Sie zuerst die App auf Ihrem Telefon ein und versuchen Sie es dann erneut.',
  'error.subject_mismatch':
    'Das Telefon hat für einen anderen Benutzer bestätigt als den, für den diese Anmeldung gestartet wurde.',
  'error.cross_origin': 'Diese Anfrage kam von einer anderen Website.',
  'error.invalid_body': 'Die Anfrage wurde nicht verstanden.',
  'error.timeout': 'Der Anmeldedienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.',
  'error.store_unavailable':
    'Der Anmeldedienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.',
};

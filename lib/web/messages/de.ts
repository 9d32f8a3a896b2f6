/** German (Sie-Form). */
import type { MessageKey } from './en';

export const de: Record<MessageKey, string> = {
  'page.title': 'Auf dem Telefon bestätigen',
  'page.signingInAs': 'Anmeldung als',
  'page.waitingCue': 'Verbleibende Zeit zum Bestätigen',

  'title.pending': 'Warten auf Bestätigung',
  'title.fetched': 'Auf dem Telefon geöffnet',
  'title.authenticated': 'Bestätigt',
  'title.denied': 'Anmeldung abgelehnt',
  'title.expired': 'Anmeldung abgelaufen',
  'title.superseded': 'Durch neuere Anmeldung ersetzt',
  'title.ended': 'Anmeldung beendet',

  'state.pending': 'Bitte bestätigen Sie die Anmeldung auf Ihrem Telefon.',
  'state.fetched': 'Auf Ihrem Telefon geöffnet. Warten auf Ihre Bestätigung…',
  'state.authenticated': 'Bestätigt. Sie werden angemeldet…',
  'state.denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
  'state.expired': 'Die Anmeldeanfrage ist abgelaufen.',
  'state.cancelled': 'Die Anmeldung wurde abgebrochen.',
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

  'error.generic': 'Die Anmeldung wurde nicht abgeschlossen. Bitte versuchen Sie es erneut.',
  'error.rate_limited': 'Zu viele Anmeldeanfragen. Bitte warten Sie einen Moment.',
  'error.rate_limited.after': 'Zu viele Anmeldeanfragen. Versuchen Sie es in {seconds} Sekunden erneut.',
  'error.missing_user_id': 'Bitte geben Sie Ihre ID ein.',
  'error.invalid_user_id': 'Diese ID ist nicht gültig.',
  'error.cross_origin': 'Diese Anfrage kam von einer anderen Website.',
  'error.invalid_body': 'Die Anfrage wurde nicht verstanden.',
  'error.timeout': 'Der Anmeldedienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.',

  'secsign.20000': 'Diese SecSign ID existiert nicht.',
  'secsign.denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
  'secsign.expired': 'Die Anmeldeanfrage ist abgelaufen.',
  'secsign.suspended': 'Die Anmeldeanfrage wurde zurückgezogen, weil eine neuere gestartet wurde.',
  'secsign.fetched': 'Auf Ihrem Telefon geöffnet. Warten auf Ihre Bestätigung…',

  'authentiq8.denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
  'authentiq8.expired': 'Die Anmeldeanfrage ist abgelaufen.',
  'authentiq8.not_linked': 'Mit dieser ID ist noch kein Telefon verknüpft.',
  'authentiq8.unknown_user': 'Diese ID ist bei Authentiq8 Me nicht bekannt.',

  'ciba.access_denied': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
  'ciba.expired_token': 'Die Anmeldeanfrage ist abgelaufen.',
  'ciba.unknown_user_id': 'Diese ID ist beim Anmeldedienst nicht bekannt.',
  'ciba.transaction_failed': 'Der Anmeldedienst konnte die Anmeldung nicht abschließen.',
  'ciba.authorization_pending': 'Bitte bestätigen Sie die Anmeldung auf Ihrem Telefon.',

  'bankid.hint.outstandingTransaction': 'Starten Sie Ihre BankID-App.',
  'bankid.hint.noClient': 'Starten Sie Ihre BankID-App.',
  'bankid.hint.started': 'BankID wird gesucht. Das kann einen Moment dauern…',
  'bankid.hint.userSign':
    'Geben Sie Ihren Sicherheitscode in der BankID-App ein und wählen Sie „Identifizieren“.',
  'bankid.hint.userCallConfirm':
    'Vielleicht ruft Sie jemand an und bittet Sie, sich anzumelden. Fahren Sie nur fort, wenn Sie das selbst gestartet haben.',
  'bankid.rfa.1': 'Starten Sie Ihre BankID-App.',
  'bankid.rfa.3': 'Vorgang abgebrochen. Bitte versuchen Sie es erneut.',
  'bankid.rfa.6': 'Vorgang abgebrochen.',
  'bankid.rfa.8':
    'Die BankID-App antwortet nicht. Prüfen Sie, ob sie gestartet ist und Sie Internetzugang haben, und versuchen Sie es dann erneut.',
  'bankid.rfa.9': 'Geben Sie Ihren Sicherheitscode in der BankID-App ein und wählen Sie „Identifizieren“.',
  'bankid.rfa.13': 'Ihre BankID-App wird gestartet.',
  'bankid.rfa.16':
    'Die BankID, die Sie verwenden möchten, ist gesperrt oder zu alt. Verwenden Sie eine andere BankID oder holen Sie sich eine neue bei Ihrer Bank.',
  'bankid.rfa.17':
    'Der QR-Code konnte nicht gelesen werden. Starten Sie die BankID-App und scannen Sie den QR-Code. Prüfen Sie, ob die BankID-App aktuell ist.',
  'bankid.rfa.21': 'Identifizierung läuft.',
  'bankid.rfa.22': 'Unbekannter Fehler. Bitte versuchen Sie es erneut.',
  'bankid.rfa.4':
    'Für diese Personennummer läuft bereits eine Identifizierung oder Unterschrift. Bitte versuchen Sie es erneut.',
  'bankid.rfa.5': 'Interner Fehler. Bitte versuchen Sie es erneut.',
  'bankid.rfa.17b':
    'Der QR-Code konnte nicht gelesen werden. Starten Sie die BankID-App und scannen Sie den QR-Code. Prüfen Sie, ob die BankID-App aktuell ist. Wenn Sie die BankID-App nicht haben, installieren Sie sie und holen Sie sich eine BankID bei Ihrer Bank.',
  'bankid.rfa.23': 'Lesen Sie Ihr maschinenlesbares Reisedokument mit der BankID-App ein.',
  'bankid.hint.userDeclinedCall':
    'Vorgang abgebrochen: Sie haben in der BankID-App angegeben, dass Sie nicht mit uns telefonieren.',
  'bankid.hint.notSupportedByUserApp':
    'Ihre BankID-App kann das nicht. Bitte aktualisieren Sie die App und versuchen Sie es erneut.',
  'bankid.hint.transactionRiskBlocked':
    'BankID hat diese Anmeldung wegen zu hohen Risikos gestoppt. Bitte versuchen Sie es später erneut.',

  'duo.status.pushed': 'Wir haben eine Anmeldeanfrage an Ihr Telefon gesendet.',
  'duo.status.calling': 'Ihr Telefon wird angerufen…',
  'duo.status.answered': 'Angenommen. Folgen Sie den Anweisungen im Anruf.',
  'duo.status.allow': 'Bestätigt. Sie werden angemeldet…',
  'duo.status.deny': 'Die Anmeldung wurde auf dem Telefon abgelehnt.',
  'duo.status.timeout': 'Die Anmeldeanfrage ist abgelaufen.',
  'duo.status.fraud': 'Die Anmeldung wurde als Betrug gemeldet und gesperrt.',
  'duo.status.push_failed': 'Die Anmeldeanfrage konnte nicht an Ihr Telefon gesendet werden.',
  'duo.status.sent': 'Wir haben einen Anmeldecode an Ihr Telefon gesendet.',
  'duo.status.bypass': 'Ohne zweiten Faktor angemeldet (Bypass).',
  'duo.status.locked_out': 'Ihr Konto ist bei Duo gesperrt. Bitte wenden Sie sich an Ihre Administration.',
};

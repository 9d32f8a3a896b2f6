/** Swedish (du-form, BankID's own wording where BankID recommends one). */
import type { MessageKey } from './en';

export const sv: Record<MessageKey, string> = {
  'page.title': 'Godkänn i telefonen',
  'page.signingInAs': 'Loggar in som',
  'page.waitingCue': 'Tid kvar att godkänna',

  'title.pending': 'Väntar på godkännande',
  'title.fetched': 'Öppnad i telefonen',
  'title.authenticated': 'Godkänd',
  'title.denied': 'Inloggningen nekades',
  'title.expired': 'Inloggningen har gått ut',
  'title.superseded': 'Ersatt av en nyare inloggning',
  'title.ended': 'Inloggningen avslutad',

  'state.pending': 'Godkänn inloggningen i din telefon.',
  'state.fetched': 'Öppnad i din telefon. Väntar på ditt godkännande…',
  'state.authenticated': 'Godkänd. Du loggas in…',
  'state.denied': 'Inloggningen nekades i telefonen.',
  'state.expired': 'Inloggningsbegäran har gått ut.',
  'state.cancelled': 'Inloggningen avbröts.',
  'state.suspended': 'Inloggningsbegäran drogs tillbaka eftersom en nyare startades.',
  'state.superseded':
    'En nyare inloggning startades i en annan flik. Fortsätt där, eller visa den nyare inloggningen här.',
  'state.invalid': 'Inloggningsbegäran är inte längre giltig.',
  'state.none': 'Ingen inloggning väntar på godkännande.',
  'state.rejected': 'Det finns inget konto för detta ID här.',
  'state.failed': 'Inloggningen slutfördes inte.',
  'state.busy': 'Tjänsten är upptagen. Försöker igen…',
  'state.offline': 'Anslutningsproblem. Försöker igen…',

  'countdown.left': 'Går ut om {time}',
  'countdown.minutes': '{minutes} minuter kvar att godkänna.',
  'countdown.lastMinute': 'Mindre än en minut kvar att godkänna.',

  'action.cancel': 'Avbryt',
  'action.retry': 'Försök igen',
  'action.sendAgain': 'Skicka igen',
  'action.showNewer': 'Visa den nyare inloggningen',
  'action.openApp': 'Öppna appen på den här enheten',

  'pass.alt': 'Åtkomstbild: bilden du väljer i telefonen',
  'pass.caption': 'Välj åtkomstbilden som ser ut exakt så här i din telefon.',
  'qr.alt': 'QR-kod att skanna med appen i din telefon. Den godkänner den här inloggningen.',
  'qr.caption': 'Eller skanna koden med appen i din telefon.',
  'binding.label': 'Kontrollera att din telefon visar',
  'instruction.default': 'Bekräfta inloggningen i din telefon.',

  'help.summary': 'Fick du ingen avisering?',
  'help.body':
    'Öppna appen i telefonen själv: begäran väntar där. Kontrollera att telefonen är uppkopplad och att appen får skicka aviseringar. Fortfarande inget? Avbryt och skicka begäran igen.',

  'error.generic': 'Inloggningen slutfördes inte. Försök igen.',
  'error.rate_limited': 'För många inloggningsförsök. Vänta en stund.',
  'error.rate_limited.after': 'För många inloggningsförsök. Försök igen om {seconds} sekunder.',
  'error.missing_user_id': 'Ange ditt ID.',
  'error.invalid_user_id': 'Det ID:t är inte giltigt.',
  'error.cross_origin': 'Begäran kom från en annan webbplats.',
  'error.invalid_body': 'Begäran kunde inte tolkas.',
  'error.timeout': 'Inloggningstjänsten svarade inte i tid. Försök igen.',

  'secsign.20000': 'Det SecSign ID:t finns inte.',
  'secsign.denied': 'Inloggningen nekades i telefonen.',
  'secsign.expired': 'Inloggningsbegäran har gått ut.',
  'secsign.suspended': 'Inloggningsbegäran drogs tillbaka eftersom en nyare startades.',
  'secsign.fetched': 'Öppnad i din telefon. Väntar på ditt godkännande…',

  'authentiq8.denied': 'Inloggningen nekades i telefonen.',
  'authentiq8.expired': 'Inloggningsbegäran har gått ut.',
  'authentiq8.not_linked': 'Ingen telefon är kopplad till detta ID ännu.',
  'authentiq8.unknown_user': 'Det ID:t är okänt för Authentiq8 Me.',

  'ciba.access_denied': 'Inloggningen nekades i telefonen.',
  'ciba.expired_token': 'Inloggningsbegäran har gått ut.',
  'ciba.unknown_user_id': 'Det ID:t är okänt för inloggningstjänsten.',
  'ciba.transaction_failed': 'Inloggningstjänsten kunde inte slutföra inloggningen.',
  'ciba.authorization_pending': 'Godkänn inloggningen i din telefon.',

  'bankid.hint.outstandingTransaction': 'Starta BankID-appen.',
  'bankid.hint.noClient': 'Starta BankID-appen.',
  'bankid.hint.started': 'Söker efter BankID, det kan ta en liten stund…',
  'bankid.hint.userSign': 'Skriv in din säkerhetskod i BankID-appen och välj Legitimera.',
  'bankid.hint.userCallConfirm':
    'Någon kanske ringer dig och ber dig logga in. Fortsätt bara om du själv har startat detta.',
  'bankid.rfa.1': 'Starta BankID-appen.',
  'bankid.rfa.3': 'Åtgärden avbruten. Försök igen.',
  'bankid.rfa.6': 'Åtgärden avbruten.',
  'bankid.rfa.8':
    'BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Försök sedan igen.',
  'bankid.rfa.9': 'Skriv in din säkerhetskod i BankID-appen och välj Legitimera.',
  'bankid.rfa.13': 'Försöker starta BankID-appen.',
  'bankid.rfa.16':
    'Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din internetbank.',
  'bankid.rfa.17':
    'Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är uppdaterad.',
  'bankid.rfa.21': 'Legitimering pågår.',
  'bankid.rfa.22': 'Okänt fel. Försök igen.',
  'bankid.rfa.4':
    'En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.',
  'bankid.rfa.5': 'Internt tekniskt fel. Försök igen.',
  'bankid.rfa.17b':
    'Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett BankID hos din bank.',
  'bankid.rfa.23': 'Läs av ditt pass eller ditt nationella id-kort med BankID-appen.',
  'bankid.hint.userDeclinedCall':
    'Åtgärden avbruten: du angav i BankID-appen att du inte är i ett samtal med oss.',
  'bankid.hint.notSupportedByUserApp': 'Din BankID-app kan inte göra detta. Uppdatera appen och försök igen.',
  'bankid.hint.transactionRiskBlocked':
    'BankID stoppade inloggningen på grund av för hög risk. Försök igen senare.',

  'duo.status.pushed': 'Vi har skickat en inloggningsbegäran till din telefon.',
  'duo.status.calling': 'Ringer din telefon…',
  'duo.status.answered': 'Besvarat. Följ instruktionerna i samtalet.',
  'duo.status.allow': 'Godkänd. Du loggas in…',
  'duo.status.deny': 'Inloggningen nekades i telefonen.',
  'duo.status.timeout': 'Inloggningsbegäran har gått ut.',
  'duo.status.fraud': 'Inloggningen rapporterades som bedrägeri och stoppades.',
  'duo.status.push_failed': 'Inloggningsbegäran kunde inte skickas till din telefon.',
  'duo.status.sent': 'Vi har skickat en inloggningskod till din telefon.',
  'duo.status.bypass': 'Inloggad utan andra faktor (bypass).',
  'duo.status.locked_out': 'Ditt konto är spärrat i Duo. Kontakta din administratör.',
};

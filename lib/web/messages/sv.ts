/** Swedish (du-form). */
import type { MessageKey } from './en';

export const sv: Record<MessageKey, string> = {
  'page.title': 'Godkänn i telefonen',
  'page.signingInAs': 'Loggar in som',
  'approval.title': 'Godkänn den här åtgärden i telefonen – det här är ingen inloggning',
  'approval.details': 'Kontrollera att telefonen visar exakt detta innan du godkänner:',
  'approval.state.pending': 'Godkänn den här åtgärden i telefonen.',
  'approval.state.pending.scan': 'Skanna QR-koden med appen i din telefon för att godkänna åtgärden.',
  'approval.state.pending.app': 'Öppna appen på den här enheten för att godkänna åtgärden.',
  'approval.state.fetched': 'Öppnad i telefonen. Väntar på att du godkänner åtgärden…',
  'approval.state.approved': 'Åtgärden godkänd.',
  'approval.state.denied': 'Åtgärden nekades i telefonen: den är inte godkänd.',
  'approval.state.expired': 'Begäran gick ut innan åtgärden godkändes: den är inte godkänd.',
  'approval.state.cancelled': 'Begäran avbröts: åtgärden är inte godkänd.',
  'approval.title.ended': 'Inte godkänd',
  'approval.state.superseded':
    'En nyare begäran startades i en annan flik: åtgärden är inte godkänd här. Fortsätt där, eller visa den nyare begäran här.',
  'approval.action.showNewer': 'Visa den nyare begäran',
  'approval.state.suspended': 'Begäran drogs tillbaka eftersom en nyare startades: åtgärden är inte godkänd.',
  'approval.state.invalid': 'Begäran är inte längre giltig: åtgärden är inte godkänd.',
  'approval.state.none': 'Ingen åtgärd väntar på godkännande.',
  'approval.state.failed': 'Åtgärden godkändes inte.',
  'approval.error.generic': 'Åtgärden godkändes inte. Försök igen.',
  'approval.error.rate_limited': 'För många begäranden om godkännande. Vänta en stund och försök sedan igen.',
  'approval.error.rate_limited.after':
    'För många begäranden om godkännande. Försök igen om {seconds} sekunder.',
  'approval.error.subject_mismatch':
    'Telefonen godkände för en annan användare än den som tillfrågades: åtgärden är inte godkänd.',
  'approval.error.timeout': 'Tjänsten svarade inte i tid. Försök igen.',
  'approval.error.store_unavailable': 'Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
  'page.waitingCue': 'Tid kvar att godkänna',

  'title.pending': 'Väntar på godkännande',
  'title.fetched': 'Öppnad i telefonen',
  'title.authenticated': 'Godkänd',
  'title.denied': 'Inloggningen nekades',
  'title.expired': 'Inloggningen har gått ut',
  'title.superseded': 'Ersatt av en nyare inloggning',
  'title.ended': 'Inloggningen avslutad',

  'state.pending': 'Godkänn inloggningen i din telefon.',
  'state.pending.scan': 'Skanna QR-koden med appen i din telefon för att godkänna inloggningen.',
  'state.pending.app': 'Öppna appen på den här enheten för att godkänna inloggningen.',
  'state.fetched': 'Öppnad i din telefon. Väntar på ditt godkännande…',
  'state.authenticated': 'Godkänd. Du loggas in…',
  'state.denied': 'Inloggningen nekades i telefonen. Om du vill logga in, försök igen och godkänn där.',
  'state.expired': 'Inloggningsbegäran gick ut innan den godkändes. Skicka den igen för att logga in.',
  'state.cancelled': 'Inloggningen avbröts. Du kan logga in igen när du vill.',
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
  'help.summary.scan': 'Problem att skanna?',
  'help.body.scan':
    'Öppna appen i din telefon, välj att skanna en QR-kod och håll kameran över koden. Finns appen på den här enheten? Öppna den här med knappen.',
  'help.summary.app': 'Öppnades inte appen?',
  'help.body.app':
    'Öppna appen på den här enheten själv: begäran väntar där. Kontrollera att appen är installerad och uppdaterad.',

  'enrolment.signIn': 'Logga in innan du kopplar din telefon.',
  'enrolment.failed': 'Det gick inte att koppla din telefon. Försök igen.',

  'error.generic': 'Inloggningen slutfördes inte. Försök igen.',
  'error.rate_limited': 'För många inloggningsförsök. Vänta en stund och försök sedan igen.',
  'error.rate_limited.after': 'För många inloggningsförsök. Försök igen om {seconds} sekunder.',
  'error.missing_user_id': 'Ange ditt ID.',
  'error.invalid_user_id': 'Det ID:t är inte giltigt.',
  'error.unknown_user': 'Det ID:t är okänt. Kontrollera det och försök igen.',
  'error.no_device':
    'Ingen telefon är konfigurerad för detta ID ännu. Konfigurera appen i din telefon först och försök sedan igen.',
  'error.subject_mismatch':
    'Telefonen godkände för en annan användare än den som inloggningen startades för.',
  'error.cross_origin': 'Begäran kom från en annan webbplats.',
  'error.invalid_body': 'Begäran kunde inte tolkas.',
  'error.timeout': 'Inloggningstjänsten svarade inte i tid. Försök igen.',
  'error.store_unavailable': 'Inloggningstjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
};

/**
 * What the user is told while a BankID order runs, in the library's languages. BankID's RP
 * guidelines give recommended user messages (RFA1…RFA23) in English and Swedish; the keys are
 * `bankid.rfa.<n>`, or `bankid.hint.<code>` for hint codes the guidelines give no RFA for.
 */
import { builtInTexts } from '../texts';

/**
 * A message key BankID may send.
 */
export type BankIdMessageKey = keyof typeof bankIdTexts.en;

/**
 * BankID's user-facing texts in English, German and Swedish (`BankIdProvider#texts`): the one
 * source of its messages.
 *
 * @example
 * ```ts
 * import { BankIdProvider } from 'passport-push';
 *
 * declare const provider: BankIdProvider;
 * console.log(provider.texts.sv['bankid.rfa.1']); // 'Starta BankID-appen.'
 * ```
 */
export const bankIdTexts = builtInTexts({
  en: {
    'bankid.instruction': 'Scan the QR code with the BankID app, or open BankID on this device.',
    'bankid.rfa.1': 'Start your BankID app.',
    'bankid.rfa.3': 'Action cancelled. Please try again.',
    'bankid.rfa.4':
      'An identification or signing for this personal number is already started. Please try again.',
    'bankid.rfa.5': 'Internal error. Please try again.',
    'bankid.rfa.6': 'Action cancelled.',
    'bankid.rfa.8':
      'The BankID app is not responding. Please check that it is started and that you have internet access, then try again.',
    'bankid.rfa.9': 'Enter your security code in the BankID app and select Identify.',
    'bankid.rfa.16':
      'The BankID you are trying to use is blocked or too old. Please use another BankID or get a new one from your bank.',
    'bankid.rfa.17b':
      'Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to date. If you do not have the BankID app, install it and get a BankID from your bank.',
    'bankid.rfa.21': 'Identification in progress.',
    'bankid.rfa.22': 'Unknown error. Please try again.',
    'bankid.rfa.23': 'Process your machine-readable travel document using the BankID app.',
    'bankid.hint.userCallConfirm':
      'Someone may be calling you and asking you to log in. Only continue if you started this yourself.',
    'bankid.hint.userDeclinedCall':
      'Action cancelled: you said in the BankID app that you are not in a call with us.',
    'bankid.hint.notSupportedByUserApp':
      'Your BankID app cannot do this. Please update the app and try again.',
    'bankid.hint.transactionRiskBlocked': 'BankID stopped this login as too risky. Please try again later.',
  },
  de: {
    'bankid.instruction':
      'Scannen Sie den QR-Code mit der BankID-App oder öffnen Sie BankID auf diesem Gerät.',
    'bankid.rfa.1': 'Starten Sie Ihre BankID-App.',
    'bankid.rfa.3': 'Vorgang abgebrochen. Bitte versuchen Sie es erneut.',
    'bankid.rfa.4':
      'Für diese Personennummer läuft bereits eine Identifizierung oder Unterschrift. Bitte versuchen Sie es erneut.',
    'bankid.rfa.5': 'Interner Fehler. Bitte versuchen Sie es erneut.',
    'bankid.rfa.6': 'Vorgang abgebrochen.',
    'bankid.rfa.8':
      'Die BankID-App antwortet nicht. Prüfen Sie, ob sie gestartet ist und Sie Internetzugang haben, und versuchen Sie es dann erneut.',
    'bankid.rfa.9': 'Geben Sie Ihren Sicherheitscode in der BankID-App ein und wählen Sie „Identifizieren“.',
    'bankid.rfa.16':
      'Die BankID, die Sie verwenden möchten, ist gesperrt oder zu alt. Verwenden Sie eine andere BankID oder holen Sie sich eine neue bei Ihrer Bank.',
    'bankid.rfa.17b':
      'Der QR-Code konnte nicht gelesen werden. Starten Sie die BankID-App und scannen Sie den QR-Code. Prüfen Sie, ob die BankID-App aktuell ist. Wenn Sie die BankID-App nicht haben, installieren Sie sie und holen Sie sich eine BankID bei Ihrer Bank.',
    'bankid.rfa.21': 'Identifizierung läuft.',
    'bankid.rfa.22': 'Unbekannter Fehler. Bitte versuchen Sie es erneut.',
    'bankid.rfa.23': 'Lesen Sie Ihr maschinenlesbares Reisedokument mit der BankID-App ein.',
    'bankid.hint.userCallConfirm':
      'Vielleicht ruft Sie jemand an und bittet Sie, sich anzumelden. Fahren Sie nur fort, wenn Sie das selbst gestartet haben.',
    'bankid.hint.userDeclinedCall':
      'Vorgang abgebrochen: Sie haben in der BankID-App angegeben, dass Sie nicht mit uns telefonieren.',
    'bankid.hint.notSupportedByUserApp':
      'Ihre BankID-App kann das nicht. Bitte aktualisieren Sie die App und versuchen Sie es erneut.',
    'bankid.hint.transactionRiskBlocked':
      'BankID hat diese Anmeldung wegen zu hohen Risikos gestoppt. Bitte versuchen Sie es später erneut.',
  },
  sv: {
    'bankid.instruction': 'Skanna QR-koden med BankID-appen eller öppna BankID på den här enheten.',
    'bankid.rfa.1': 'Starta BankID-appen.',
    'bankid.rfa.3': 'Åtgärden avbruten. Försök igen.',
    'bankid.rfa.4':
      'En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.',
    'bankid.rfa.5': 'Internt tekniskt fel. Försök igen.',
    'bankid.rfa.6': 'Åtgärden avbruten.',
    'bankid.rfa.8':
      'BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Försök sedan igen.',
    'bankid.rfa.9': 'Skriv in din säkerhetskod i BankID-appen och välj Legitimera.',
    'bankid.rfa.16':
      'Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din internetbank.',
    'bankid.rfa.17b':
      'Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett BankID hos din bank.',
    'bankid.rfa.21': 'Legitimering pågår.',
    'bankid.rfa.22': 'Okänt fel. Försök igen.',
    'bankid.rfa.23': 'Läs av ditt pass eller ditt nationella id-kort med BankID-appen.',
    'bankid.hint.userCallConfirm':
      'Någon kanske ringer dig och ber dig logga in. Fortsätt bara om du själv har startat detta.',
    'bankid.hint.userDeclinedCall':
      'Åtgärden avbruten: du angav i BankID-appen att du inte är i ett samtal med oss.',
    'bankid.hint.notSupportedByUserApp':
      'Din BankID-app kan inte göra detta. Uppdatera appen och försök igen.',
    'bankid.hint.transactionRiskBlocked':
      'BankID stoppade inloggningen på grund av för hög risk. Försök igen senare.',
  },
});

/**
 * The demo's own page texts in the library's three languages. The login notices come from the
 * library's catalogue (`failureText`), so the wait page and the login page speak with one voice.
 */
export const demoMessages = {
  en: {
    brand: 'passport-push demo',
    signIn: 'Sign in',
    intro: 'No password: approve the login on your phone with {provider}.',
    yourId: 'Your ID',
    submit: 'Sign in with your phone',
    phoneLink: 'No phone at hand? Open the {link} in another tab.',
    phoneLinkText: 'simulated phone',
    profile: 'Your profile',
    welcome: 'Welcome, {id}',
    signedInBy: 'You signed in by approving on your phone.',
    id: 'ID',
    provider: 'Provider',
    signedInAt: 'Signed in at',
    signOut: 'Sign out',
    name: 'Name',
    qrLogin: 'Log in with BankID on another device (QR)',
    personalNumber: 'Personal number (optional: only this person can approve)',
    withPersonalNumber: 'Log in with this personal number',
    simulated: '(simulated)',
    demoIds: 'Demo IDs: {ids}.',
    demoPeople: 'Demo people (fictitious personal numbers): {people}.',
  },
  de: {
    brand: 'passport-push Demo',
    signIn: 'Anmelden',
    intro: 'Ohne Passwort: Bestätigen Sie die Anmeldung auf Ihrem Telefon mit {provider}.',
    yourId: 'Ihre ID',
    submit: 'Mit dem Telefon anmelden',
    phoneLink: 'Kein Telefon zur Hand? Öffnen Sie das {link} in einem anderen Tab.',
    phoneLinkText: 'simulierte Telefon',
    profile: 'Ihr Profil',
    welcome: 'Willkommen, {id}',
    signedInBy: 'Sie haben sich durch Bestätigung auf Ihrem Telefon angemeldet.',
    id: 'ID',
    provider: 'Anbieter',
    signedInAt: 'Angemeldet am',
    signOut: 'Abmelden',
    name: 'Name',
    qrLogin: 'Mit BankID auf einem anderen Gerät anmelden (QR)',
    personalNumber: 'Personennummer (optional: nur diese Person kann bestätigen)',
    withPersonalNumber: 'Mit dieser Personennummer anmelden',
    simulated: '(simuliert)',
    demoIds: 'Demo-IDs: {ids}.',
    demoPeople: 'Demo-Personen (erfundene Personennummern): {people}.',
  },
  sv: {
    brand: 'passport-push demo',
    signIn: 'Logga in',
    intro: 'Inget lösenord: godkänn inloggningen i din telefon med {provider}.',
    yourId: 'Ditt ID',
    submit: 'Logga in med telefonen',
    phoneLink: 'Ingen telefon till hands? Öppna den {link} i en annan flik.',
    phoneLinkText: 'simulerade telefonen',
    profile: 'Din profil',
    welcome: 'Välkommen, {id}',
    signedInBy: 'Du loggade in genom att godkänna i din telefon.',
    id: 'ID',
    provider: 'Leverantör',
    signedInAt: 'Inloggad',
    signOut: 'Logga ut',
    name: 'Namn',
    qrLogin: 'Logga in med BankID på annan enhet (QR)',
    personalNumber: 'Personnummer (valfritt: bara den här personen kan godkänna)',
    withPersonalNumber: 'Logga in med det här personnumret',
    simulated: '(simulerad)',
    demoIds: 'Demo-ID:n: {ids}.',
    demoPeople: 'Demopersoner (påhittade personnummer): {people}.',
  },
} as const;

/** The phone apps the simulated phone plays, by provider name (the part before `:`). */
export const PHONE_APPS: Readonly<Record<string, string>> = {
  'secsign-id': 'SecSign ID',
  authentiq8: 'Authentiq8 Me',
  ciba: 'Authenticator',
  duo: 'Duo Mobile',
};

/** A language the demo speaks. */
export type DemoLocale = keyof typeof demoMessages;

/** Human names of the providers for the profile page, until providers expose `displayName`. */
export const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  'secsign-id': 'SecSign ID',
  authentiq8: 'Authentiq8 Me',
  ciba: 'OpenID CIBA',
  bankid: 'BankID',
  duo: 'Duo',
};

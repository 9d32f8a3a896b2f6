/**
 * English: the reference catalogue. Every key here must exist in every other language (a unit
 * test and the `Catalogue` type both check). `{name}` marks a value filled in at run time.
 */
export const en = {
  'page.title': 'Approve on your phone',
  'page.signingInAs': 'Signing in as',
  'page.waitingCue': 'Time left to approve',

  'title.pending': 'Waiting for approval',
  'title.fetched': 'Opened on your phone',
  'title.authenticated': 'Approved',
  'title.denied': 'Login denied',
  'title.expired': 'Login expired',
  'title.superseded': 'Replaced by a newer login',
  'title.ended': 'Login ended',

  'state.pending': 'Check your phone to approve this login.',
  'state.fetched': 'Opened on your phone. Waiting for your approval…',
  'state.authenticated': 'Approved. Signing you in…',
  'state.denied': 'The login was denied on the phone.',
  'state.expired': 'The login request expired.',
  'state.cancelled': 'The login was cancelled.',
  'state.suspended': 'The login request was withdrawn because a newer one was started.',
  'state.superseded':
    'A newer login was started in another tab. Continue there, or show the newer login here.',
  'state.invalid': 'The login request is not valid any more.',
  'state.none': 'No login is waiting for approval.',
  'state.rejected': 'This ID has no account here.',
  'state.failed': 'The login did not complete.',
  'state.busy': 'The service is busy. Still trying…',
  'state.offline': 'Connection problem. Still trying…',

  'countdown.left': 'Expires in {time}',
  'countdown.minutes': '{minutes} minutes left to approve.',
  'countdown.lastMinute': 'Less than a minute left to approve.',

  'action.cancel': 'Cancel',
  'action.retry': 'Try again',
  'action.sendAgain': 'Send again',
  'action.showNewer': 'Show the newer login',
  'action.openApp': 'Open the app on this device',

  'pass.alt': 'Access pass: the picture to pick on your phone',
  'pass.caption': 'On your phone, pick the access pass that looks like this one.',
  'qr.alt': 'QR code to scan with the app on your phone. It approves this login.',
  'qr.caption': 'Or scan this code with the app on your phone.',
  'binding.label': 'Check that your phone shows',
  'instruction.default': 'Confirm the login on your phone.',

  'help.summary': "Didn't get a notification?",
  'help.body':
    'Open the app on your phone yourself: the request waits there. Check that the phone is online and that the app may send notifications. Still nothing? Cancel and send the request again.',

  'error.generic': 'The login did not complete. Please try again.',
  'error.rate_limited': 'Too many login requests. Please wait a moment.',
  'error.rate_limited.after': 'Too many login requests. Try again in {seconds} seconds.',
  'error.missing_user_id': 'Please enter your ID.',
  'error.invalid_user_id': 'That ID is not valid.',
  'error.cross_origin': 'This request came from another site.',
  'error.invalid_body': 'The request was not understood.',
  'error.timeout': 'The login service did not answer in time. Please try again.',

  'secsign.20000': 'That SecSign ID does not exist.',
  'secsign.denied': 'The login was denied on the phone.',
  'secsign.expired': 'The login request expired.',
  'secsign.suspended': 'The login request was withdrawn because a newer one was started.',
  'secsign.fetched': 'Opened on your phone. Waiting for your approval…',

  'authentiq8.denied': 'The login was denied on the phone.',
  'authentiq8.expired': 'The login request expired.',
  'authentiq8.not_linked': 'This ID has no phone linked yet.',
  'authentiq8.unknown_user': 'That ID is not known to Authentiq8 Me.',

  'ciba.access_denied': 'The login was denied on the phone.',
  'ciba.expired_token': 'The login request expired.',
  'ciba.unknown_user_id': 'That ID is not known to the login service.',
  'ciba.transaction_failed': 'The login service could not complete the login.',
  'ciba.authorization_pending': 'Check your phone to approve this login.',

  'bankid.hint.outstandingTransaction': 'Start your BankID app.',
  'bankid.hint.noClient': 'Start your BankID app.',
  'bankid.hint.started': 'Searching for BankID. It may take a little while…',
  'bankid.hint.userSign': 'Enter your security code in the BankID app and select Identify.',
  'bankid.hint.userCallConfirm':
    'Someone may be calling you and asking you to log in. Only continue if you started this yourself.',
  'bankid.rfa.1': 'Start your BankID app.',
  'bankid.rfa.3': 'Action cancelled. Please try again.',
  'bankid.rfa.6': 'Action cancelled.',
  'bankid.rfa.8':
    'The BankID app is not responding. Please check that it is started and that you have internet access, then try again.',
  'bankid.rfa.9': 'Enter your security code in the BankID app and select Identify.',
  'bankid.rfa.13': 'Trying to start your BankID app.',
  'bankid.rfa.16':
    'The BankID you are trying to use is blocked or too old. Please use another BankID or get a new one from your bank.',
  'bankid.rfa.17':
    'Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to date.',
  'bankid.rfa.21': 'Identification in progress.',
  'bankid.rfa.22': 'Unknown error. Please try again.',
  'bankid.rfa.4':
    'An identification or signing for this personal number is already started. Please try again.',
  'bankid.rfa.5': 'Internal error. Please try again.',
  'bankid.rfa.17b':
    'Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to date. If you do not have the BankID app, install it and get a BankID from your bank.',
  'bankid.rfa.23': 'Process your machine-readable travel document using the BankID app.',
  'bankid.hint.userDeclinedCall':
    'Action cancelled: you said in the BankID app that you are not in a call with us.',
  'bankid.hint.notSupportedByUserApp': 'Your BankID app cannot do this. Please update the app and try again.',
  'bankid.hint.transactionRiskBlocked': 'BankID stopped this login as too risky. Please try again later.',

  'duo.status.pushed': 'We sent a login request to your phone.',
  'duo.status.calling': 'Calling your phone…',
  'duo.status.answered': 'Answered. Follow the instructions on the call.',
  'duo.status.allow': 'Approved. Signing you in…',
  'duo.status.deny': 'The login was denied on the phone.',
  'duo.status.timeout': 'The login request expired.',
  'duo.status.fraud': 'The login was reported as fraudulent and blocked.',
  'duo.status.push_failed': 'The login request could not be sent to your phone.',
  'duo.status.sent': 'We sent a login code to your phone.',
  'duo.status.bypass': 'Signed in without a second factor (bypass).',
  'duo.status.locked_out': 'Your account is locked out of Duo. Please contact your administrator.',
} as const;

/**
 * Every message key the wait page and the library's pages know.
 *
 * @example
 * ```ts
 * import type { MessageKey } from 'passport-push';
 * import { catalogueFor } from 'passport-push/messages';
 *
 * const key: MessageKey = 'page.title';
 * catalogueFor('en')[key];
 * ```
 */
export type MessageKey = keyof typeof en;

/**
 * English: the reference catalogue. Every key here must exist in every other language (a unit
 * test and the `Catalogue` type both check). `{name}` marks a value filled in at run time.
 */
export const en = {
  'page.title': 'Approve on your phone',
  'page.signingInAs': 'Signing in as',
  'page.waitingCue': 'Time left to approve',
  'approval.title': 'Approve this action on your phone – this is not a login',
  'approval.details': 'Check that your phone shows exactly this before you approve:',
  'approval.state.pending': 'Check your phone to approve this action.',
  'approval.state.pending.scan': 'Scan the QR code with the app on your phone to approve this action.',
  'approval.state.pending.app': 'Open the app on this device to approve this action.',
  'approval.state.fetched': 'Opened on your phone. Waiting for you to approve the action…',
  'approval.state.approved': 'Action approved.',
  'approval.state.denied': 'The action was denied on the phone: it was not approved.',
  'approval.state.expired': 'The request expired before the action was approved: it was not approved.',
  'approval.state.cancelled': 'The request was cancelled: the action was not approved.',
  'approval.title.ended': 'Not approved',
  'approval.state.superseded':
    'A newer request was started in another tab: this action was not approved here. Continue there, or show the newer request here.',
  'approval.action.showNewer': 'Show the newer request',
  'approval.state.suspended':
    'The request was withdrawn because a newer one was started: the action was not approved.',
  'approval.state.invalid': 'The request is not valid any more: the action was not approved.',
  'approval.state.none': 'No action is waiting for approval.',
  'approval.state.failed': 'The action was not approved.',
  'approval.error.generic': 'The action was not approved. Please try again.',
  'approval.error.rate_limited': 'Too many approval requests. Please wait a moment, then try again.',
  'approval.error.rate_limited.after': 'Too many approval requests. Try again in {seconds} seconds.',
  'approval.error.subject_mismatch':
    'The phone approved for another user than the one asked: the action was not approved.',
  'approval.error.timeout': 'The service did not answer in time. Please try again.',
  'approval.error.store_unavailable': 'The service is briefly unavailable. Please try again in a moment.',

  'title.pending': 'Waiting for approval',
  'title.fetched': 'Opened on your phone',
  'title.authenticated': 'Approved',
  'title.denied': 'Login denied',
  'title.expired': 'Login expired',
  'title.superseded': 'Replaced by a newer login',
  'title.ended': 'Login ended',

  'state.pending': 'Check your phone to approve this login.',
  'state.pending.scan': 'Scan the QR code with the app on your phone to approve this login.',
  'state.pending.app': 'Open the app on this device to approve this login.',
  'state.fetched': 'Opened on your phone. Waiting for your approval…',
  'state.authenticated': 'Approved. Signing you in…',
  'state.denied':
    'The login was denied on the phone. If you want to sign in, try again and approve it there.',
  'state.expired': 'The login request expired before it was approved. Send it again to sign in.',
  'state.cancelled': 'The login was cancelled. You can sign in again at any time.',
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
  'help.summary.scan': 'Trouble scanning?',
  'help.body.scan':
    'Open the app on your phone, choose to scan a QR code and hold the camera over the code. Is the app on this device? Use the button to open it here.',
  'help.summary.app': 'The app did not open?',
  'help.body.app':
    'Open the app on this device yourself: the request waits there. Check that the app is installed and up to date.',

  'enrolment.signIn': 'Sign in before linking your phone.',
  'enrolment.failed': 'Linking your phone did not work. Please try again.',

  'error.generic': 'The login did not complete. Please try again.',
  'error.rate_limited': 'Too many login requests. Please wait a moment, then try again.',
  'error.rate_limited.after': 'Too many login requests. Try again in {seconds} seconds.',
  'error.missing_user_id': 'Please enter your ID.',
  'error.invalid_user_id': 'That ID is not valid.',
  'error.unknown_user': 'That ID is not known. Check it and try again.',
  'error.no_device':
    'No phone is set up for this ID yet. Set up the app on your phone first, then try again.',
  'error.subject_mismatch': 'The phone approved for another user than this login was started for.',
  'error.cross_origin': 'This request came from another site.',
  'error.invalid_body': 'The request was not understood.',
  'error.timeout': 'The login service did not answer in time. Please try again.',
  'error.store_unavailable': 'The login service is briefly unavailable. Please try again in a moment.',
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

/**
 * Authentiq8 Me wire names. The vendor guide publishes the endpoint, the headers, the seven
 * `txn_type`s, the envelope (`rsp_code`, `rsp_msg`, `transaction_id`) and ping's `message`. It does
 * NOT publish the per-call body and answer fields: those are INFERRED (protocol notes, Part A.3) and
 * live only in `INFERRED_FIELDS`, `INFERRED_AUTH_STATUS`, `INFERRED_LINK_STATUS` and the `txn_type` location, so a correction from the vendor is a
 * change in this one file.
 */

/** [PUBLIC] The default endpoint; every call goes there. */
export const DEFAULT_ENDPOINT = 'https://api.authentiq8.me/index.php';

/** [PUBLIC] The seven calls the guide lists. */
export const TXN_TYPES = [
  'ping',
  'authenticate',
  'check-user-devices',
  'disconnect-user',
  'get-credits',
  'get-qr-code',
  'get-user-status',
] as const;
export type TxnType = (typeof TXN_TYPES)[number];

/** [PUBLIC] Request headers, exactly as the guide spells them (`ClientIP` included: the end user's IP). */
export const HEADERS = {
  contentType: 'Content-Type',
  clientId: 'ClientId',
  transactionId: 'TransactionID',
  clientIp: 'ClientIP',
  signature: 'DigitalSignature',
} as const;

/** [PUBLIC] The answer envelope every call shares, and ping's echo field. */
export const ENVELOPE_FIELDS = {
  rspCode: 'rsp_code',
  rspMsg: 'rsp_msg',
  transactionId: 'transaction_id',
  /** ping: request `{"message":"World"}` → answer `"message":"Hello World"`. */
  pingMessage: 'message',
} as const;

/**
 * [INFERRED] Everything below is a guess consistent with the public facts, not vendor
 * documentation. Correct it here when the vendor's full reference is available.
 */
export const INFERRED_FIELDS = {
  /**
   * The call selector's name. Where it travels is an option (`txnTypeLocation`, default the body):
   * the guide names the seven `txn_type`s but its only example body (ping) carries none.
   */
  txnType: 'txn_type',
  /** The merchant's ID for the end user, in every per-user request. */
  userId: 'user_id',
  /** authenticate: what is approved (`login`, `payment`, `password_reset`). */
  action: 'action',
  /** authenticate: the text shown on the phone. */
  message: 'message',
  /** get-qr-code: `link` (enrol the app) or `login`. */
  qrPurpose: 'purpose',
  /** authenticate answer → get-user-status request: the pending authentication's handle. */
  authId: 'auth_id',
  /** authenticate / get-qr-code answers: lifetime in seconds. */
  expiresIn: 'expires_in',
  /** get-user-status answer: the authentication state (or the link state without `auth_id`). */
  status: 'status',
  /** get-user-status answer: the user the state is about; when echoed it must be the asked user. */
  statusUserId: 'user_id',
  /** get-user-status answer: the authentication the state is about; when echoed it must be ours. */
  statusAuthId: 'auth_id',
  /** check-user-devices answer. */
  registered: 'registered',
  devices: 'devices',
  deviceId: 'device_id',
  deviceName: 'name',
  devicePlatform: 'platform',
  deviceLastSeen: 'last_seen',
  /** get-credits answer: integer balance. */
  credits: 'credits',
  /** ping answer. */
  serverTime: 'server_time',
  /** get-qr-code answer: a PNG as data URL or bare base64 … */
  qrImage: 'qr_code',
  /** … or the text/URL to encode as a QR code. */
  qrPayload: 'qr_payload',
  /** get-user-status answer with approval: when. */
  approvedAt: 'approved_at',
} as const;

/**
 * [INFERRED] The webhook's body (the guide names a "notification/webhook" as the alternative to
 * polling get-user-status, but not its format): JSON naming the user, and the authentication where
 * present. Anything else in it (a `status`) is ignored: a webhook is only a hint to check now.
 */
export const INFERRED_WEBHOOK_FIELDS = {
  userId: 'user_id',
  authId: 'auth_id',
} as const;

/**
 * [INFERRED] `status` values of get-user-status with an `auth_id`.
 */
export const INFERRED_AUTH_STATUS = {
  pending: 'pending',
  approved: 'approved',
  declined: 'declined',
  expired: 'expired',
  cancelled: 'cancelled',
} as const;
export type AuthStatus = (typeof INFERRED_AUTH_STATUS)[keyof typeof INFERRED_AUTH_STATUS];

/**
 * [INFERRED] `status` values of get-user-status without an `auth_id`: whether the user's app is
 * linked (the guide: "Poll this API to determine if the QR code has been used").
 */
export const INFERRED_LINK_STATUS = {
  linked: 'linked',
  unlinked: 'unlinked',
} as const;
export type LinkStatusValue = (typeof INFERRED_LINK_STATUS)[keyof typeof INFERRED_LINK_STATUS];

/** [INFERRED] `action` values for authenticate. */
export const INFERRED_ACTIONS = ['login', 'payment', 'password_reset'] as const;
export type InferredAction = (typeof INFERRED_ACTIONS)[number];

/**
 * [INFERRED] The `action` an approved intent is pushed with. A payment is the vendor's "Payment". Any
 * other action is pushed as `payment` too: of the three it is the one that asks the user to approve
 * a transaction the service describes in the message; `login` would present the action as a
 * sign-in (OWASP Transaction Authorization: the user must tell an action from a login), and
 * `password_reset` names one particular account change.
 */
export const INFERRED_ACTION_FOR = {
  payment: 'payment',
  generic: 'payment',
} as const satisfies Record<'payment' | 'generic', InferredAction>;

/**
 * [INFERRED] The longest `message` we send (the guide has a "too long" code, 1007, but names no
 * limit for the message): an action whose one line is longer is refused, a login text is cut.
 */
export const INFERRED_MAX_MESSAGE_LENGTH = 500;

/** [INFERRED] `purpose` values for get-qr-code. */
export const INFERRED_QR_PURPOSES = ['link', 'login'] as const;
export type QrPurpose = (typeof INFERRED_QR_PURPOSES)[number];

/** [INFERRED] Where `txn_type` travels: a body field, a request header, or a query parameter. */
export const TXN_TYPE_LOCATIONS = ['body', 'header', 'query'] as const;
export type TxnTypeLocation = (typeof TXN_TYPE_LOCATIONS)[number];
/** [INFERRED] The header name when `txnTypeLocation` is `header`. */
export const INFERRED_TXN_TYPE_HEADER = 'TxnType';

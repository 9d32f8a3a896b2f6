/**
 * The provider side of action approval ("approve a transfer of €500 to Anna" on the phone): the
 * intent an app describes, what a provider receives to show it, what it declares it can show and
 * prove, and the evidence its approval carries. The core canonicalises and hashes the intent
 * (core/intent.ts); a provider renders it and proves which intent (by its hash) was approved.
 */

/**
 * A payment to approve: the amount as a decimal string (`'500.00'`, never a float), an ISO 4217
 * currency, the payee, and an optional reference.
 */
export interface PaymentIntent {
  /** A payment. */
  readonly type: 'payment';
  /** The amount as a decimal string with a dot: `'500'`, `'1250.50'`. */
  readonly amount: string;
  /** The ISO 4217 code: three capital letters (`'EUR'`, `'SEK'`). */
  readonly currency: string;
  /** Who receives the money: a name, and the account when there is one. */
  readonly payee: {
    /** Who receives the money, as the payer knows them. */
    readonly name: string;
    /** The payee's account (an IBAN, a Bankgiro number…), when the phone should show it. */
    readonly account?: string;
  };
  /** What the payment is for, as the payer sees it. */
  readonly reference?: string;
}

/**
 * Any other action to approve: a title and the lines that say what it does.
 */
export interface GenericIntent {
  /** Any other action ("Add a new payee", "Export all customer data"). */
  readonly type: 'generic';
  /** What is approved, in a few words. */
  readonly title: string;
  /** The details the user must see, one per line. */
  readonly lines: readonly string[];
}

/**
 * Step-up: the signed-in user authenticates again, with no action to show: a fresh push to the
 * same user (BankID: a fresh `/auth` bound to the personal number), at the level the app asks.
 */
export interface StepUpIntent {
  /** A re-authentication of the signed-in user. */
  readonly type: 'step-up';
  /**
   * The authentication context class the provider must confirm (CIBA `acr_values`, checked in the
   * ID token's `acr`); only for a provider with `confirmsAcr`, refused at start by any other.
   */
  readonly acr?: string;
  /**
   * How old the authentication may be, in seconds: an ID token's `auth_time` must be this recent
   * when it completes, and `useApproval` refuses the step-up once it is older.
   */
  readonly maxAgeSeconds?: number;
}

/**
 * What the user approves on the phone, described by the app on the server (never taken from the
 * browser). Changing any field makes another intent, with another hash.
 *
 * @example
 * ```ts
 * import type { ActionIntent } from 'passport-push';
 *
 * const intent: ActionIntent = {
 *   type: 'payment',
 *   amount: '500.00',
 *   currency: 'EUR',
 *   payee: { name: 'Anna Berg', account: 'DE89370400440532013000' },
 *   reference: 'Rent May',
 * };
 * ```
 */
export type ActionIntent = PaymentIntent | GenericIntent | StepUpIntent;

/**
 * What a provider is given to carry an intent to the phone (`StartRequest.action`).
 */
export interface ActionRequest {
  /** The intent, validated: an action to show (a step-up shows none, so never reaches a provider). */
  readonly intent: PaymentIntent | GenericIntent;
  /** SHA-256 of the intent's canonical JSON, lower-case hex: what the approval must prove. */
  readonly hash: string;
  /** The intent as plain lines for a phone that shows text (BankID's `userVisibleData`). */
  readonly text: string;
}

/**
 * How much of an action the phone shows, weakest first: `'code'` (a short code to compare),
 * `'text'` (the action as text), `'amount-and-payee'` (amount and payee, as PSD2 RTS Art. 5 asks).
 */
export type ActionDisplayLevel = 'code' | 'text' | 'amount-and-payee';

/**
 * What an approval proves, weakest first: `'provider-yes'` (the provider said yes for a transaction
 * id), `'provider-assertion'` (a token the provider signed names the approved details),
 * `'user-signature'` (the user's own signature over the shown text, checkable by the app).
 */
export type ActionProofLevel = 'provider-yes' | 'provider-assertion' | 'user-signature';

/**
 * What a provider can show of an action and prove about its approval (`PushProvider.actions`), and
 * what an app requires (`PushStrategyOptions.approval.require`).
 *
 * @example
 * ```ts
 * import type { ActionCapability } from 'passport-push';
 *
 * const require: ActionCapability = { shows: 'amount-and-payee', proves: 'user-signature' };
 * ```
 */
export interface ActionCapability {
  /** How much of the action the phone shows. */
  readonly shows: ActionDisplayLevel;
  /** What the approval proves. */
  readonly proves: ActionProofLevel;
}

/**
 * The evidence an approved action carries (`ApprovedStatus.action`): which intent the provider's
 * answer proves, and the provider's raw proof for the app's audit log.
 */
export interface ActionEvidence {
  /** The intent hash the provider's answer is about (BankID: the signed hidden data). */
  readonly intentHash: string;
  /** The provider's raw proof (BankID: `signature`, `ocspResponse`), for the audit log only. */
  readonly proof: Readonly<Record<string, string>>;
}

/** The display levels, weakest first. */
export const DISPLAY_LEVELS: readonly ActionDisplayLevel[] = ['code', 'text', 'amount-and-payee'];
/** The proof levels, weakest first. */
export const PROOF_LEVELS: readonly ActionProofLevel[] = [
  'provider-yes',
  'provider-assertion',
  'user-signature',
];

/**
 * The canonical JSON (RFC 8785 for string-only values): keys sorted at every level, undefined
 * fields left out, no whitespace. What intents are hashed in, and what CIBA's `authorization_details`
 * are compared in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

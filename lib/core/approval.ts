/**
 * Action approval's own rules, apart from the login core that runs its challenge: the app's
 * required level checked against the provider at startup, the approvals a session holds after the
 * phone said yes, and their one-time use at execution (OWASP Transaction Authorization 2.8).
 */
import { createHash, createHmac } from 'node:crypto';
import { PushError } from '../errors';
import {
  DISPLAY_LEVELS,
  PROOF_LEVELS,
  canonicalJson,
  type ActionCapability,
  type ActionEvidence,
  type ActionProofLevel,
} from '../providers/action';
import type { PushProvider } from '../providers/provider';
import type { CompletionStore } from './completion';
import type { SessionLike } from './session-access';

/**
 * The approval record for the app's audit log: who approved which intent, when, through which
 * provider, and the provider's raw proof. Holds personal data for some providers (BankID's signature
 * names the person): store it where the app keeps such records, never in a plain log.
 *
 * @example
 * ```ts
 * import type { ActionApproval } from 'passport-push';
 *
 * declare const audit: { insert(record: ActionApproval): Promise<void> }; // your audit log
 * const onApproved = async (approval: ActionApproval) => audit.insert(approval);
 * ```
 */
export interface ActionApproval {
  /** The provider's `name`. */
  readonly provider: string;
  /** Who approved, as the provider confirmed it (a personal number, a `sub`, a username). */
  readonly subject: string;
  /** SHA-256 of the intent's canonical JSON, lower-case hex. */
  readonly intentHash: string;
  /** The challenge's random id: the approval's nonce. */
  readonly challengeId: string;
  /** When the approval completed, epoch ms. */
  readonly approvedAt: number;
  /** What the provider proves (`user-signature`, `provider-assertion`, `provider-yes`). */
  readonly proves: ActionProofLevel;
  /** The provider's raw proof (BankID: `signature`, `ocspResponse`). */
  readonly proof: ActionEvidence['proof'];
}

/**
 * `PushStrategyOptions.approval`: what action approval requires and where its records go.
 *
 * @example
 * ```ts
 * import { PushStrategy, type ActionApproval } from 'passport-push';
 *
 * declare const audit: { insert(record: ActionApproval): Promise<void> }; // your audit log
 * new PushStrategy(
 *   {
 *     provider,
 *     approval: {
 *       require: { shows: 'amount-and-payee', proves: 'user-signature' },
 *       onApproved: (record) => audit.insert(record),
 *     },
 *   },
 *   verify,
 * );
 * ```
 */
export interface ApprovalOptions {
  /** The weakest display and proof the app accepts; a provider below it is refused at startup. */
  require?: ActionCapability;
  /** Called once per approved action, before it can be used: the record for the audit log. */
  onApproved?: (approval: ActionApproval) => void | Promise<void>;
  /** How long an approval may wait for its use, in ms. Default 300,000 (5 minutes). */
  ttlMs?: number;
}

/** The approval options, checked. */
export interface ResolvedApproval {
  /** The app's audit hook, called with each approval before it is kept. */
  readonly onApproved?: ApprovalOptions['onApproved'];
  /** How long an approval may wait for its use, in ms. */
  readonly ttlMs: number;
}

/** Most approvals a session holds unused; the oldest goes first. */
const MAX_HELD = 8;
const DEFAULT_TTL_MS = 300_000;
/**
 * How long a provider's proof stays claimed: far longer than any provider answers about a
 * transaction (Duo's pushes time out within minutes), so an old answer cannot approve again.
 */
const PROOF_CLAIM_MS = 24 * 60 * 60 * 1000;

/**
 * Checks the app's approval options against the provider, at construction: a provider that cannot
 * show or prove what the app requires is a configuration error, never a silent downgrade.
 */
export function resolveApproval(
  options: ApprovalOptions | undefined,
  provider: PushProvider,
): ResolvedApproval {
  const ttlMs = options?.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < 1000) {
    throw new PushError('config', '`approval.ttlMs` must be a whole number of milliseconds, at least 1000.', {
      code: 'invalid_option',
    });
  }
  const required = options?.require;
  if (required !== undefined) {
    const shows = DISPLAY_LEVELS.indexOf(required.shows);
    const proves = PROOF_LEVELS.indexOf(required.proves);
    if (shows < 0 || proves < 0) {
      throw new PushError(
        'config',
        `\`approval.require\` must name shows: ${DISPLAY_LEVELS.join(' | ')} and proves: ${PROOF_LEVELS.join(' | ')}.`,
        { code: 'invalid_option' },
      );
    }
    const offered = provider.actions;
    if (
      !offered ||
      DISPLAY_LEVELS.indexOf(offered.shows) < shows ||
      PROOF_LEVELS.indexOf(offered.proves) < proves
    ) {
      const has = offered ? `shows ${offered.shows} and proves ${offered.proves}` : 'approves no actions';
      throw new PushError(
        'config',
        `The provider ${provider.name} ${has}; \`approval.require\` asks for ${required.shows} shown and ${required.proves} proven.`,
        { code: 'invalid_option' },
      );
    }
  }
  return { ttlMs, ...(options?.onApproved ? { onApproved: options.onApproved } : {}) };
}

/** One unused approval in the session: no content, no personal number. */
interface HeldApproval {
  /** The intent hash. */
  h: string;
  /** The challenge id: the claim key of its one use. */
  id: string;
  /** Keyed hash of the approver's ID: an approval serves only the user who gave it. */
  u: string;
  /** Approved at, epoch ms. */
  at: number;
  /** Unusable after, epoch ms. */
  exp: number;
}

/** A keyed hash of the approver's canonical ID, so the session holds no ID in clear. */
export function approverKey(key: Buffer, userId: string): string {
  return createHmac('sha256', key).update(userId, 'utf8').digest('base64url').slice(0, 22);
}

/** Keeps an approval in the session until it is used or expires. */
export function holdApproval(data: SessionLike, sessionKey: string, held: HeldApproval, now: number): void {
  const kept = heldApprovals(data, sessionKey).filter((entry) => entry.exp > now);
  kept.push(held);
  data[sessionKey] = kept.slice(-MAX_HELD);
}

/**
 * Uses the session's approval of `intentHash` by `approver` once: removes it from the session and
 * claims its challenge id in the shared completion store, so two requests (or instances) racing
 * with copies of the session cannot both use it. Answers the approval, or undefined when there is
 * none to use (never given, expired, used, or for another intent or user).
 */
export async function useApproval(
  data: SessionLike,
  sessionKey: string,
  intentHash: string,
  approver: string,
  completions: CompletionStore,
  now: number,
  /** When set, only an approval given at or after this time (epoch ms) serves: a fresh step-up. */
  notBefore?: number,
): Promise<{ challengeId: string; approvedAt: number } | undefined> {
  const held = heldApprovals(data, sessionKey);
  const index = held.findIndex(
    (entry) =>
      entry.h === intentHash &&
      entry.u === approver &&
      entry.exp > now &&
      (notBefore === undefined || entry.at >= notBefore),
  );
  if (index < 0) return undefined;
  const [entry] = held.splice(index, 1);
  data[sessionKey] = held;
  if (!entry || !(await completions.claim(`use:${entry.id}`, entry.exp))) return undefined;
  return { challengeId: entry.id, approvedAt: entry.at };
}

/**
 * Claims a provider's proof for one approval, across instances (the completion store): false when
 * it already approved another challenge. A proof that names no content (Duo's allow for a `txid`)
 * could otherwise be answered again for another push: another transaction's, another user's.
 */
export async function claimProof(
  completions: CompletionStore,
  provider: string,
  proof: ActionEvidence['proof'],
  now: number,
): Promise<boolean> {
  const digest = createHash('sha256')
    .update(canonicalJson([provider, proof]), 'utf8')
    .digest('base64url');
  return completions.claim(`proof:${digest}`, now + PROOF_CLAIM_MS);
}

function heldApprovals(data: SessionLike, sessionKey: string): HeldApproval[] {
  const value = data[sessionKey];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is HeldApproval =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as HeldApproval).h === 'string' &&
      typeof (entry as HeldApproval).id === 'string' &&
      typeof (entry as HeldApproval).u === 'string' &&
      Number.isFinite((entry as HeldApproval).at) &&
      Number.isFinite((entry as HeldApproval).exp),
  );
}

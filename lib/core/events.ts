/**
 * Audit events: one for every start, approval, denial, expiry, cancellation, refusal and error, so
 * apps can log and alert. They carry IDs and addresses, never secrets, handles or access passes.
 */
import type { FailureState } from './outcome';

export type PushEvent =
  | { type: 'start'; userId: string; ip?: string; provider?: string }
  | { type: 'approved'; userId: string; subject: string; ip?: string; provider?: string }
  | { type: 'denied' | 'expired'; state: FailureState; userId: string; ip?: string; provider?: string }
  | { type: 'rejected'; userId: string; ip?: string; provider?: string }
  | { type: 'cancelled'; userId: string; ip?: string; provider?: string }
  | { type: 'refused'; userId: string; reason: string; ip?: string; provider?: string }
  | { type: 'error'; userId?: string; message: string; ip?: string; provider?: string };

export type PushEventListener = (event: PushEvent) => void;

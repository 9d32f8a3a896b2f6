/**
 * Linking a user's Authentiq8 Me app: show the get-qr-code image, poll get-user-status (without an
 * auth_id) until linked, and disconnect-user to unlink. Status checks share the provider's poll
 * gate: the once-per-second rule is per user, whatever the call is for.
 */
import { PushError } from '../../errors';
import type { CallContext, Authentiq8Client } from './client';
import { rspCodeError } from './errors';
import type { PollGate } from './poll-gate';
import { qrToDataUrl } from './qr-image';
import { INFERRED_LINK_STATUS } from './wire-fields';

/** The QR code a user scans with the Authentiq8 Me app to link it to this service. */
export interface EnrolmentQr {
  /** `data:image/png;base64,…`, ready for an <img>. */
  qr: string;
  /** Epoch ms after which the code is no longer accepted, when the API says. */
  expiresAt?: number;
}

/** `unknown`: not asked this time (too early for this user); ask again after `retryAfterMs`. */
export type LinkState = 'linked' | 'unlinked' | 'unknown';

/**
 * Whether a user's Authentiq8 Me app is linked to this service.
 */
export interface LinkStatus {
  /** Whether the app is linked, or `unknown` when the API was not asked this time. */
  state: LinkState;
  /** With `unknown`: the ms to wait before asking again. */
  retryAfterMs?: number;
}

/**
 * The shape lib/enrolment-router.ts drives; other providers can offer the same.
 */
export interface Authentiq8Enrolment {
  /** A fresh linking QR code for `userId`. */
  qr(userId: string, context?: CallContext): Promise<EnrolmentQr>;
  /** Whether `userId`'s app is linked (at most as often as the API permits). */
  status(userId: string, context?: CallContext): Promise<LinkStatus>;
  /** Unlinks `userId`'s app; succeeds when nothing is linked. */
  disconnect(userId: string, context?: CallContext): Promise<void>;
}

/** Codes that mean "not linked" when asking for the link status. */
const UNLINKED_CODES = new Set(['1044', '1045', '1050']);
/** Codes that mean "nothing left to disconnect": disconnecting is idempotent. */
const ALREADY_DISCONNECTED = new Set(['1039', '1044', '1050']);
const TOO_EARLY = '1009';

export function createEnrolment(
  client: Authentiq8Client,
  gate: PollGate,
  now: () => number,
  qrWidth?: number,
): Authentiq8Enrolment {
  return {
    async qr(userId, context = {}) {
      const answer = await client.getQrCode(userId, 'link', context);
      const qr = await qrToDataUrl(answer, qrWidth);
      return answer.expiresInS === undefined ? { qr } : { qr, expiresAt: now() + answer.expiresInS * 1000 };
    },

    async status(userId, context = {}) {
      const gateResult = gate.take(userId);
      if (!gateResult.allowed) return { state: 'unknown', retryAfterMs: gateResult.retryAfterMs };
      const result = await client.getLinkStatus(userId, context);
      if (result.ok) {
        return { state: result.answer.status === INFERRED_LINK_STATUS.linked ? 'linked' : 'unlinked' };
      }
      if (UNLINKED_CODES.has(result.rspCode)) return { state: 'unlinked' };
      if (result.rspCode === TOO_EARLY) return { state: 'unknown', retryAfterMs: gate.intervalMs };
      throw rspCodeError(result.rspCode, 'get-user-status');
    },

    async disconnect(userId, context = {}) {
      try {
        await client.disconnectUser(userId, context);
      } catch (error) {
        if (error instanceof PushError && ALREADY_DISCONNECTED.has(String(error.details['providerCode']))) {
          return;
        }
        throw error;
      }
    },
  };
}

/**
 * Step-up's own rule: what a provider's answer must confirm for a re-authentication of the signed-in
 * user (no action, so no content to prove), apart from the login core that runs its challenge.
 */
import type { ActionEvidence } from '../providers/action';
import type { ApprovedStatus } from '../providers/provider';
import type { ChallengeRecord } from './challenge';

/**
 * A step-up's evidence: the provider's authentication of the signed-in user in this very challenge
 * (no content to prove), at the `acr` asked and, with an ID token's `auth_time`, recent enough.
 * Undefined when the provider confirmed less.
 */
export function stepUpEvidence(
  record: ChallengeRecord,
  status: ApprovedStatus,
  now: number,
): ActionEvidence | undefined {
  const claims = status.claims ?? {};
  const acr = claims['acr'];
  const authTime = claims['auth_time'];
  if (record.up !== '' && acr !== record.up) return undefined;
  if (record.um !== undefined && typeof authTime === 'number' && authTime * 1000 < now - record.um * 1000) {
    return undefined;
  }
  if (record.act === undefined) return undefined;
  return {
    intentHash: record.act,
    proof: {
      // The proof is this challenge's own authentication: its id keeps one step-up's proof from
      // ever looking like another's (a provider's bare "yes" carries nothing unique).
      challenge: record.id,
      ...(typeof acr === 'string' ? { acr } : {}),
      ...(typeof authTime === 'number' ? { auth_time: String(authTime) } : {}),
    },
  };
}

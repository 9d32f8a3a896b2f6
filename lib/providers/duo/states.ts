/**
 * What Duo's answers mean for a login: the preauth `result` before a push is sent, and the
 * `auth_status` of a sent push. Only `result: "allow"` approves; every other value fails closed.
 */
import { PushError } from '../../errors';
import type { ChallengeStatus, ProviderMessage } from '../provider';
import type { AuthStatusAnswer, PreauthAnswer } from './answers';

/**
 * Every `status` Duo's `auth_status` documents for a push (Auth API v2); each has a catalogue key
 * `duo.status.<status>`. Duo may add more: those show Duo's own `status_msg`.
 */
export const DUO_AUTH_STATUSES = [
  'calling',
  'answered',
  'pushed',
  'push_failed',
  'sent',
  'allow',
  'bypass',
  'deny',
  'fraud',
  'locked_out',
  'timeout',
] as const;

/** The catalogue key for a Duo status (`duo.status.pushed`) with Duo's own text as the fallback. */
export function statusMessage(status: string, statusMsg: string): ProviderMessage {
  return { key: `duo.status.${status}`, text: statusMsg };
}

/**
 * Throws unless Duo will send this user a push: `deny`, `enroll`, `allow` (bypass, unless
 * `acceptBypass`) and a user without a push-capable device end the login before any push is sent.
 * Returns `'bypass'` when Duo lets the user in without a second factor and the app accepts that.
 */
export function checkPreauth(answer: PreauthAnswer, acceptBypass: boolean): 'push' | 'bypass' {
  const said = answer.statusMsg === '' ? '' : ` Duo says: "${answer.statusMsg}"`;
  switch (answer.result) {
    case 'auth':
      if (answer.pushDevices > 0) return 'push';
      throw new PushError('provider', `This user has no device that can receive a Duo Push.${said}`, {
        code: 'no_device',
        details: { providerCode: 'no_push_device' },
      });
    case 'allow':
      if (acceptBypass) return 'bypass';
      throw new PushError(
        'provider',
        `Duo would let this user in without a second factor (bypass); refused because acceptBypass is off.${said}`,
        { code: 'not_supported', details: { providerCode: 'allow' } },
      );
    case 'deny':
      throw new PushError('provider', `Duo does not allow this user to log in.${said}`, {
        code: 'user_locked',
        details: { providerCode: 'deny' },
      });
    case 'enroll':
      throw new PushError('provider', `This user is not enrolled in Duo yet and must enrol first.${said}`, {
        code: 'unknown_user',
        details: { providerCode: 'enroll' },
      });
  }
}

/** Maps one `auth_status` answer; `subject` is the username the push was sent for. */
export function toChallengeStatus(answer: AuthStatusAnswer, subject: string): ChallengeStatus {
  const message = statusMessage(answer.status, answer.statusMsg);
  switch (answer.result) {
    case 'waiting':
      return { state: 'pending', message };
    case 'allow':
      // Duo confirms the username it was given; the push was sent for exactly this one.
      return { state: 'approved', subject };
    case 'deny': {
      // The user did not answer in time: the push expired, nobody refused it.
      if (answer.status === 'timeout') return { state: 'expired', reason: 'timeout', message };
      // `fraud` (the user reported the push), `deny`, `locked_out`, …: a refusal, reason kept.
      return { state: 'denied', reason: answer.status, message };
    }
  }
}

import { PushError } from '../../../lib/errors';
import type { PreauthAnswer } from '../../../lib/providers/duo/answers';
import { checkPreauth, toChallengeStatus } from '../../../lib/providers/duo/states';

function preauth(result: PreauthAnswer['result'], pushDevices = 1, statusMsg = 'Duo says so'): PreauthAnswer {
  return { result, pushDevices, statusMsg };
}

function refusal(answer: PreauthAnswer, acceptBypass = false): PushError {
  try {
    checkPreauth(answer, acceptBypass);
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Duo preauth results', () => {
  it('auth with a push-capable device sends the push', () => {
    expect(checkPreauth(preauth('auth'), false)).toBe('push');
  });

  it('auth without a push-capable device fails fast with no_device', () => {
    const error = refusal(preauth('auth', 0));
    expect(error).toMatchObject({ kind: 'provider', code: 'no_device', retryable: false });
    expect(error.details['providerCode']).toBe('no_push_device');
    expect(error.message).toMatch(/no device that can receive a Duo Push/);
  });

  it("deny is a terminal refusal (user_locked) with Duo's text", () => {
    const error = refusal(preauth('deny', 0, 'Login denied'));
    expect(error).toMatchObject({ code: 'user_locked', retryable: false, details: { providerCode: 'deny' } });
    expect(error.message).toContain('Login denied');
  });

  it('enroll says the user must enrol first (unknown_user)', () => {
    const error = refusal(preauth('enroll', 0));
    expect(error).toMatchObject({
      code: 'unknown_user',
      retryable: false,
      details: { providerCode: 'enroll' },
    });
    expect(error.message).toMatch(/must enrol first/);
  });

  it('allow (bypass) is refused by default: a push login that never pushed proves nothing', () => {
    const error = refusal(preauth('allow', 0));
    expect(error).toMatchObject({
      code: 'not_supported',
      retryable: false,
      details: { providerCode: 'allow' },
    });
    expect(error.message).toMatch(/acceptBypass/);
  });

  it('allow (bypass) is accepted only with acceptBypass', () => {
    expect(checkPreauth(preauth('allow', 0), true)).toBe('bypass');
  });
});

describe('Duo auth_status → ChallengeStatus', () => {
  const message = (status: string, text: string) => ({ key: `duo.status.${status}`, text });

  it.each(['pushed', 'calling', 'answered', 'sent'])(
    'waiting/%s is pending with the status message',
    (status) => {
      expect(
        toChallengeStatus({ result: 'waiting', status, statusMsg: 'Pushed a login request' }, 'alice'),
      ).toEqual({
        state: 'pending',
        message: message(status, 'Pushed a login request'),
      });
    },
  );

  it('allow approves the username the push was sent for', () => {
    expect(toChallengeStatus({ result: 'allow', status: 'allow', statusMsg: 'Success' }, 'alice')).toEqual({
      state: 'approved',
      subject: 'alice',
    });
  });

  it('deny/fraud is denied with reason fraud', () => {
    expect(toChallengeStatus({ result: 'deny', status: 'fraud', statusMsg: 'Reported' }, 'alice')).toEqual({
      state: 'denied',
      reason: 'fraud',
      message: message('fraud', 'Reported'),
    });
  });

  it('deny/timeout is expired', () => {
    expect(
      toChallengeStatus({ result: 'deny', status: 'timeout', statusMsg: 'Login timed out.' }, 'a'),
    ).toEqual({
      state: 'expired',
      reason: 'timeout',
      message: message('timeout', 'Login timed out.'),
    });
  });

  it.each(['deny', 'locked_out', 'bypass', 'something_new'])('deny/%s is denied, reason kept', (status) => {
    expect(toChallengeStatus({ result: 'deny', status, statusMsg: '' }, 'alice')).toMatchObject({
      state: 'denied',
      reason: status,
    });
  });
});

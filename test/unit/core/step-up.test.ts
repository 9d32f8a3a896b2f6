/**
 * Step-up in the core: a fresh authentication of the signed-in user on the action machinery,
 * with no action to show: any provider can do it; an `acr` only one that confirms it; a
 * maximum age bounds both the provider's `auth_time` and the use.
 */
import type { ActionIntent } from '../../../lib/providers/action';
import { setupLogin } from '../../helpers/login-core';

const ALICE = { userId: 'alice' };
const STEP_UP: ActionIntent = { type: 'step-up' };

function setup(strategy = {}, confirmsAcr = false) {
  const s = setupLogin({}, strategy);
  if (confirmsAcr) Object.assign(s.provider, { confirmsAcr: true });
  return s;
}

async function steppedUp(
  s: ReturnType<typeof setup>,
  intent: ActionIntent,
  claims: Record<string, unknown> = {},
) {
  expect((await s.login.approve(s.req(), intent, ALICE)).kind).toBe('pending');
  s.provider.answerRaw({ state: 'approved', subject: 'alice', claims });
  return s.login.poll(s.req());
}

it('works with a provider that approves no actions: a plain push to the same user, used once', async () => {
  const s = setup();
  const result = await steppedUp(s, STEP_UP);
  const sent = s.provider.latest.request;
  expect(sent.userId).toBe('alice');
  expect(sent.action).toBeUndefined(); // nothing to show: a re-authentication
  expect(sent.acr).toBeUndefined();
  expect(result).toMatchObject({ kind: 'action_approved', approval: { proves: 'provider-yes' } });
  expect(s.verified).toEqual([]); // nobody signed in again
  await expect(s.login.useApproval(s.session, STEP_UP, ALICE)).resolves.toMatchObject({
    intentHash: expect.any(String),
  });
  await expect(s.login.useApproval(s.session, STEP_UP, ALICE)).rejects.toMatchObject({
    code: 'not_approved',
  });
});

it('another user answering is refused (subject_mismatch)', async () => {
  const s = setup();
  expect((await s.login.approve(s.req(), STEP_UP, ALICE)).kind).toBe('pending');
  s.provider.answerRaw({ state: 'approved', subject: 'bob', claims: {} });
  expect(await s.login.poll(s.req())).toMatchObject({ kind: 'failed', code: 'subject_mismatch' });
  await expect(s.login.useApproval(s.session, STEP_UP, ALICE)).rejects.toMatchObject({
    code: 'not_approved',
  });
});

it('an acr: refused before sending by a provider that cannot confirm it, checked when one can', async () => {
  const high: ActionIntent = { type: 'step-up', acr: 'urn:example:high' };
  const plain = setup();
  expect(await plain.login.approve(plain.req(), high, ALICE)).toMatchObject({
    kind: 'error',
    error: expect.objectContaining({ kind: 'config', code: 'invalid_option' }),
  });
  expect(plain.provider.calls.start).toBe(0);

  const s = setup({}, true);
  expect(await steppedUp(s, high, { acr: 'urn:example:low' })).toMatchObject({
    kind: 'failed',
    code: 'intent_mismatch',
  });
  expect(s.provider.latest.request.acr).toBe('urn:example:high');
  expect(await steppedUp(s, high, { acr: 'urn:example:high' })).toMatchObject({
    kind: 'action_approved',
    approval: { proof: { challenge: expect.any(String), acr: 'urn:example:high' } },
  });
});

it('maxAgeSeconds: an old auth_time is refused, and the step-up serves only while that fresh', async () => {
  const fresh: ActionIntent = { type: 'step-up', maxAgeSeconds: 60 };
  const s = setup();
  const now = s.time.now();
  expect(await steppedUp(s, fresh, { auth_time: Math.floor(now / 1000) - 3600 })).toMatchObject({
    kind: 'failed',
    code: 'intent_mismatch',
  });
  expect(await steppedUp(s, fresh, { auth_time: Math.floor(now / 1000) })).toMatchObject({
    kind: 'action_approved',
  });
  s.time.advance(61_000);
  await expect(s.login.useApproval(s.session, fresh, ALICE)).rejects.toMatchObject({
    code: 'not_approved',
  });
});

it('a malformed step-up is refused before anything is sent', async () => {
  const s = setup({}, true);
  for (const bad of [
    { type: 'step-up', maxAgeSeconds: 0 },
    { type: 'step-up', maxAgeSeconds: 1.5 },
    { type: 'step-up', maxAgeSeconds: 86_401 },
    { type: 'step-up', acr: 'urn:a urn:b' },
    { type: 'step-up', acr: '' },
    { type: 'step-up', title: 'not a step-up field' },
  ]) {
    expect(await s.login.approve(s.req(), bad as ActionIntent, ALICE)).toMatchObject({
      kind: 'failed',
      code: 'invalid_intent',
    });
  }
  expect(s.provider.calls.start).toBe(0);
});

it('each step-up is its own: a second one after the first is approved and used too', async () => {
  const s = setup();
  for (let round = 0; round < 2; round++) {
    expect(await steppedUp(s, STEP_UP)).toMatchObject({ kind: 'action_approved' });
    await expect(s.login.useApproval(s.session, STEP_UP, ALICE)).resolves.toBeDefined();
  }
});

/**
 * A second tab of an action's wait page asks about the action after it ended in the first tab (or
 * after a newer request replaced it): by then the record is gone and the session is signed in, yet
 * the answer is the action's own ending in the action's words (JSON, and the page's refresh
 * without JavaScript), never "signed in" with the login's redirect.
 */
import request from 'supertest';
import { actionRequest } from '../../../lib/core/intent';
import type { ActionIntent } from '../../../lib';
import { ScriptedProvider } from '../../../lib/testing';
import { catalogueFor } from '../../../lib/web/messages';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock } from '../../helpers/clock';
import { PAYMENT } from '../../helpers/intents';

const json = { Accept: 'application/json' };
const LANGUAGES = ['en', 'de', 'sv'] as const;
const OTHER_PAYMENT: ActionIntent = { ...PAYMENT, amount: '20.00', reference: 'Lunch' };

/** A bank (ScriptedProvider that approves actions) and a signed-in browser whose tabs share its cookie. */
async function bank() {
  const clock = manualClock(Date.now());
  const provider = new ScriptedProvider();
  Object.assign(provider, { actions: { shows: 'text', proves: 'provider-yes' } });
  const { app } = approvalApp(
    {
      provider,
      strategy: { now: clock.now },
      router: { approvedRedirect: '/pay/done', successRedirect: '/home', failureRedirect: '/login' },
    },
    new Map([
      ['p1', PAYMENT],
      ['p2', OTHER_PAYMENT],
    ]),
    { userId: 'alice' },
  );
  const browser = request.agent(app);
  await browser.post('/test-login').expect(204);
  return { browser, provider, clock };
}

/** The phone approves exactly payment p1's intent, as alice. */
function phoneApproves(provider: ScriptedProvider): void {
  provider.answerRaw({
    state: 'approved',
    subject: 'alice',
    action: { intentHash: actionRequest(PAYMENT).hash, proof: { txid: 't-1' } },
  });
}

/** Starts the approval of payment `id` and opens its wait page: the challenge id the page polls with. */
async function waitPageOf(browser: request.Agent, id = 'p1'): Promise<{ challengeId: string; page: string }> {
  await browser.post(`/pay/${id}/approve`).set(json).expect(202);
  const page = await browser.get('/auth/push/wait').expect(200);
  const challengeId = /data-challenge-id="([^"]+)"/.exec(page.text)?.[1];
  expect(challengeId).toBeDefined();
  return { challengeId: challengeId ?? '', page: page.text };
}

/** The second tab's JSON poll, as its poller sends it (with the challenge its page waits for). */
const secondTabPoll = (browser: request.Agent, challengeId: string, language = 'en') =>
  browser
    .get(`/auth/push/status?challenge=${encodeURIComponent(challengeId)}`)
    .set(json)
    .set('Accept-Language', language);

describe("a second tab's poll after the action ended in the first (JSON, the poller's)", () => {
  test('approved: action_approved with its intent hash and approvedRedirect, not a login', async () => {
    const { browser, provider } = await bank();
    const { challengeId } = await waitPageOf(browser);
    phoneApproves(provider);
    await browser
      .get('/auth/push/status')
      .set(json)
      .expect(200, {
        state: 'action_approved',
        intentHash: actionRequest(PAYMENT).hash,
        redirect: '/pay/done',
      });
    const second = await secondTabPoll(browser, challengeId).expect(200);
    expect(second.body).toEqual({
      state: 'action_approved',
      intentHash: actionRequest(PAYMENT).hash,
      redirect: '/pay/done',
    });
  });

  it.each(LANGUAGES)('in %s: denied, the action was not approved (never signed in)', async (language) => {
    const { browser, provider } = await bank();
    const { challengeId } = await waitPageOf(browser);
    provider.answer('denied');
    await browser.get('/auth/push/status').set(json).expect(401);
    const second = await secondTabPoll(browser, challengeId, language).expect(401);
    expect(second.body).toMatchObject({
      state: 'denied',
      message: catalogueFor(language)['approval.state.denied'],
    });
  });

  it.each(LANGUAGES)('in %s: expired, the action was not approved', async (language) => {
    const { browser, clock } = await bank();
    const { challengeId } = await waitPageOf(browser);
    clock.advance(10 * 60_000);
    await browser.get('/auth/push/status').set(json).expect(401);
    const second = await secondTabPoll(browser, challengeId, language).expect(401);
    expect(second.body).toMatchObject({
      state: 'expired',
      message: catalogueFor(language)['approval.state.expired'],
    });
  });

  test('cancelled in the first tab: cancelled, not a login', async () => {
    const { browser } = await bank();
    const { challengeId } = await waitPageOf(browser);
    await browser.post('/auth/push/cancel').set(json).expect(200, { state: 'cancelled' });
    const second = await secondTabPoll(browser, challengeId).expect(200);
    expect(second.body).toEqual({ state: 'cancelled' });
  });

  test("a poll naming a challenge the session never had still follows the session's login", async () => {
    const { browser, provider } = await bank();
    await waitPageOf(browser);
    provider.answer('denied');
    await browser.get('/auth/push/status').set(json).expect(401);
    await secondTabPoll(browser, 'not-this-one').expect(200, { state: 'authenticated', redirect: '/home' });
  });
});

describe("a second tab's page without JavaScript refreshes into the action's ending", () => {
  test("the action's page refreshes with the challenge it waits for", async () => {
    const { browser } = await bank();
    const { challengeId, page } = await waitPageOf(browser);
    expect(page).toContain(
      `<noscript><meta http-equiv="refresh" content="1;url=/auth/push/wait?challenge=${challengeId}"></noscript>`,
    );
    // Its "show the newer one" (after a newer start elsewhere) does not call it a login either.
    expect(page).toContain(catalogueFor('en')['approval.action.showNewer']);
    expect(page).not.toContain(catalogueFor('en')['action.showNewer']);
  });

  test('approved: the refresh goes to approvedRedirect, not to the login redirect', async () => {
    const { browser, provider } = await bank();
    const { challengeId } = await waitPageOf(browser);
    phoneApproves(provider);
    await browser.get('/auth/push/wait').expect(303).expect('Location', '/pay/done');
    await browser.get(`/auth/push/wait?challenge=${challengeId}`).expect(303).expect('Location', '/pay/done');
  });

  test('denied: the refresh lands on the failure page with the ending, not signed in', async () => {
    const { browser, provider } = await bank();
    const { challengeId } = await waitPageOf(browser);
    provider.answer('denied');
    await browser.get('/auth/push/wait').expect(303).expect('Location', '/login?push=denied');
    await browser
      .get(`/auth/push/wait?challenge=${challengeId}`)
      .expect(303)
      .expect('Location', '/login?push=denied');
  });
});

describe('a newer approval in another tab replaced the action (409 superseded)', () => {
  it.each(LANGUAGES)('in %s: the status poll speaks of the action', async (language) => {
    const { browser } = await bank();
    const { challengeId: first } = await waitPageOf(browser, 'p1');
    await waitPageOf(browser, 'p2');
    const answer = await secondTabPoll(browser, first, language).expect(409);
    expect(answer.body).toEqual({
      state: 'superseded',
      code: 'superseded',
      message: catalogueFor(language)['approval.state.superseded'],
    });
  });

  test('the status stream refuses the same way', async () => {
    const { browser } = await bank();
    const { challengeId: first } = await waitPageOf(browser, 'p1');
    await waitPageOf(browser, 'p2');
    const answer = await browser.get(`/auth/push/events?challenge=${first}`).set(json).expect(409);
    expect(answer.body).toMatchObject({
      state: 'superseded',
      message: catalogueFor('en')['approval.state.superseded'],
    });
  });

  test('an action that ended before the newer start keeps its own ending: approved, never "replaced"', async () => {
    const { browser, provider } = await bank();
    const { challengeId: first } = await waitPageOf(browser, 'p1');
    phoneApproves(provider);
    await browser.get('/auth/push/status').set(json).expect(200);
    await waitPageOf(browser, 'p2');
    const answer = await secondTabPoll(browser, first).expect(200);
    expect(answer.body).toEqual({
      state: 'action_approved',
      intentHash: actionRequest(PAYMENT).hash,
      redirect: '/pay/done',
    });
    // Without JavaScript, its page's refresh goes where the approval goes, not to the newer page.
    await browser.get(`/auth/push/wait?challenge=${first}`).expect(303).expect('Location', '/pay/done');
  });

  test('an action denied before the newer start reads as denied, not as replaced', async () => {
    const { browser, provider } = await bank();
    const { challengeId: first } = await waitPageOf(browser, 'p1');
    provider.answer('denied');
    await browser.get('/auth/push/status').set(json).expect(401);
    await waitPageOf(browser, 'p2');
    const answer = await secondTabPoll(browser, first).expect(401);
    expect(answer.body).toMatchObject({
      state: 'denied',
      message: catalogueFor('en')['approval.state.denied'],
    });
  });

  test('after the newer one ended too, the replaced action still reads as replaced, not signed in', async () => {
    const { browser, provider } = await bank();
    const { challengeId: first } = await waitPageOf(browser, 'p1');
    await waitPageOf(browser, 'p2');
    provider.answer('denied');
    await browser.get('/auth/push/status').set(json).expect(401);
    const answer = await secondTabPoll(browser, first).expect(401);
    expect(answer.body).toMatchObject({
      state: 'suspended',
      message: catalogueFor('en')['approval.state.suspended'],
    });
  });
});

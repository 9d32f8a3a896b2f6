/**
 * An action's JSON answers speak of the action, never of a login (OWASP Transaction Authorization
 * 1.4), in the request's language, as its wait page does: the start's and the status's pending
 * answers, the endings (denied, expired, another user, refused), a rate limit and a cancel.
 */
import request from 'supertest';
import type { ActionIntent } from '../../../lib';
import type { Approver } from '../../../lib/core/login';
import type { PushProvider } from '../../../lib/providers/provider';
import { BankIdSimulator } from '../../../lib/testing/bankid-simulator';
import { DuoSimulator } from '../../../lib/testing/duo-simulator';
import { catalogueFor } from '../../../lib/web/messages';
import { approvalApp } from '../../helpers/approval-app';
import { manualClock, type ManualClock } from '../../helpers/clock';
import { PAYMENT } from '../../helpers/intents';
import { ALICE, completedByAnother, providerFor } from '../bankid/setup';
import { duoProviderFor } from '../duo/setup';

/** Login wording in any of the three languages. */
const LOGIN_WORDS = /log ?in|sign(ing)? (you )?in|anmeld|inlogg|logga in/i;
const LANGUAGES = ['en', 'de', 'sv'] as const;

/** Every text of a JSON answer (`message`, `detail`, a provider's words), for the wording checks. */
function texts(body: unknown): string[] {
  if (typeof body === 'string') return [body];
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body).flatMap(([key, value]) =>
    ['state', 'code', 'error', 'key', 'redirect', 'qr', 'qrImage', 'action'].includes(key)
      ? []
      : texts(value),
  );
}

function speaksOfTheAction(body: unknown): void {
  for (const text of texts(body)) expect(text).not.toMatch(LOGIN_WORDS);
}

interface Row {
  name: string;
  /** The provider, its simulator started; `close` stops it. */
  setUp(): Promise<{ provider: PushProvider; approver: Approver; close(): Promise<void> }>;
  /** The phone denies, approves as another user, or (undefined) the row cannot make it. */
  deny(): void;
  /** The provider's answer names another user, when the row can make one. */
  anotherUser?(): void;
}

let bankId: BankIdSimulator;
let duo: DuoSimulator;

const rows: Row[] = [
  {
    name: 'BankID',
    async setUp() {
      bankId = await BankIdSimulator.start();
      return { provider: providerFor(bankId), approver: { userId: ALICE }, close: () => bankId.close() };
    },
    deny: () => void bankId.phone.deny(bankId.phone.pending(ALICE)[0]?.id ?? ''),
    anotherUser() {
      expect(bankId.phone.approve(bankId.phone.pending(ALICE)[0]?.id ?? '')).toBe(true);
      completedByAnother(bankId, '196408233234');
    },
  },
  {
    name: 'Duo',
    async setUp() {
      duo = await DuoSimulator.start({ users: ['alice'], holdCapMs: 0 });
      return { provider: duoProviderFor(duo), approver: { userId: 'alice' }, close: () => duo.close() };
    },
    deny: () => void duo.phone.deny(duo.phone.pending('alice')[0]?.id ?? ''),
  },
];

describe.each(rows)('$name: the JSON answers of an action', (row) => {
  let clock: ManualClock;
  let close: () => Promise<void>;
  let bank: () => ReturnType<typeof approvalApp>;
  beforeEach(async () => {
    clock = manualClock(Date.now());
    const { provider, approver, close: stop } = await row.setUp();
    close = stop;
    bank = () =>
      approvalApp(
        {
          provider,
          strategy: {
            now: clock.now,
            approval: { require: { shows: 'text', proves: 'provider-yes' } },
            // A second start for the same person within a minute is refused (the ID's cooldown).
            limiter: { userCooldownMs: 60_000, sessionCooldownMs: 0 },
          },
        },
        new Map<string, ActionIntent>([['p1', PAYMENT]]),
        approver,
      );
  });
  afterEach(() => close());

  /** A browser of `app` signed in as the approver, and its ask to approve payment p1. */
  async function approveIn(app: ReturnType<typeof bank>['app'], language: string) {
    const agent = request.agent(app);
    await agent.post('/test-login').expect(204);
    const answer = await agent
      .post('/pay/p1/approve')
      .set('Accept', 'application/json')
      .set('Accept-Language', language);
    return { agent, answer };
  }

  async function started(language: string) {
    const { app } = bank();
    const { agent, answer } = await approveIn(app, language);
    expect(answer.status).toBe(202);
    return { app, agent, start: answer };
  }

  const status = (agent: request.Agent, language: string) =>
    agent.get('/auth/push/status').set('Accept', 'application/json').set('Accept-Language', language);

  it.each(LANGUAGES)('in %s: pending (start and status) asks to approve the action', async (language) => {
    const catalogue = catalogueFor(language);
    const { agent, start } = await started(language);
    expect(start.body.message).toBe(catalogue['approval.state.pending']);
    speaksOfTheAction(start.body);
    const pending = await status(agent, language).expect(202);
    expect(pending.body.message).toBe(catalogue['approval.state.pending']);
    speaksOfTheAction(pending.body);
  });

  it.each(LANGUAGES)('in %s: denied on the phone, the action was not approved', async (language) => {
    const { agent } = await started(language);
    row.deny();
    clock.advance(2000);
    const denied = await status(agent, language);
    expect(denied.body.state).toBe('denied');
    speaksOfTheAction(denied.body);
  });

  it.each(LANGUAGES)('in %s: expired, the action was not approved', async (language) => {
    const { agent } = await started(language);
    clock.advance(10 * 60_000);
    const expired = await status(agent, language);
    expect(expired.body).toMatchObject({
      state: 'expired',
      message: catalogueFor(language)['approval.state.expired'],
    });
    speaksOfTheAction(expired.body);
  });

  it.each(LANGUAGES)(
    'in %s: a second approval for the same person too soon is refused (429)',
    async (language) => {
      const { app } = await started(language);
      const { answer: refused } = await approveIn(app, language); // another browser of the same person
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('rate_limited');
      expect(refused.body.message).toBe(
        catalogueFor(language)['approval.error.rate_limited.after'].replace('{seconds}', '60'),
      );
      // (`detail` keeps the limiter's English words for the app's developers, as for a login.)
      speaksOfTheAction(refused.body.message);
    },
  );

  it.each(LANGUAGES)('in %s: approved by another user, the request is refused', async (language) => {
    if (!row.anotherUser) return; // Duo's answer names no user (see the Duo approval tests)
    const { agent } = await started(language);
    row.anotherUser();
    clock.advance(2000);
    const refused = await status(agent, language);
    expect(refused.body).toMatchObject({ state: 'invalid', code: 'subject_mismatch' });
    speaksOfTheAction(refused.body);
  });
});

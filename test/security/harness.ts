/**
 * The providers, each wired to its loopback simulator, behind one small interface so every
 * security property runs against all of them with `describe.each(TARGETS)`. Built on the providers'
 * own integration setups; the only additions are a shared clock, a phone that finds "this login's"
 * request, and a forged approval for the subject and fault tests.
 */
import type { ChallengeDisplay, ChallengeHandle, PushProvider } from '../../lib';
import { startCibaOp } from '../../lib/testing/ciba-op';
import type { Faults, Phone, PhoneRequest } from '../../lib/testing/simulator';
import { SecSignIdSimulator } from '../../lib/testing/secsign-id-simulator';
import { DuoSimulator } from '../../lib/testing/duo-simulator';
import { duoProviderFor } from '../integration/duo/setup';
import { startPair } from '../integration/authentiq8/setup';
import { provider as cibaProvider } from '../integration/ciba/support';
import { providerFor } from '../integration/secsign-id/setup';
import { checkDeadline } from '../helpers/check-deadline';

/** Users every simulator knows. */
export const USERS = ['alice', 'bob', 'carol'] as const;

/** Moves past every provider's poll interval (SecSign 3 s, Authentiq8 1.5 s, CIBA 5 s). */
const POLL_STEP_MS = 6_000;
/** Pending requests outlive any clock the tests move (the local deadline is what tests expire). */
const LONG_LIFETIME_MS = 3_600_000;

export interface Target {
  readonly name: string;
  readonly provider: PushProvider;
  /** Simulator faults (every request, start or check, meets them until `clear()`). */
  readonly faults: Faults;
  /** Give this to the strategy (`now`): the providers that keep time share it. */
  now(): number;
  /** Moves the clock past the poll interval, so the next poll asks the provider. */
  due(): void;
  /** The phone approves the request showing `display` (the start's), picking the matching pass. */
  approve(userId: string, display: ChallengeDisplay): Promise<void>;
  deny(userId: string, display: ChallengeDisplay): Promise<void>;
  /** The phone denies and reports fraud, where the provider has that answer (Duo). */
  reportFraud?(userId: string): Promise<void>;
  /** Requests that pushed to a phone, so far. */
  starts(): number;
  /** Requests of any kind the simulator received, so far. */
  requests(): number;
  /**
   * A well-formed "approved" answer to the next check of `handle`, naming `subject`, for a `body`
   * fault. CIBA's is an unsigned ID token: only the OP's key can make a real one.
   */
  forgedApproval(handle: ChallengeHandle, subject: string): string;
  /** Whether the simulator implements the `drip` fault (the CIBA test OP does not). */
  readonly drips: boolean;
  /**
   * Whether the provider hands out a final answer once (CIBA's token endpoint consumes the grant):
   * an answer lost on the way after the provider gave it leaves the next check an ending, never a login.
   */
  readonly finalAnswersOnce: boolean;
  /**
   * Whether a check that outlives its wait means "still pending" (Duo holds `auth_status` until the
   * push is answered): then a slow answer is no fault, and the timeout cases do not apply.
   */
  readonly holdsChecks: boolean;
  /**
   * The next check is aborted after `ms` (a hang or a drip only ends that way): provider timeouts
   * stay generous, so no other call races a clock on a busy machine.
   */
  limitNextCheck(ms: number): void;
  close(): Promise<void>;
}

/** What each provider's setup below gives; the check deadline is added for all of them alike. */
type BareTarget = Omit<Target, 'limitNextCheck'>;

function shiftedClock(): { now: () => number; advance: (ms: number) => void } {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}

/** The phone's request for this login: the one showing this display, else the newest for the user. */
function findRequest(phone: Phone, userId: string, display: ChallengeDisplay): PhoneRequest {
  const requests = phone.pending(userId);
  const found = requests.find(
    (r) =>
      (display.accessPass !== undefined && r.choices?.includes(display.accessPass)) ||
      (display.bindingMessage !== undefined && r.bindingMessage === display.bindingMessage),
  );
  const request = found ?? requests[0];
  if (!request) throw new Error(`the phone shows no request for ${userId}`);
  return request;
}

const total = (calls: Readonly<Record<string, number>>) => Object.values(calls).reduce((a, b) => a + b, 0);

async function secsign(providerTimeoutMs: number): Promise<BareTarget> {
  const clock = shiftedClock();
  const sim = await SecSignIdSimulator.start({
    users: [...USERS],
    pendingLifetimeMs: LONG_LIFETIME_MS,
    now: clock.now,
  });
  return {
    name: 'secsign-id',
    provider: providerFor(sim.url, { timeoutMs: providerTimeoutMs }),
    faults: sim.faults,
    now: clock.now,
    due: () => clock.advance(POLL_STEP_MS),
    async approve(userId, display) {
      const request = findRequest(sim.phone, userId, display);
      // The user picks the pass the wait page shows.
      const choice = request.choices?.indexOf(display.accessPass ?? '') ?? -1;
      if (!sim.phone.approve(request.id, choice)) throw new Error('the phone refused the pick');
    },
    async deny(userId, display) {
      sim.phone.deny(findRequest(sim.phone, userId, display).id);
    },
    starts: () => sim.calls['ReqRequestAuthSession'] ?? 0,
    requests: () => total(sim.calls),
    forgedApproval: (handle, subject) =>
      `authsessionid=${String(handle['authsessionid'])}&secsignid=${subject}&authsessionstate=3`,
    drips: true,
    finalAnswersOnce: false,
    holdsChecks: false,
    close: () => sim.close(),
  };
}

async function authentiq8(providerTimeoutMs: number): Promise<BareTarget> {
  let transactions = 0;
  const pair = await startPair({
    simulator: { users: [...USERS], authLifetimeMs: LONG_LIFETIME_MS },
    // Predictable TransactionIDs, so a forged answer can echo the next one.
    provider: { timeoutMs: providerTimeoutMs, newTransactionId: () => `tx-${++transactions}` },
  });
  const { simulator: sim, clock } = pair;
  sim.setCredits(1_000_000);
  return {
    name: 'authentiq8',
    provider: pair.provider,
    faults: sim.faults,
    now: clock.now,
    due: () => clock.advance(POLL_STEP_MS),
    async approve(userId, display) {
      if (!sim.phone.approve(findRequest(sim.phone, userId, display).id)) throw new Error('not pending');
    },
    async deny(userId, display) {
      sim.phone.deny(findRequest(sim.phone, userId, display).id);
    },
    starts: () => sim.calls['authenticate'] ?? 0,
    requests: () => total(sim.calls),
    forgedApproval: (handle, subject) =>
      JSON.stringify({
        rsp_code: '0000',
        rsp_msg: 'success',
        transaction_id: `tx-${transactions + 1}`,
        status: 'approved',
        user_id: subject,
        auth_id: handle['authId'],
      }),
    drips: true,
    finalAnswersOnce: false,
    holdsChecks: false,
    close: () => sim.close(),
  };
}

async function ciba(providerTimeoutMs: number): Promise<BareTarget> {
  const clock = shiftedClock();
  const op = await startCibaOp({ defaultExpirySeconds: LONG_LIFETIME_MS / 1000 });
  // The OP resolves the login hint "mallory" to bob's account: a provider that confirms another user.
  const provider = cibaProvider(op, {
    timeoutMs: providerTimeoutMs,
    loginHintFrom: (userId) => (userId === 'mallory' ? 'bob' : userId),
  });
  return {
    name: 'ciba',
    provider,
    faults: op.faults,
    now: clock.now,
    due: () => clock.advance(POLL_STEP_MS),
    async approve(userId, display) {
      const hint = userId === 'mallory' ? 'bob' : userId;
      if (!(await op.phone.approveNow(findRequest(op.phone, hint, display).id)))
        throw new Error('not pending');
    },
    async deny(userId, display) {
      await op.phone.denyNow(findRequest(op.phone, userId, display).id);
    },
    starts: () => op.calls['backchannel'] ?? 0,
    requests: () => total(op.calls),
    forgedApproval: (_handle, subject) => {
      const now = Math.floor(Date.now() / 1000);
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = { iss: op.issuer, aud: 'rp-basic', sub: subject, iat: now, exp: now + 600 };
      const idToken = `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
      return JSON.stringify({
        access_token: 'forged',
        token_type: 'Bearer',
        expires_in: 600,
        id_token: idToken,
      });
    },
    drips: false,
    finalAnswersOnce: true,
    holdsChecks: false,
    close: () => op.close(),
  };
}

async function duo(providerTimeoutMs: number): Promise<BareTarget> {
  const clock = shiftedClock();
  // No hold: every check answers at once, as the other providers do. The provider signs with the
  // real clock (the simulator checks the Date header's skew); the strategy runs on the shifted one.
  const sim = await DuoSimulator.start({ users: [...USERS], holdCapMs: 0 });
  const provider = duoProviderFor(sim, { timeoutMs: providerTimeoutMs, statusWaitMs: providerTimeoutMs });
  const newest = (userId: string) => {
    const request = sim.phone.pending(userId)[0];
    if (!request) throw new Error(`the phone shows no push for ${userId}`);
    return request.id;
  };
  return {
    name: 'duo',
    provider,
    faults: sim.faults,
    now: clock.now,
    due: () => clock.advance(POLL_STEP_MS),
    async approve(userId) {
      if (!sim.phone.approve(newest(userId))) throw new Error('not pending');
    },
    async deny(userId) {
      sim.phone.deny(newest(userId));
    },
    async reportFraud(userId) {
      sim.phone.reportFraud(newest(userId));
    },
    starts: () => sim.calls['auth'] ?? 0,
    requests: () => total(sim.calls),
    // Duo's answer names nobody: the provider confirms the username the push was sent for.
    forgedApproval: () => JSON.stringify({ stat: 'OK', response: { result: 'allow', status: 'allow' } }),
    drips: true,
    finalAnswersOnce: false,
    holdsChecks: true,
    close: () => sim.close(),
  };
}

export type TargetFactory = (providerTimeoutMs?: number) => Promise<Target>;

/**
 * Provider timeouts in the suites: generous, because no test here is about a provider's own timeout
 * (hangs end through `limitNextCheck`), and a loaded machine must not turn healthy calls into faults.
 */
const PROVIDER_TIMEOUT_MS = 10_000;

function withCheckDeadline(make: (providerTimeoutMs: number) => Promise<BareTarget>): TargetFactory {
  return async (ms = PROVIDER_TIMEOUT_MS) => {
    const target = await make(ms);
    const { provider, limitNextCheck } = checkDeadline(target.provider);
    return { ...target, provider, limitNextCheck };
  };
}

/** `describe.each(TARGETS)('%s', (_name, start) => …)`. Each call starts a fresh simulator. */
export const TARGETS: [string, TargetFactory][] = [
  ['secsign-id', withCheckDeadline(secsign)],
  ['authentiq8', withCheckDeadline(authentiq8)],
  ['ciba', withCheckDeadline(ciba)],
  ['duo', withCheckDeadline(duo)],
];

/**
 * The targets whose approvals name the user (a forged answer can name another one). Duo's names
 * nobody: the push went to one username, and that is the subject; conformance checks it matches.
 * BankID is not here at all: its IDs are personal numbers and its subject is the provider's, so the
 * suite's "alice logs in as alice" does not apply; test/integration/bankid covers its properties.
 */
export const SUBJECT_NAMING_TARGETS = TARGETS.filter(([name]) => name !== 'duo');

/**
 * The login core on its own, for unit tests: a fake session that regenerates like express-session,
 * a ScriptedProvider, a manual clock and the audit events, without Express or passport.
 */
// Modules, not the package's index: a mutation run loads this once per mutant, and the index
// brings Express, every provider and the simulators along.
import type { PushEvent } from '../../lib/core/events';
import type { CompletionStore } from '../../lib/core/completion';
import type { SettledState } from '../../lib/core/notification-bus';
import type { LoginRequest } from '../../lib/core/login';
import type { LoginSession } from '../../lib/core/session-access';
import { PushStrategy } from '../../lib/core/strategy';
import type { PushStrategyOptions } from '../../lib/core/strategy-options';
import type { PushVerifyInfo } from '../../lib/core/verify';
import type { StartedChallenge } from '../../lib/providers/provider';
import { ScriptedProvider, type ScriptedProviderOptions } from '../../lib/testing/scripted-provider';
import { manualClock } from './clock';

/** A session whose store can lose it (`stored = false`: another request destroyed it). */
export type FakeSession = LoginSession & {
  readonly data: Record<string, unknown>;
  regenerations: number;
  stored: boolean;
};

/** A session that regenerates like express-session: a new id, the old data carried over. */
export function fakeSession(): FakeSession {
  let id = 'sid-1';
  let data: Record<string, unknown> = { regenerate: () => undefined };
  return {
    regenerations: 0,
    stored: true,
    get data() {
      return data;
    },
    get id() {
      return id;
    },
    async regenerate(keep: boolean) {
      this.regenerations += 1;
      id = `sid-${this.regenerations + 1}`;
      data = keep ? { ...data } : { regenerate: data.regenerate };
    },
    async stillStored() {
      return this.stored;
    },
  };
}

/** A strategy over a ScriptedProvider on a manual clock, recording its audit events and verify calls. */
export function setupLogin(
  /** `personalUserIds`: the provider's IDs are personal data (audit events then show pseudonyms). */
  { personalUserIds, ...providerOptions }: ScriptedProviderOptions & { personalUserIds?: true } = {},
  strategyOptions: Partial<PushStrategyOptions> = {},
  /** What verify answers for a confirmed subject; default a user `{ id: subject }`. */
  verify: (subject: string, info: PushVerifyInfo) => { id: string } | false = (subject) => ({ id: subject }),
) {
  const time = manualClock();
  const events: PushEvent[] = [];
  const provider = new ScriptedProvider({ now: time.now, ...providerOptions });
  if (personalUserIds) Object.assign(provider, { personalUserIds });
  const verified: { subject: string; requestedUserId?: string; claims: unknown }[] = [];
  const strategy = new PushStrategy(
    {
      provider,
      pollIntervalMs: 0,
      limiter: false,
      now: time.now,
      onEvent: (event) => events.push(event),
      ...strategyOptions,
      passReqToCallback: false,
    },
    async (subject, info) => {
      verified.push({ subject, requestedUserId: info.requestedUserId, claims: info.claims });
      return verify(subject, info);
    },
  );
  const session = fakeSession();
  const req = (body: unknown = {}): LoginRequest => ({ session, ip: '203.0.113.9', body });
  return { login: strategy.login, provider, events, verified, session, req, time };
}

/** Makes the provider's next starts answer `change(started)`: a handle or key it would never give. */
export function alterStart(
  provider: ScriptedProvider,
  change: (started: StartedChallenge) => StartedChallenge,
) {
  const start = provider.start.bind(provider);
  provider.start = async (request, signal) => change(await start(request, signal));
}

/**
 * A completion store in which another request (or instance) already ended every challenge as
 * `ending`; undefined: a store that cannot name it.
 */
export function decidedElsewhere(ending?: SettledState): CompletionStore {
  return {
    claim: async () => false,
    decide: async () => (ending === undefined ? { decided: false } : { decided: false, ending }),
  };
}

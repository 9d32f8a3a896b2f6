/**
 * providerConformance(name, factory): the Jest suite every provider passes. It checks the provider
 * contract (lib/providers/provider.ts) against a provider wired to its simulator or a fake: start,
 * check and cancel semantics, approval only on an explicit approval that names a subject and is
 * bound to its start (its request, the user the start confirmed), fail-closed handling of malformed
 * answers, empty and cut-short answers as retryable transport faults, no configuration secret in handles or error messages, abort signals
 * honoured, the retry rule, the handle size bound and the closed error vocabulary.
 *
 * Call it at the top level of a test file (it declares `describe` blocks); Jest's globals must be
 * available, as they are in any Jest test file.
 */
import type {
  describe as Describe,
  expect as Expect,
  test as Test,
  afterEach as AfterEach,
} from '@jest/globals';
import { isPushErrorCode, PushError, retryableHttpStatus } from '../errors';
import type { ChallengeHandle, ChallengeStatus, PushProvider, StartedChallenge } from '../providers/provider';

/**
 * A fault the target makes the provider meet on its next call (start or check) only.
 *
 * @example
 * ```ts
 * import type { ConformanceFault } from 'passport-push/testing';
 *
 * const fault: ConformanceFault = { kind: 'status', status: 503 };
 * ```
 */
export type ConformanceFault =
  /** The provider's server answers with this HTTP status (the suite tries 400, 401, 429, 500, 503). */
  | {
      /** The fault: an HTTP error status. */
      kind: 'status';
      /** The status to answer with. */
      status: number;
    }
  /** The connection is reset without an answer. */
  | {
      /** The fault: a reset connection. */
      kind: 'reset';
    }
  /** The server never answers (the suite aborts the call's signal). */
  | {
      /** The fault: no answer at all. */
      kind: 'hang';
    }
  /** A well-framed answer with a malformed body: one of the target's `malformedAnswers`. */
  | {
      /** The fault: a malformed body. */
      kind: 'malformed';
      /** Which of the target's `malformedAnswers`. */
      name: string;
    }
  /** HTTP 200 with an empty body: a transport fault, retryable. */
  | {
      /** The fault: an empty 200 answer. */
      kind: 'empty';
    }
  /** The real answer announced whole but cut short on the way (`truncate` fault): retryable. */
  | {
      /** The fault: an answer cut short. */
      kind: 'truncate';
    }
  /**
   * A well-formed approval that is not this challenge's, as a mixed-up proxy or a forger would
   * send it: about another request (`request`: another session, order or transaction) or naming
   * another user than the start confirmed (`user`). The target builds it from the challenge the
   * phone approved last.
   */
  | {
      /** The fault: an approval that belongs to something else. */
      kind: 'foreign';
      /** What the approval is about instead: another request, or another user. */
      about: ForeignAnswer;
    };

/**
 * What a foreign approval gets wrong: the request it is about, or the user it names.
 *
 * @example
 * ```ts
 * import type { ForeignAnswer } from 'passport-push/testing';
 *
 * const about: ForeignAnswer = 'user'; // an approval naming another user than the start confirmed
 * ```
 */
export type ForeignAnswer = 'request' | 'user';

/**
 * What the "phone" does with the challenge a start produced.
 *
 * @example
 * ```ts
 * import type { ConformancePhone } from 'passport-push/testing';
 *
 * const phone: ConformancePhone = {
 *   approve: async () => undefined, // approve the challenge the start produced
 *   deny: async () => undefined,
 *   expire: async () => undefined,
 * };
 * ```
 */
export interface ConformancePhone<Handle extends ChallengeHandle = ChallengeHandle> {
  /** The user approves the challenge on the phone. */
  approve(started: StartedChallenge<Handle>, userId: string): Promise<void>;
  /** The user denies the challenge on the phone. */
  deny(started: StartedChallenge<Handle>, userId: string): Promise<void>;
  /** The challenge times out at the provider. */
  expire(started: StartedChallenge<Handle>, userId: string): Promise<void>;
}

/**
 * One provider, wired to a simulator or a fake, with the means to drive it. Made fresh per test.
 *
 * @example
 * ```ts
 * import { providerConformance, type ConformanceTarget } from 'passport-push/testing';
 *
 * declare function myTarget(): Promise<ConformanceTarget>; // provider, userId, phone, inject, …
 * providerConformance('My ID', myTarget);
 * ```
 */
export interface ConformanceTarget<Handle extends ChallengeHandle = ChallengeHandle> {
  /** The provider under test, wired to the simulator. */
  readonly provider: PushProvider<Handle>;
  /** A user ID the simulator knows, with a phone to push to. */
  readonly userId: string;
  /** Answers the provider's challenges as the user would. */
  readonly phone: ConformancePhone<Handle>;
  /** Arms a fault for the provider's next call. */
  inject(fault: ConformanceFault): void | Promise<void>;
  /** Names of malformed answers `inject({ kind: 'malformed', name })` knows (at least one). */
  readonly malformedAnswers: readonly string[];
  /** Configuration secrets (API keys, client secrets, private key material) the provider was given. */
  readonly secrets: readonly string[];
  /**
   * Foreign approvals this provider's answers cannot even express, each with the reason (Duo's
   * `auth_status` names neither the transaction nor the user: the request alone binds its answer).
   * For these the suite checks the binding by behaviour: another challenge's approval never
   * approves this one, and an approval names the user the start was for.
   */
  readonly inexpressible?: Readonly<Partial<Record<ForeignAnswer, string>>>;
  /** Releases the simulator. */
  close?(): Promise<void>;
}

/**
 * Builds a fresh target for each test.
 *
 * @example
 * ```ts
 * import {
 *   providerConformance,
 *   type ConformanceFactory,
 *   type ConformanceTarget,
 * } from 'passport-push/testing';
 *
 * declare function myTarget(): Promise<ConformanceTarget>;
 * const factory: ConformanceFactory = () => myTarget(); // called once per test: a fresh target
 * providerConformance('My ID', factory);
 * ```
 */
export type ConformanceFactory<Handle extends ChallengeHandle = ChallengeHandle> = () => Promise<
  ConformanceTarget<Handle>
>;

/** The end user's IP every start of the suite passes (TEST-NET-1, RFC 5737: never a real client). */
export const CONFORMANCE_CLIENT_IP = '192.0.2.10';

/**
 * Largest handle, as JSON, a provider may return: it lives in the session store.
 */
export const MAX_CONFORMING_HANDLE_BYTES = 4096;

interface JestGlobals {
  describe: typeof Describe;
  test: typeof Test;
  expect: typeof Expect;
  afterEach: typeof AfterEach;
}

/**
 * Declares the conformance suite for one provider (see `ConformanceTarget` for what the factory gives).
 *
 * @example
 * ```ts
 * import { SecSignIdProvider } from 'passport-push';
 * import { providerConformance, SecSignIdSimulator } from 'passport-push/testing';
 *
 * providerConformance('SecSign ID', async () => {
 *   const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 *   const provider = new SecSignIdProvider({
 *     endpoint: sim.url,
 *     fallbackEndpoint: null,
 *     allowInsecureHttp: true,
 *     serviceName: 'Test',
 *     serviceAddress: 'http://localhost',
 *   });
 *   const first = () => sim.phone.pending('alice')[0]!.id;
 *   let approved = ''; // the session the phone approved last
 *   return {
 *     provider,
 *     userId: 'alice',
 *     phone: {
 *       approve: async () => void sim.phone.approve((approved = first())),
 *       deny: async () => sim.phone.deny(first()),
 *       expire: async () => sim.phone.expire(first()),
 *     },
 *     inject: (fault) => {
 *       if (fault.kind === 'status') sim.faults.inject({ kind: 'status', status: fault.status }, 1);
 *       if (fault.kind === 'reset') sim.faults.inject({ kind: 'reset' }, 1);
 *       if (fault.kind === 'hang') sim.faults.inject({ kind: 'delay', ms: 60_000 }, 1);
 *       if (fault.kind === 'malformed') sim.faults.inject({ kind: 'body', body: 'garbage' }, 1);
 *       if (fault.kind === 'empty') sim.faults.inject({ kind: 'body', body: '' }, 1);
 *       if (fault.kind === 'truncate') sim.faults.inject({ kind: 'truncate' }, 1);
 *       if (fault.kind === 'foreign') {
 *         // An approval about another session, or naming another user than the start confirmed.
 *         const id = fault.about === 'request' ? '42' : approved;
 *         const user = fault.about === 'user' ? 'mallory' : 'alice';
 *         const body = `authsessionid=${id}&secsignid=${user}&authsessionstate=3`;
 *         sim.faults.inject({ kind: 'body', body }, 1);
 *       }
 *     },
 *     malformedAnswers: ['garbage'],
 *     secrets: [],
 *     close: () => sim.close(),
 *   };
 * });
 * ```
 */
export function providerConformance<Handle extends ChallengeHandle>(
  name: string,
  factory: ConformanceFactory<Handle>,
): void {
  const { describe, test, expect, afterEach } = globalThis as unknown as JestGlobals;
  let current: ConformanceTarget<Handle> | undefined;
  const target = async () => (current = await factory());
  afterEach(async () => {
    await current?.close?.();
    current = undefined;
  });

  const signal = () => new AbortController().signal;
  const start = (t: ConformanceTarget<Handle>) =>
    // The core always passes the browser's IP; BankID cannot start without one (`endUserIp`).
    t.provider.start(
      {
        userId: t.userId,
        clientIp: CONFORMANCE_CLIENT_IP,
        serviceName: 'Conformance',
        message: 'conformance',
      },
      signal(),
    );
  const check = (t: ConformanceTarget<Handle>, started: StartedChallenge<Handle>) =>
    t.provider.check(started.handle, signal());

  /** A call that throws: its error, checked to be a PushError with a code from the vocabulary. */
  const failure = async (call: Promise<unknown>): Promise<PushError> => {
    const error = await call.then(
      (value) => {
        throw new Error(`expected a PushError, got ${JSON.stringify(value)}`);
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PushError);
    const pushError = error as PushError;
    expect(isPushErrorCode(pushError.code)).toBe(true);
    return pushError;
  };

  const noSecrets = (t: ConformanceTarget<Handle>, text: string) => {
    for (const secret of t.secrets) expect(text).not.toContain(secret);
  };

  /** A check's outcome (a status or what it threw) that logs nobody in. */
  const expectNoApproval = (outcome: unknown) => {
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(PushError);
    else expect((outcome as ChallengeStatus).state).not.toBe('approved');
  };

  /** Fails closed: a final PushError from the vocabulary, or a terminal state; never approval. */
  const expectFailedClosed = (t: ConformanceTarget<Handle>, outcome: unknown) => {
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(PushError);
      const error = outcome as PushError;
      expect(error.retryable).toBe(false);
      expect(isPushErrorCode(error.code)).toBe(true);
      noSecrets(t, `${error.message} ${JSON.stringify(error.details)}`);
    } else {
      expect((outcome as ChallengeStatus).state).not.toBe('approved');
      expect(['pending', 'fetched']).not.toContain((outcome as ChallengeStatus).state);
    }
  };

  describe(`${name} conforms to the provider contract`, () => {
    test('declares its name, display name, user ID need and subject rule', async () => {
      const t = await target();
      expect(typeof t.provider.name).toBe('string');
      expect(t.provider.name.length).toBeGreaterThan(0);
      expect(typeof t.provider.displayName).toBe('string');
      expect(['required', 'optional']).toContain(t.provider.userId);
      expect(['must-match', 'match-if-typed', 'provider']).toContain(t.provider.subjectRule);
    });

    test('start gives a small, JSON-safe handle without secrets, and a display; the challenge is pending', async () => {
      const t = await target();
      const started = await start(t);
      const json = JSON.stringify(started.handle);
      expect(JSON.parse(json)).toEqual(started.handle);
      expect(json.length).toBeLessThanOrEqual(MAX_CONFORMING_HANDLE_BYTES);
      for (const value of Object.values(started.handle)) {
        expect(value === null || ['string', 'number', 'boolean'].includes(typeof value)).toBe(true);
      }
      noSecrets(t, json);
      expect(typeof started.display).toBe('object');
      expect(['pending', 'fetched']).toContain((await check(t, started)).state);
    });

    test('approved only after the phone approves, naming a subject', async () => {
      const t = await target();
      const started = await start(t);
      expect((await check(t, started)).state).not.toBe('approved');
      await t.phone.approve(started, t.userId);
      const status = await check(t, started);
      expect(status.state).toBe('approved');
      const subject = (status as Extract<ChallengeStatus, { state: 'approved' }>).subject;
      expect(typeof subject).toBe('string');
      expect(subject.length).toBeGreaterThan(0);
      if (t.provider.subjectRule !== 'provider') expect(sameUser(t.provider, subject, t.userId)).toBe(true);
    });

    test('a denial is a terminal state, never an approval', async () => {
      const t = await target();
      const started = await start(t);
      await t.phone.deny(started, t.userId);
      expect(['denied', 'cancelled', 'invalid']).toContain((await check(t, started)).state);
    });

    test('an expiry is a terminal state, never an approval', async () => {
      const t = await target();
      const started = await start(t);
      await t.phone.expire(started, t.userId);
      expect(['expired', 'cancelled', 'invalid']).toContain((await check(t, started)).state);
    });

    test('after cancel, the challenge is never approved', async () => {
      const t = await target();
      const cancel = t.provider.cancel;
      if (!cancel) return;
      const started = await start(t);
      await cancel.call(t.provider, started.handle, signal());
      await t.phone.approve(started, t.userId).catch(() => undefined);
      expectNoApproval(await check(t, started).catch((error: unknown) => error));
    });

    test('every malformed answer fails closed: a final PushError or a terminal state, never approval', async () => {
      const t = await target();
      expect(t.malformedAnswers.length).toBeGreaterThan(0);
      for (const malformed of t.malformedAnswers) {
        const started = await start(t);
        await t.phone.approve(started, t.userId);
        await t.inject({ kind: 'malformed', name: malformed });
        expectFailedClosed(t, await check(t, started).catch((error: unknown) => error));
      }
    });

    test.each([400, 401, 429, 500, 503])(
      'HTTP %i on check follows the retry rule (5xx and 429 retryable)',
      async (status) => {
        const t = await target();
        const started = await start(t);
        await t.inject({ kind: 'status', status });
        const error = await failure(check(t, started));
        expect(error.retryable).toBe(retryableHttpStatus(status));
        noSecrets(t, `${error.message} ${JSON.stringify(error.details)}`);
      },
    );

    test.each(['empty', 'truncate'] as const)(
      'a 200 that is %s is a retryable transport fault; the challenge is kept',
      async (kind) => {
        const t = await target();
        const started = await start(t);
        await t.inject({ kind });
        const error = await failure(check(t, started));
        expect(error.retryable).toBe(true);
        expect(['pending', 'fetched']).toContain((await check(t, started)).state);
      },
    );

    test('an approval about another request than the one started fails closed', async () => {
      const t = await target();
      if (t.inexpressible?.request !== undefined) {
        // Nothing in the answer names the request: approving another challenge must not leak.
        const mine = await start(t);
        const other = await start(t);
        await t.phone.approve(other, t.userId);
        expectNoApproval(await check(t, mine).catch((error: unknown) => error));
        return;
      }
      const started = await start(t);
      await t.phone.approve(started, t.userId);
      await t.inject({ kind: 'foreign', about: 'request' });
      expectFailedClosed(t, await check(t, started).catch((error: unknown) => error));
    });

    test('an approval naming another user than the start confirmed fails closed', async () => {
      const t = await target();
      const started = await start(t);
      await t.phone.approve(started, t.userId);
      if (t.inexpressible?.user !== undefined) {
        // Nothing in the answer names the user: the approval must name the one the start was for.
        const status = await check(t, started);
        expect(status.state).toBe('approved');
        const { subject } = status as Extract<ChallengeStatus, { state: 'approved' }>;
        expect(subject.toLowerCase()).toBe(t.userId.toLowerCase());
        return;
      }
      await t.inject({ kind: 'foreign', about: 'user' });
      const outcome = await check(t, started).catch((error: unknown) => error);
      if (
        t.provider.subjectRule !== 'provider' &&
        (outcome as ChallengeStatus | undefined)?.state === 'approved'
      ) {
        // Under 'must-match' and 'match-if-typed' the login core compares the subject with the typed
        // ID and refuses another user: the provider may leave that check to it.
        const { subject } = outcome as Extract<ChallengeStatus, { state: 'approved' }>;
        expect(sameUser(t.provider, subject, t.userId)).toBe(false);
        return;
      }
      expectFailedClosed(t, outcome);
    });

    test('a reset connection is retryable', async () => {
      const t = await target();
      const started = await start(t);
      await t.inject({ kind: 'reset' });
      expect((await failure(check(t, started))).retryable).toBe(true);
    });

    test('an aborted signal ends a hanging call with a retryable PushError', async () => {
      const t = await target();
      const started = await start(t);
      await t.inject({ kind: 'hang' });
      const controller = new AbortController();
      const call = t.provider.check(started.handle, controller.signal);
      controller.abort();
      const error = await failure(call);
      expect(error.retryable).toBe(true);
    });

    test('errors at start use the closed vocabulary and name no secret', async () => {
      const t = await target();
      await t.inject({ kind: 'status', status: 500 });
      const error = await failure(start(t));
      expect(error.retryable).toBe(true);
      noSecrets(t, `${error.message} ${JSON.stringify(error.details)}`);
    });
  });
}

/** Whether `subject` is the user `typed` names, by the provider's subject rule (as the login core compares). */
function sameUser(provider: PushProvider, subject: string, typed: string): boolean {
  if (provider.subjectRule === 'must-match') return subject.toLowerCase() === typed.toLowerCase();
  const canonical = (id: string) => (provider.canonicalUserId ? provider.canonicalUserId(id) : id);
  return canonical(subject) === canonical(typed);
}

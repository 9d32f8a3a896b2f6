/**
 * providerConformance(name, factory): the Jest suite every provider passes. It checks the provider
 * contract (lib/providers/provider.ts) against a provider wired to its simulator or a fake: start,
 * check and cancel semantics, approval only on an explicit approval that names a subject, fail-closed
 * handling of malformed answers, no configuration secret in handles or error messages, abort signals
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

/** A fault the target makes the provider meet on its next call (start or check) only. */
export type ConformanceFault =
  /** The provider's server answers with this HTTP status (the suite tries 400, 401, 429, 500, 503). */
  | { kind: 'status'; status: number }
  /** The connection is reset without an answer. */
  | { kind: 'reset' }
  /** The server never answers (the suite aborts the call's signal). */
  | { kind: 'hang' }
  /** A well-framed answer with a malformed body: one of the target's `malformedAnswers`. */
  | { kind: 'malformed'; name: string };

/** What the "phone" does with the challenge a start produced. */
export interface ConformancePhone<Handle extends ChallengeHandle = ChallengeHandle> {
  approve(started: StartedChallenge<Handle>, userId: string): Promise<void>;
  deny(started: StartedChallenge<Handle>, userId: string): Promise<void>;
  /** The challenge times out at the provider. */
  expire(started: StartedChallenge<Handle>, userId: string): Promise<void>;
}

/** One provider, wired to a simulator or a fake, with the means to drive it. Made fresh per test. */
export interface ConformanceTarget<Handle extends ChallengeHandle = ChallengeHandle> {
  readonly provider: PushProvider<Handle>;
  /** A user ID the simulator knows, with a phone to push to. */
  readonly userId: string;
  readonly phone: ConformancePhone<Handle>;
  /** Arms a fault for the provider's next call. */
  inject(fault: ConformanceFault): void | Promise<void>;
  /** Names of malformed answers `inject({ kind: 'malformed', name })` knows (at least one). */
  readonly malformedAnswers: readonly string[];
  /** Configuration secrets (API keys, client secrets, private key material) the provider was given. */
  readonly secrets: readonly string[];
  /** Releases the simulator. */
  close?(): Promise<void>;
}

/** Builds a fresh target for each test. */
export type ConformanceFactory<Handle extends ChallengeHandle = ChallengeHandle> = () => Promise<
  ConformanceTarget<Handle>
>;

/** The end user's IP every start of the suite passes (TEST-NET-1, RFC 5737: never a real client). */
export const CONFORMANCE_CLIENT_IP = '192.0.2.10';

/** Largest handle, as JSON, a provider may return: it lives in the session store. */
export const MAX_CONFORMING_HANDLE_BYTES = 4096;

interface JestGlobals {
  describe: typeof Describe;
  test: typeof Test;
  expect: typeof Expect;
  afterEach: typeof AfterEach;
}

/** Declares the conformance suite for one provider (see `ConformanceTarget` for what the factory gives). */
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

  describe(`${name} conforms to the provider contract`, () => {
    test('declares its name, display name, user ID need and subject rule', async () => {
      const t = await target();
      expect(typeof t.provider.name).toBe('string');
      expect(t.provider.name.length).toBeGreaterThan(0);
      expect(typeof t.provider.displayName).toBe('string');
      expect(['required', 'optional']).toContain(t.provider.userId);
      expect(['must-match', 'provider']).toContain(t.provider.subjectRule);
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
      if (t.provider.subjectRule === 'must-match') expect(subject.toLowerCase()).toBe(t.userId.toLowerCase());
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
      const status = await check(t, started).catch((error: unknown) => error);
      if (status instanceof Error) expect(status).toBeInstanceOf(PushError);
      else expect((status as ChallengeStatus).state).not.toBe('approved');
    });

    test('every malformed answer fails closed: a final PushError or a terminal state, never approval', async () => {
      const t = await target();
      expect(t.malformedAnswers.length).toBeGreaterThan(0);
      for (const malformed of t.malformedAnswers) {
        const started = await start(t);
        await t.phone.approve(started, t.userId);
        await t.inject({ kind: 'malformed', name: malformed });
        const outcome = await check(t, started).catch((error: unknown) => error);
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

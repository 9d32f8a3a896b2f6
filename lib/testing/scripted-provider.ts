/**
 * An in-memory provider whose answers a test scripts: for the strategy's own tests and for apps
 * that want to test their login wiring without any simulator.
 */
import { PushError } from '../errors';
import type {
  ChallengeHandle,
  ChallengeState,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
} from '../providers/provider';

interface ScriptedChallenge {
  id: string;
  request: StartRequest;
  status: ChallengeStatus;
  cancelled: boolean;
}

export interface ScriptedProviderOptions {
  name?: string;
  /** Returned by start() as the provider's own expiry. */
  expiresInMs?: number;
  pollIntervalMs?: number;
  now?: () => number;
}

export class ScriptedProvider implements PushProvider {
  readonly name: string;
  readonly calls = { start: 0, check: 0, cancel: 0 };
  readonly challenges: ScriptedChallenge[] = [];
  /** Errors the next start()/check() calls throw, in order. */
  readonly startErrors: Error[] = [];
  readonly checkErrors: Error[] = [];
  /** When set, check() waits for it (to hold calls in flight). */
  checkGate: Promise<void> | undefined;
  private readonly options: ScriptedProviderOptions;

  constructor(options: ScriptedProviderOptions = {}) {
    this.name = options.name ?? 'scripted';
    this.options = options;
  }

  async start(request: StartRequest): Promise<StartedChallenge> {
    this.calls.start += 1;
    const error = this.startErrors.shift();
    if (error) throw error;
    const id = `c${this.challenges.length + 1}`;
    this.challenges.push({ id, request, status: { state: 'pending' }, cancelled: false });
    const now = (this.options.now ?? Date.now)();
    return {
      handle: { id },
      display: { bindingMessage: `CODE-${id}` },
      ...(this.options.expiresInMs !== undefined ? { expiresAt: now + this.options.expiresInMs } : {}),
      ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
    };
  }

  async check(handle: ChallengeHandle): Promise<ChallengeStatus> {
    this.calls.check += 1;
    if (this.checkGate) await this.checkGate;
    const error = this.checkErrors.shift();
    if (error) throw error;
    return { ...this.find(handle).status };
  }

  async cancel(handle: ChallengeHandle): Promise<void> {
    this.calls.cancel += 1;
    const challenge = this.find(handle);
    challenge.cancelled = true;
    challenge.status = { state: 'cancelled' };
  }

  /** The newest challenge (what "the phone" sees). */
  get latest(): ScriptedChallenge {
    const latest = this.challenges.at(-1);
    if (!latest) throw new Error('No challenge was started.');
    return latest;
  }

  /** Sets what the next check of the newest challenge answers. */
  answer(state: ChallengeState, extra: Omit<ChallengeStatus, 'state'> = {}): void {
    const subject = state === 'approved' ? { subject: this.latest.request.userId } : {};
    this.latest.status = { state, ...subject, ...extra };
  }

  private find(handle: ChallengeHandle): ScriptedChallenge {
    const challenge = this.challenges.find((c) => c.id === handle.id);
    if (!challenge) throw new PushError('protocol', 'Unknown challenge handle.');
    return challenge;
  }
}

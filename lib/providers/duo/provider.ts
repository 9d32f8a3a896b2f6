/**
 * Duo (Auth API v2) as a PushProvider: preauth, then an asynchronous Duo Push, then `auth_status`
 * checks. Fails closed: only `result: "allow"` for the pushed transaction is `approved`.
 */
import { isIP } from 'node:net';
import { PushError } from '../../errors';
import type { ActionCapability } from '../action';
import type { ChallengeStatus, PushProvider, StartRequest, StartedChallenge } from '../provider';
import { actionPush, actionPushInfo, encodePairs } from './action';
import { TXID_PATTERN, cleanText } from './answers';
import { DuoClient } from './client';
import { resolveDuoOptions, type DuoProviderOptions, type ResolvedDuoOptions } from './options';
import { checkPreauth, toChallengeStatus } from './states';
import { actionWording, instructionOf } from '../texts';
import { duoTexts } from './texts';

/**
 * What the session keeps: the username the push went to and Duo's transaction id (`null` when
 * preauth answered `allow` and the app accepts bypass). No key material.
 */
export type DuoHandle = {
  /** The Duo username the push went to. */
  readonly username: string;
  /** Duo's transaction id, or `null` when preauth allowed the user without a push. */
  readonly txid: string | null;
  /** For an action's push: the intent hash its approval proves. */
  readonly intentHash?: string;
};

const INTENT_HASH = /^[0-9a-f]{64}$/;

const INSTRUCTION = instructionOf(duoTexts, 'duo.instruction');

/**
 * Logs in with Duo Push through the Duo Auth API v2.
 *
 * There is no `cancel`: the Auth API cannot withdraw a push once sent; it times out on the phone.
 *
 * @example
 * ```ts
 * import { DuoProvider } from 'passport-push';
 *
 * const provider = new DuoProvider({
 *   integrationKey: process.env.DUO_IKEY!,
 *   secretKey: process.env.DUO_SKEY!,
 *   apiHost: 'api-xxxxxxxx.duosecurity.com',
 * });
 * ```
 */
export class DuoProvider implements PushProvider<DuoHandle> {
  readonly name = 'duo';
  readonly displayName = 'Duo';
  /** What this provider tells the user, in English, German and Swedish. */
  readonly texts = duoTexts;
  readonly userId = 'required';
  /** Duo confirms the username it was given. */
  readonly subjectRule = 'must-match';
  /**
   * Duo Mobile shows the action as text (the push title and `pushinfo`); the proof is Duo's
   * `allow` for the push's `txid`: Duo's word, not the user's signature over the details.
   */
  readonly actions: ActionCapability = { shows: 'text', proves: 'provider-yes' };
  private readonly options: ResolvedDuoOptions;

  /** Duo usernames are case-insensitive: `Alice` and ` alice ` are one user. */
  canonicalUserId(typed: string): string {
    const username = typed.trim().toLowerCase();
    if (username === '') throw new PushError('input', 'Duo needs a username.', { code: 'missing_user_id' });
    return username;
  }
  private readonly client: DuoClient;

  constructor(options: DuoProviderOptions) {
    this.options = resolveDuoOptions(options);
    this.client = new DuoClient({
      apiHost: this.options.host,
      protocol: this.options.protocol,
      integrationKey: this.options.integrationKey,
      secretKey: this.options.secretKey,
      maxResponseBytes: this.options.maxResponseBytes,
      now: this.options.now,
    });
  }

  /** Preauth (fails fast for deny, enroll, bypass and users without a push device), then the push. */
  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge<DuoHandle>> {
    const username = request.userId;
    if (username === undefined || username === '') {
      throw new PushError('input', 'Duo needs a username.', { code: 'missing_user_id' });
    }
    const ipaddr =
      request.clientIp !== undefined && isIP(request.clientIp) !== 0 ? request.clientIp : undefined;
    const { timeoutMs, acceptBypass, pushType } = this.options;
    const { action } = request;
    // Checked before Duo is called: an action that cannot be shown whole is never pushed.
    const push = action ? actionPush(action) : undefined;
    const pushinfo = push ? actionPushInfo(servicePairs(request), push) : pushInfo(request);
    const preauth = await this.client.preauth(username, ipaddr, timeoutMs, signal);
    const display = { ...INSTRUCTION };
    // A bypass sends no push: nobody saw the action, so it never approves one.
    if (checkPreauth(preauth, acceptBypass && !action) === 'bypass') {
      return { handle: { username, txid: null }, display: {} };
    }
    // An action's push is titled with the action, never with the login title (OWASP TA 1.4).
    const type = push?.type ?? pushType;
    const { txid } = await this.client.pushAuth(
      {
        username,
        ...(push ? { displayUsername: username } : {}),
        ...(ipaddr !== undefined ? { ipaddr } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(pushinfo !== undefined ? { pushinfo } : {}),
      },
      timeoutMs,
      signal,
    );
    return { handle: { username, txid, ...(action ? { intentHash: action.hash } : {}) }, display };
  }

  /**
   * One `auth_status`. Duo may hold it until the status changes; when `statusWaitMs` elapses first
   * the push is still out, so the answer is `pending` (the caller's own abort stays an error).
   */
  async check(handle: DuoHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const { username, txid, intentHash } = validHandle(handle);
    if (txid === null) {
      if (intentHash !== undefined) return { state: 'invalid', reason: 'bypass_refused' };
      // A bypass handle approves only while the app still accepts bypass.
      return this.options.acceptBypass
        ? { state: 'approved', subject: username }
        : { state: 'invalid', reason: 'bypass_refused' };
    }
    try {
      const answer = await this.client.authStatus(txid, this.options.statusWaitMs, signal);
      const status = toChallengeStatus(answer, username);
      if (intentHash === undefined) return status;
      if (status.state !== 'approved') return forAction(status);
      // Duo's allow names no user and no details: the proof is that Duo allowed this txid, which
      // was pushed for this user with this intent's details.
      const proof = { txid, result: answer.result, status: answer.status };
      return { ...status, action: { intentHash, proof } };
    } catch (error) {
      if (error instanceof PushError && error.code === 'timeout' && !signal.aborted) {
        return { state: 'pending' };
      }
      throw error;
    }
  }
}

/** An action's push is no login: Duo's words about a login become words about approving. */
function forAction(status: ChallengeStatus): ChallengeStatus {
  if (status.state === 'approved' || status.message === undefined) return status;
  return { ...status, message: actionWording(duoTexts, status.message, 'duo.status.', 'duo.action.') };
}

/** `pushinfo`: what the phone shows under the push, as URL-encoded `key=value` pairs. */
export function pushInfo(request: StartRequest): string | undefined {
  const pairs = servicePairs(request, request.message);
  return pairs.length === 0 ? undefined : encodePairs(pairs);
}

/** Who asks (service name and address) and the login message, when given. */
function servicePairs(request: StartRequest, message?: string): [string, string][] {
  const fields: [string, string | undefined][] = [
    ['Service', request.serviceName],
    ['Address', request.serviceAddress],
    ['Message', message],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined && field[1].trim() !== '')
    .map(([key, value]) => [key, cleanText(value.trim())]);
}

function validHandle(handle: DuoHandle): DuoHandle {
  const ok =
    typeof handle === 'object' &&
    handle !== null &&
    typeof handle.username === 'string' &&
    handle.username !== '' &&
    (handle.txid === null || (typeof handle.txid === 'string' && TXID_PATTERN.test(handle.txid))) &&
    (handle.intentHash === undefined ||
      (typeof handle.intentHash === 'string' && INTENT_HASH.test(handle.intentHash)));
  if (!ok)
    throw new PushError('state', 'The Duo challenge in the session is malformed.', {
      code: 'invalid_challenge',
    });
  return handle;
}

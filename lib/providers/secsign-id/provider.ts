/**
 * SecSign ID (classic HTTP API) as a PushProvider: start an auth session, show its access pass,
 * poll its state. Fails closed: only a well-formed state 3 naming its session and the ID the start
 * confirmed is `approved`.
 */
import { PushError } from '../../errors';
import type { ActionCapability } from '../action';
import type {
  ChallengeHandle,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
  SubjectRule,
} from '../provider';
import { booleanOption, configError, integerOption, requireOptionsObject, serverUrlOption } from '../options';
import { pngDataUrl } from '../png';
import { actionLine } from './action';
import { SecSignIdClient } from './client';
import {
  AUTH_SESSION_ID_PATTERN,
  REQUEST_ID_PATTERN,
  SECSIGN_ID_PATTERN,
  isAuthSessionId,
  type SessionRef,
} from './codec';
import { lookupState } from './states';
import { actionWording, instructionOf } from '../texts';
import { secSignIdTexts } from './texts';

export const SECSIGN_DEFAULT_ENDPOINT = 'https://httpapi.secsign.com';
export const SECSIGN_DEFAULT_FALLBACK_ENDPOINT = 'https://httpapi2.secsign.com';

/**
 * Options of `SecSignIdProvider`: the service shown on the phone, the endpoints, timeouts.
 *
 * @example
 * ```ts
 * import { SecSignIdProvider, type SecSignIdProviderOptions } from 'passport-push';
 *
 * const options: SecSignIdProviderOptions = {
 *   serviceName: 'Example Shop',
 *   serviceAddress: 'https://shop.example',
 *   endpoint: 'https://secsign.intranet.example',
 * };
 * new SecSignIdProvider(options);
 * ```
 */
export interface SecSignIdProviderOptions {
  /** The SecSign ID server. Default `https://httpapi.secsign.com` (SecSign's cloud). */
  endpoint?: string;
  /**
   * Tried once when `endpoint` cannot be reached (connection refused or timeout); `null` disables it.
   * Default `https://httpapi2.secsign.com` when `endpoint` is the default, otherwise `null`, so an
   * on-premise setup never sends IDs to SecSign's cloud by accident.
   */
  fallbackEndpoint?: string | null;
  /** Shown on the phone: who asks (`servicename`). Required; at most 255 characters. */
  serviceName: string;
  /** Shown at the top of the app: where the login happens, e.g. your site's URL (`serviceaddress`). Required. */
  serviceAddress: string;
  /** Optional free text sent as `pluginname` (e.g. `my-app`). */
  pluginName?: string;
  /**
   * Whether the phone asks the user to pick the access pass. Default `true`; the `showaccesspass`
   * parameter is only sent when you set this option. With `false` a start without an icon shows
   * "Confirm the login on your phone." instead.
   */
  showAccessPass?: boolean;
  /**
   * Per-request timeout in ms (each endpoint attempt). Default 9000: a primary that times out and
   * the fallback attempt together fit in the strategy's default `providerTimeoutMs` (20 s).
   */
  timeoutMs?: number;
  /**
   * Send `ReqReleaseAuthSession` after an approval, as the seed guide's step 5 asks. Best effort:
   * never awaited by the login, and an `error=` answer (current cloud servers) is ignored. Default true.
   */
  releaseAfterApproval?: boolean;
  /** The `apimethod` value identifying the client library. Default `SecSignIDApi_Node.js`. */
  apiMethod?: string;
  /** Allow `http:` endpoints. Only for local simulators and test servers. */
  allowInsecureHttp?: boolean;
  /** Larger answers are refused. Default 256 KiB. */
  maxResponseBytes?: number;
  /** How often the app should ask for the state, in ms. Default 3000. */
  pollIntervalMs?: number;
}

/**
 * The session handle: exactly the three values the server needs to find the auth session.
 */
export type SecSignIdHandle = SessionRef & ChallengeHandle;

const MAX_TEXT = 255;
const WHO = 'SecSignIdProvider';
/** Default per-attempt timeout: two attempts (primary, fallback) fit in 20 s. */
export const SECSIGN_DEFAULT_TIMEOUT_MS = 9_000;
const NO_PASS_INSTRUCTION = instructionOf(secSignIdTexts, 'secsign.instruction');
const NO_PASS_ACTION_INSTRUCTION = instructionOf(secSignIdTexts, 'secsign.action.instruction');

/**
 * SecSign ID (classic HTTP API) as a PushProvider; the server's canonical ID is the subject.
 *
 * @example
 * ```ts
 * import { SecSignIdProvider } from 'passport-push';
 *
 * const provider = new SecSignIdProvider({
 *   serviceName: 'Example Shop',
 *   serviceAddress: 'https://shop.example',
 * });
 * ```
 */
export class SecSignIdProvider implements PushProvider {
  readonly name = 'secsign-id';
  readonly displayName = 'SecSign ID';
  /** What this provider tells the user, in English, German and Swedish. */
  readonly texts = secSignIdTexts;
  readonly userId = 'required';
  /** The server's canonical `secsignid` from the start may differ from the typed one: it wins. */
  readonly subjectRule: SubjectRule = 'provider';
  /**
   * The classic API shows one line of text (`servicename`) beside the access pass; the proof is
   * the server's state 3 for the session: its word, not the user's signature over the text.
   */
  readonly actions: ActionCapability = { shows: 'text', proves: 'provider-yes' };
  private readonly client: SecSignIdClient;

  /** What every SecSign client sends: trimmed and lower-cased (see `normaliseSecSignId`). */
  canonicalUserId(typed: string): string {
    return normaliseSecSignId(typed);
  }
  private readonly serviceName: string;
  private readonly serviceAddress: string;
  private readonly pluginName: string | undefined;
  private readonly showAccessPass: boolean | undefined;
  private readonly pollIntervalMs: number;
  private readonly releaseAfterApproval: boolean;

  constructor(options: SecSignIdProviderOptions) {
    requireOptionsObject(WHO, options);
    this.serviceName = configText(options.serviceName, 'serviceName', true) as string;
    this.serviceAddress = configText(options.serviceAddress, 'serviceAddress', true) as string;
    this.pluginName = configText(options.pluginName, 'pluginName', false);
    booleanOption(WHO, 'showAccessPass', options.showAccessPass, true);
    this.showAccessPass = options.showAccessPass;
    const insecure = booleanOption(WHO, 'allowInsecureHttp', options.allowInsecureHttp, false);
    this.releaseAfterApproval = booleanOption(
      WHO,
      'releaseAfterApproval',
      options.releaseAfterApproval,
      true,
    );
    this.pollIntervalMs = integerOption(WHO, 'pollIntervalMs', options.pollIntervalMs, 3000, 100, 60_000);
    const apiMethod = options.apiMethod ?? 'SecSignIDApi_Node.js';
    if (typeof apiMethod !== 'string' || !/^[\w.-]{1,64}$/.test(apiMethod)) {
      throw configError(
        WHO,
        'apiMethod must be 1–64 letters, digits, "_", "." or "-" (e.g. SecSignIDApi_Node.js).',
      );
    }
    const endpoint = serverUrlOption(WHO, 'endpoint', options.endpoint ?? SECSIGN_DEFAULT_ENDPOINT, insecure);
    const fallbackDefault = options.endpoint === undefined ? SECSIGN_DEFAULT_FALLBACK_ENDPOINT : null;
    const fallbackOption =
      options.fallbackEndpoint === undefined ? fallbackDefault : options.fallbackEndpoint;
    const fallbackEndpoint =
      fallbackOption === null ? null : serverUrlOption(WHO, 'fallbackEndpoint', fallbackOption, insecure);
    this.client = new SecSignIdClient({
      endpoint: endpoint.href,
      fallbackEndpoint: fallbackEndpoint?.href ?? null,
      apiMethod,
      timeoutMs: integerOption(WHO, 'timeoutMs', options.timeoutMs, SECSIGN_DEFAULT_TIMEOUT_MS, 1, 120_000),
      maxResponseBytes: integerOption(
        WHO,
        'maxResponseBytes',
        options.maxResponseBytes,
        256 * 1024,
        1024,
        16 << 20,
      ),
    });
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const { action } = request;
    // An action is the text the phone shows where it would name the service.
    const line = action ? actionLine(action) : undefined;
    const created = await this.client.requestAuthSession(
      {
        secsignid: normaliseSecSignId(request.userId),
        serviceName: line ?? requestText(request.serviceName, 'serviceName') ?? this.serviceName,
        serviceAddress: requestText(request.serviceAddress, 'serviceAddress') ?? this.serviceAddress,
        pluginName: this.pluginName,
        showAccessPass: this.showAccessPass,
      },
      signal,
    );
    if (line !== undefined && created.serviceName !== line) {
      throw new PushError('protocol', 'The SecSign ID server did not take the action text to show.', {
        code: 'intent_mismatch',
      });
    }
    if (created.authsessionstate !== '1') {
      throw new PushError('protocol', 'The SecSign ID server started a session that is not pending.', {
        code: 'invalid_response',
      });
    }
    // A pass the server sent is always shown: the phone will ask for it whatever we requested.
    const accessPass = created.iconData === undefined ? undefined : toAccessPass(created.iconData);
    if (accessPass === undefined && this.showAccessPass !== false) {
      throw new PushError('protocol', 'The SecSign ID answer lacks the access pass.', {
        code: 'invalid_response',
      });
    }
    const handle: SecSignIdHandle = {
      secsignid: created.secsignid,
      authsessionid: created.authsessionid,
      requestid: created.requestid,
      ...(action ? { intentHash: action.hash } : {}),
    };
    return {
      handle,
      display:
        accessPass !== undefined
          ? { accessPass }
          : { ...(action ? NO_PASS_ACTION_INSTRUCTION : NO_PASS_INSTRUCTION) },
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const session = readHandle(handle);
    const answer = await this.client.getAuthSessionState(session, signal);
    // An answer about another session is never ours to act on, whatever it says.
    if (answer.authsessionid !== undefined && answer.authsessionid !== session.authsessionid) {
      throw new PushError('protocol', 'The SecSign ID server answered for another auth session.', {
        code: 'transaction_mismatch',
      });
    }
    const entry = lookupState(answer.authsessionstate);
    if (entry.state !== 'approved') {
      if (entry.message === undefined) return { state: entry.state };
      // An action's request is no login: its words speak of the request.
      const message =
        handle['intentHash'] === undefined
          ? entry.message
          : actionWording(secSignIdTexts, entry.message, 'secsign.', 'secsign.action.');
      return { state: entry.state, message };
    }
    if (answer.secsignid === undefined) {
      throw new PushError('protocol', 'The SecSign ID server confirmed a login without naming the ID.', {
        code: 'invalid_response',
      });
    }
    // An approval is bound to its start: it names this session and the ID the start confirmed
    // (already canonical: the server resolved aliases when the session was created).
    if (answer.secsignid.toLowerCase() !== session.secsignid.toLowerCase()) {
      throw new PushError(
        'protocol',
        'The SecSign ID server confirmed another SecSign ID than the one this login was started for.',
        { code: 'subject_mismatch' },
      );
    }
    if (answer.authsessionid === undefined) {
      throw new PushError('protocol', 'The SecSign ID server confirmed a login without naming its session.', {
        code: 'transaction_mismatch',
      });
    }
    if (this.releaseAfterApproval) this.release(session);
    const intentHash = readIntentHash(handle);
    if (intentHash === undefined) return { state: 'approved', subject: session.secsignid };
    // The server's word for this session, which showed this intent's line: no secret in it.
    const proof = {
      authsessionid: session.authsessionid,
      secsignid: session.secsignid,
      authsessionstate: answer.authsessionstate ?? '',
    };
    return { state: 'approved', subject: session.secsignid, action: { intentHash, proof } };
  }

  async cancel(handle: ChallengeHandle, signal: AbortSignal): Promise<void> {
    await this.client.cancelAuthSession(readHandle(handle), signal);
  }

  /** Fire and forget: the login neither waits for nor fails with the release. */
  private release(session: SessionRef): void {
    this.client.releaseAuthSession(session).catch(() => {
      // Servers that dropped ReqReleaseAuthSession answer error=; nothing to do about it.
    });
  }
}

/** SecSign IDs are case-insensitive: every SecSign client lower-cases and trims them. */
export function normaliseSecSignId(userId: string | undefined): string {
  const id = typeof userId === 'string' ? userId.trim().toLowerCase() : '';
  if (id === '') throw new PushError('input', 'Enter your SecSign ID.', { code: 'missing_user_id' });
  if (!SECSIGN_ID_PATTERN.test(id)) {
    throw new PushError(
      'input',
      'A SecSign ID has at most 255 characters: letters, digits and @ _ - . only.',
      { code: 'invalid_user_id' },
    );
  }
  return id;
}

/** The handle comes back from a session store: check it before it goes on the wire. */
function readHandle(handle: ChallengeHandle): SessionRef {
  const { secsignid, authsessionid, requestid } = handle;
  if (
    typeof secsignid !== 'string' ||
    typeof authsessionid !== 'string' ||
    typeof requestid !== 'string' ||
    !SECSIGN_ID_PATTERN.test(secsignid) ||
    !AUTH_SESSION_ID_PATTERN.test(authsessionid) ||
    !isAuthSessionId(authsessionid) ||
    !REQUEST_ID_PATTERN.test(requestid)
  ) {
    throw new PushError('state', 'The session holds no usable SecSign ID challenge.', {
      code: 'invalid_challenge',
    });
  }
  return { secsignid, authsessionid, requestid };
}

/** An action's handle names the intent hash its session showed; a malformed one is refused. */
function readIntentHash(handle: ChallengeHandle): string | undefined {
  const { intentHash } = handle;
  if (intentHash === undefined) return undefined;
  if (typeof intentHash === 'string' && /^[0-9a-f]{64}$/.test(intentHash)) return intentHash;
  throw new PushError('state', 'The session holds no usable SecSign ID challenge.', {
    code: 'invalid_challenge',
  });
}

/** The icon must be a real PNG: it ends up in an <img> on our page. */
export function toAccessPass(iconData: string): string {
  const png = pngDataUrl(iconData);
  if (png.ok && !iconData.startsWith('data:')) return png.dataUrl;
  const why = png.ok ? 'a data URL, not bare base64' : png.why;
  throw new PushError('protocol', `The SecSign ID access pass is not a PNG image (${why}).`, {
    code: 'invalid_response',
  });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The server echoes these values raw in its `key=value&…` answer, so `&` would split that answer
 * (and could forge a field); control characters and broken Unicode have no business on a phone screen.
 */
function textProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty';
  if (value.length > MAX_TEXT) return `must have at most ${MAX_TEXT} characters`;
  if (value.includes('&')) return 'must not contain "&"';
  if (CONTROL.test(value) || LONE_SURROGATE.test(value)) return 'must not contain control characters';
  return undefined;
}

function configText(value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') {
    throw configError(WHO, `${name} is required and must be a string.`);
  }
  const problem = textProblem(value);
  if (problem) throw configError(WHO, `${name} ${problem}.`);
  return value.trim();
}

function requestText(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = typeof value === 'string' ? textProblem(value) : 'must be a string';
  if (problem)
    throw new PushError('input', `The ${name} for SecSign ID ${problem}.`, { code: 'invalid_body' });
  return value.trim();
}

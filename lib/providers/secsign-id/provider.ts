/**
 * SecSign ID (classic HTTP API) as a PushProvider: start an auth session, show its access pass,
 * poll its state. Fails closed: only a well-formed state 3 naming the confirmed ID is `approved`.
 */
import { PushError } from '../../errors';
import type {
  ChallengeHandle,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
} from '../provider';
import { requireHttps } from '../http';
import { SecSignIdClient } from './client';
import {
  AUTH_SESSION_ID_PATTERN,
  REQUEST_ID_PATTERN,
  SECSIGN_ID_PATTERN,
  isAuthSessionId,
  isBase64,
  type SessionRef,
} from './codec';
import { lookupState } from './states';

export const SECSIGN_DEFAULT_ENDPOINT = 'https://httpapi.secsign.com';
export const SECSIGN_DEFAULT_FALLBACK_ENDPOINT = 'https://httpapi2.secsign.com';

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
  /** Per-request timeout in ms (each endpoint attempt). Default 15000, as SecSign's own clients. */
  timeoutMs?: number;
  /** The `apimethod` value identifying the client library. Default `SecSignIDApi_Node.js`. */
  apiMethod?: string;
  /** Allow `http:` endpoints. Only for local simulators and test servers. */
  allowInsecureHttp?: boolean;
  /** Larger answers are refused. Default 256 KiB. */
  maxResponseBytes?: number;
  /** How often the app should ask for the state, in ms. Default 3000. */
  pollIntervalMs?: number;
}

/** The session handle: exactly the three values the server needs to find the auth session. */
export type SecSignIdHandle = SessionRef & ChallengeHandle;

const MAX_TEXT = 255;
const NO_PASS_INSTRUCTION = 'Confirm the login on your phone.';

export class SecSignIdProvider implements PushProvider {
  readonly name = 'secsign-id';
  private readonly client: SecSignIdClient;
  private readonly serviceName: string;
  private readonly serviceAddress: string;
  private readonly pluginName: string | undefined;
  private readonly showAccessPass: boolean | undefined;
  private readonly pollIntervalMs: number;

  constructor(options: SecSignIdProviderOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new PushError('config', 'SecSignIdProvider needs an options object.');
    }
    this.serviceName = configText(options.serviceName, 'serviceName', true) as string;
    this.serviceAddress = configText(options.serviceAddress, 'serviceAddress', true) as string;
    this.pluginName = configText(options.pluginName, 'pluginName', false);
    if (options.showAccessPass !== undefined && typeof options.showAccessPass !== 'boolean') {
      throw new PushError('config', 'SecSignIdProvider: showAccessPass must be true or false.');
    }
    if (options.allowInsecureHttp !== undefined && typeof options.allowInsecureHttp !== 'boolean') {
      throw new PushError('config', 'SecSignIdProvider: allowInsecureHttp must be true or false.');
    }
    this.showAccessPass = options.showAccessPass;
    this.pollIntervalMs = configInt(options.pollIntervalMs, 'pollIntervalMs', 3000, 100, 60_000);
    const apiMethod = options.apiMethod ?? 'SecSignIDApi_Node.js';
    if (typeof apiMethod !== 'string' || !/^[\w.-]{1,64}$/.test(apiMethod)) {
      throw new PushError(
        'config',
        'SecSignIdProvider: apiMethod must be 1–64 letters, digits, "_", "." or "-" (e.g. SecSignIDApi_Node.js).',
      );
    }
    const endpoint = configUrl(options.endpoint ?? SECSIGN_DEFAULT_ENDPOINT, options, 'endpoint');
    const fallbackDefault = options.endpoint === undefined ? SECSIGN_DEFAULT_FALLBACK_ENDPOINT : null;
    const fallbackOption =
      options.fallbackEndpoint === undefined ? fallbackDefault : options.fallbackEndpoint;
    const fallbackEndpoint =
      fallbackOption === null ? null : configUrl(fallbackOption, options, 'fallbackEndpoint');
    this.client = new SecSignIdClient({
      endpoint,
      fallbackEndpoint,
      apiMethod,
      timeoutMs: configInt(options.timeoutMs, 'timeoutMs', 15_000, 1, 120_000),
      maxResponseBytes: configInt(options.maxResponseBytes, 'maxResponseBytes', 256 * 1024, 1024, 16 << 20),
    });
  }

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge> {
    const created = await this.client.requestAuthSession(
      {
        secsignid: normaliseSecSignId(request.userId),
        serviceName: requestText(request.serviceName, 'serviceName') ?? this.serviceName,
        serviceAddress: requestText(request.serviceAddress, 'serviceAddress') ?? this.serviceAddress,
        pluginName: this.pluginName,
        showAccessPass: this.showAccessPass,
      },
      signal,
    );
    if (created.authsessionstate !== '1') {
      throw new PushError('protocol', 'The SecSign ID server started a session that is not pending.', {
        code: 'unexpected_state',
      });
    }
    // A pass the server sent is always shown: the phone will ask for it whatever we requested.
    const accessPass = created.iconData === undefined ? undefined : toAccessPass(created.iconData);
    if (accessPass === undefined && this.showAccessPass !== false) {
      throw new PushError('protocol', 'The SecSign ID answer lacks the access pass.', {
        code: 'missing_field',
      });
    }
    const handle: SecSignIdHandle = {
      secsignid: created.secsignid,
      authsessionid: created.authsessionid,
      requestid: created.requestid,
    };
    return {
      handle,
      display: accessPass === undefined ? { instruction: NO_PASS_INSTRUCTION } : { accessPass },
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  async check(handle: ChallengeHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const session = readHandle(handle);
    const answer = await this.client.getAuthSessionState(session, signal);
    if (answer.authsessionid !== undefined && answer.authsessionid !== session.authsessionid) {
      throw new PushError('protocol', 'The SecSign ID server answered for another auth session.', {
        code: 'session_mismatch',
      });
    }
    const entry = lookupState(answer.authsessionstate);
    if (entry.state !== 'approved') {
      return entry.detail === undefined
        ? { state: entry.state }
        : { state: entry.state, detail: entry.detail };
    }
    if (answer.secsignid === undefined) {
      throw new PushError('protocol', 'The SecSign ID server confirmed a login without naming the ID.', {
        code: 'missing_field',
      });
    }
    return { state: 'approved', subject: answer.secsignid };
  }

  async cancel(handle: ChallengeHandle, signal: AbortSignal): Promise<void> {
    await this.client.cancelAuthSession(readHandle(handle), signal);
  }
}

/** SecSign IDs are case-insensitive: every SecSign client lower-cases and trims them. */
export function normaliseSecSignId(userId: string): string {
  const id = typeof userId === 'string' ? userId.trim().toLowerCase() : '';
  if (id === '') throw new PushError('input', 'Enter your SecSign ID.', { code: 'empty_id' });
  if (!SECSIGN_ID_PATTERN.test(id)) {
    throw new PushError(
      'input',
      'A SecSign ID has at most 255 characters: letters, digits and @ _ - . only.',
      { code: 'invalid_id' },
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
    throw new PushError('state', 'The session holds no usable SecSign ID challenge.', { code: 'bad_handle' });
  }
  return { secsignid, authsessionid, requestid };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IEND_CHUNK = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** The icon must be a real PNG (signature, IHDR first, IEND last): it ends up in an <img> on our page. */
export function toAccessPass(iconData: string): string {
  const bad = (why: string): PushError =>
    new PushError('protocol', `The SecSign ID access pass is not a PNG image (${why}).`, {
      code: 'bad_icon',
    });
  if (!isBase64(iconData)) throw bad('not base64');
  const png = Buffer.from(iconData, 'base64');
  if (png.length < 8 + 25 + 12 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw bad('no PNG signature');
  if (png.readUInt32BE(8) !== 13 || png.toString('latin1', 12, 16) !== 'IHDR') throw bad('no IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width < 1 || height < 1 || width > 4096 || height > 4096) throw bad('implausible size');
  if (!png.subarray(png.length - 12).equals(IEND_CHUNK)) throw bad('truncated');
  return `data:image/png;base64,${iconData}`;
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
    throw new PushError('config', `SecSignIdProvider: ${name} is required and must be a string.`);
  }
  const problem = textProblem(value);
  if (problem) throw new PushError('config', `SecSignIdProvider: ${name} ${problem}.`);
  return value.trim();
}

function requestText(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = typeof value === 'string' ? textProblem(value) : 'must be a string';
  if (problem)
    throw new PushError('input', `The ${name} for SecSign ID ${problem}.`, { code: 'invalid_' + name });
  return value.trim();
}

function configInt(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new PushError('config', `SecSignIdProvider: ${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function configUrl(value: unknown, options: SecSignIdProviderOptions, name: string): string {
  if (typeof value !== 'string')
    throw new PushError('config', `SecSignIdProvider: ${name} must be a URL string.`);
  const url = requireHttps(value, options.allowInsecureHttp, `SecSignIdProvider: ${name}`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new PushError(
      'config',
      `SecSignIdProvider: ${name} must be a plain server URL without credentials, query or fragment.`,
    );
  }
  return url.href;
}

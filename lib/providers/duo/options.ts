/**
 * `DuoProvider`'s options and their validation: a wrong key or host is a `PushError('config')` at
 * construction, with a message that says what to fix, never a failed login later.
 */
import { PushError } from '../../errors';
import { requireHttps } from '../http';

/**
 * Options of `DuoProvider`: the Auth API keys and host, timeouts.
 *
 * @example
 * ```ts
 * import { DuoProvider, type DuoProviderOptions } from 'passport-push';
 *
 * const options: DuoProviderOptions = {
 *   integrationKey: 'DI…',
 *   secretKey: process.env.DUO_SKEY!,
 *   apiHost: 'api-xxxxxxxx.duosecurity.com',
 * };
 * new DuoProvider(options);
 * ```
 */
export interface DuoProviderOptions {
  /** The Auth API application's integration key (`DI` and 18 more letters or digits). */
  integrationKey: string;
  /** The application's secret key (40 letters or digits). Never logged, never put in a handle. */
  secretKey: string;
  /**
   * The application's API hostname, `api-xxxxxxxx.duosecurity.com` (https is implied), or a full
   * `https://` origin. `http://` only with `allowInsecureHttp` (local simulators).
   */
  apiHost: string;
  /** Allow an `http://` apiHost. Only for `DuoSimulator` and other local test servers. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * Accept Duo's preauth `allow` (the user may skip the second factor: bypass mode, or a policy that
   * lets unenrolled users in) as an immediate approval. Default false: such a login is refused
   * (`not_supported`), because a push login that never pushed proves nothing about the phone.
   */
  acceptBypass?: boolean;
  /** Title of the push on the phone (`type`, e.g. "Login request"). Default: Duo's own. */
  pushType?: string;
  /** Deadline of the preauth and auth calls. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * How long one `check` lets Duo hold `auth_status` open (Duo answers as soon as the status
   * changes). When it elapses without an answer, the check reports `pending` and the next check
   * asks again. Keep it below PushStrategy's `providerTimeoutMs` (default 20 000). Default 10 000 ms.
   */
  statusWaitMs?: number;
  /** Answers larger than this are refused. Default 256 KiB. */
  maxResponseBytes?: number;
  /** The clock that dates (and so signs) requests. Default: the system clock. */
  now?: () => Date;
}

/** Validated options, with defaults applied. */
export interface ResolvedDuoOptions {
  integrationKey: string;
  secretKey: string;
  /** `host[:port]`, lowercased: what is signed and what is called. */
  host: string;
  protocol: 'https:' | 'http:';
  acceptBypass: boolean;
  pushType: string | undefined;
  timeoutMs: number;
  statusWaitMs: number;
  maxResponseBytes: number | undefined;
  now: () => Date;
}

const INTEGRATION_KEY = /^DI[0-9A-Z]{18}$/;
const SECRET_KEY = /^[0-9A-Za-z]{40}$/;
// eslint-disable-next-line no-control-regex
const PUSH_TYPE = /^[^\u0000-\u001f\u007f]{1,100}$/;

function config(message: string): PushError {
  return new PushError('config', `DuoProvider: ${message}`, { code: 'invalid_option' });
}

function positive(value: number | undefined, fallback: number, name: string, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw config(`${name} must be a positive whole number of ${unit}.`);
  return value;
}

/** The API origin: a bare host means https; a URL must be an origin and nothing more. */
function apiOrigin(apiHost: unknown, allowInsecureHttp: boolean): URL {
  if (typeof apiHost !== 'string' || apiHost.trim() === '') {
    throw config('apiHost is required (the "API hostname" of your Duo Auth API application).');
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(apiHost) ? apiHost : `https://${apiHost}`;
  let url: URL;
  try {
    url = requireHttps(withScheme, allowInsecureHttp, 'DuoProvider apiHost');
  } catch (error) {
    if (error instanceof PushError) throw config(error.message.replace(/^DuoProvider /, ''));
    throw error;
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw config(
      'apiHost must be a host name such as api-xxxxxxxx.duosecurity.com, without a path or query.',
    );
  }
  return url;
}

/** Validates `options` and applies the defaults. */
export function resolveDuoOptions(options: DuoProviderOptions): ResolvedDuoOptions {
  if (typeof options !== 'object' || options === null) throw config('options are required.');
  if (typeof options.integrationKey !== 'string' || !INTEGRATION_KEY.test(options.integrationKey)) {
    throw config(
      'integrationKey must be the 20-character integration key ("DI…") of your Auth API application.',
    );
  }
  // The secret key itself never goes into a message.
  if (typeof options.secretKey !== 'string' || !SECRET_KEY.test(options.secretKey)) {
    throw config('secretKey must be the 40-character secret key of your Auth API application.');
  }
  const url = apiOrigin(options.apiHost, options.allowInsecureHttp === true);
  if (options.pushType !== undefined && !PUSH_TYPE.test(options.pushType)) {
    throw config('pushType must be 1 to 100 characters without control characters.');
  }
  return {
    integrationKey: options.integrationKey,
    secretKey: options.secretKey,
    host: url.host.toLowerCase(),
    protocol: url.protocol === 'http:' ? 'http:' : 'https:',
    acceptBypass: options.acceptBypass === true,
    pushType: options.pushType,
    timeoutMs: positive(options.timeoutMs, 10_000, 'timeoutMs', 'ms'),
    statusWaitMs: positive(options.statusWaitMs, 10_000, 'statusWaitMs', 'ms'),
    maxResponseBytes:
      options.maxResponseBytes === undefined
        ? undefined
        : positive(options.maxResponseBytes, 0, 'maxResponseBytes', 'bytes'),
    now: options.now ?? (() => new Date()),
  };
}

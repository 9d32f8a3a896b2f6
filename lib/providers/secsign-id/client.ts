/**
 * Typed calls to the SecSign ID classic API: `POST /` form-encoded, one fresh answer per call, the
 * fallback endpoint tried once when the primary could not be reached at all.
 */
import { PushError } from '../../errors';
import { httpRequest, httpStatusError } from '../http';
import {
  AUTH_SESSION_ID_PATTERN,
  REQUEST_ID_PATTERN,
  SECSIGN_ID_PATTERN,
  encodeRequestAuthSession,
  encodeSessionRequest,
  isAuthSessionId,
  optionalField,
  parseResponse,
  requireField,
  throwIfError,
  type AuthSessionRequestParams,
  type ResponseFields,
  type SessionRef,
} from './codec';

export interface SecSignIdClientOptions {
  /** Already validated absolute URLs. */
  endpoint: string;
  fallbackEndpoint: string | null;
  timeoutMs: number;
  maxResponseBytes?: number;
  apiMethod: string;
}

/** A `ReqRequestAuthSession` answer, every field format-checked. */
export interface CreatedAuthSession extends SessionRef {
  authsessionstate: string;
  /** Raw base64 as sent; absent or empty when the server shows no access pass. */
  iconData: string | undefined;
  /** The `servicename` the server echoes: the text its phone will show. */
  serviceName: string | undefined;
}

/** A `ReqGetAuthSessionState` or `ReqCancelAuthSession` answer; the state is mapped by the caller. */
export interface AuthSessionStateAnswer {
  authsessionstate: string | undefined;
  /** The ID the server vouches for (may differ from the one typed). */
  secsignid: string | undefined;
  authsessionid: string | undefined;
}

const STATE_PATTERN = /^\d{1,6}$/;

export class SecSignIdClient {
  constructor(private readonly options: SecSignIdClientOptions) {}

  async requestAuthSession(
    params: Omit<AuthSessionRequestParams, 'apiMethod'>,
    signal?: AbortSignal,
  ): Promise<CreatedAuthSession> {
    const fields = await this.send(
      encodeRequestAuthSession({ ...params, apiMethod: this.options.apiMethod }),
      signal,
    );
    const authsessionid = requireField(fields, 'authsessionid', AUTH_SESSION_ID_PATTERN);
    if (!isAuthSessionId(authsessionid)) {
      throw new PushError('protocol', 'The SecSign ID answer has a malformed "authsessionid".', {
        code: 'invalid_response',
      });
    }
    return {
      secsignid: requireField(fields, 'secsignid', SECSIGN_ID_PATTERN),
      authsessionid,
      requestid: requireField(fields, 'requestid', REQUEST_ID_PATTERN),
      authsessionstate: requireField(fields, 'authsessionstate', STATE_PATTERN),
      iconData: fields.get('authsessionicondata') || undefined,
      serviceName: fields.get('servicename'),
    };
  }

  getAuthSessionState(session: SessionRef, signal?: AbortSignal): Promise<AuthSessionStateAnswer> {
    return this.sessionCall('ReqGetAuthSessionState', session, signal);
  }

  cancelAuthSession(session: SessionRef, signal?: AbortSignal): Promise<AuthSessionStateAnswer> {
    return this.sessionCall('ReqCancelAuthSession', session, signal);
  }

  /**
   * The seed guide's step 5: an accepted session must be released. SecSign's JS client dropped the
   * call and current cloud servers may refuse it; the answer is read but not acted on.
   */
  async releaseAuthSession(session: SessionRef, signal?: AbortSignal): Promise<void> {
    await this.send(encodeSessionRequest('ReqReleaseAuthSession', this.options.apiMethod, session), signal);
  }

  private async sessionCall(
    request: 'ReqGetAuthSessionState' | 'ReqCancelAuthSession',
    session: SessionRef,
    signal: AbortSignal | undefined,
  ): Promise<AuthSessionStateAnswer> {
    const fields = await this.send(encodeSessionRequest(request, this.options.apiMethod, session), signal);
    // The state itself is left unchecked here: states.ts owns what a code means.
    return {
      authsessionstate: fields.get('authsessionstate'),
      secsignid: optionalField(fields, 'secsignid', SECSIGN_ID_PATTERN),
      authsessionid: optionalField(fields, 'authsessionid', AUTH_SESSION_ID_PATTERN),
    };
  }

  /**
   * The fallback is tried once, and only when the primary was never reached ('connect') or never
   * answered ('timeout'): an `error=` answer or an HTTP error page means the server is there.
   */
  private async send(body: string, signal: AbortSignal | undefined): Promise<ResponseFields> {
    try {
      return await this.exchange(this.options.endpoint, body, signal);
    } catch (error) {
      const fallback = this.options.fallbackEndpoint;
      if (fallback === null || !isUnreachable(error)) throw error;
      return this.exchange(fallback, body, signal);
    }
  }

  private async exchange(
    url: string,
    body: string,
    signal: AbortSignal | undefined,
  ): Promise<ResponseFields> {
    const response = await httpRequest(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      signal,
    });
    if (response.status < 200 || response.status > 299) {
      throw httpStatusError('The SecSign ID server', response.status);
    }
    const text = response.text();
    if (looksLikeHtml(text, response.headers.get('content-type'))) {
      // A proxy or captive page with status 200, not the API (a 5xx page was caught above).
      throw new PushError('protocol', 'The SecSign ID server answered with an HTML page.', {
        code: 'invalid_response',
      });
    }
    const fields = parseResponse(text);
    throwIfError(fields);
    return fields;
  }
}

function isUnreachable(error: unknown): boolean {
  return error instanceof PushError && (error.code === 'connect' || error.code === 'timeout');
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (contentType !== null && /^\s*text\/html\b/i.test(contentType)) return true;
  return /^\s*</.test(text);
}

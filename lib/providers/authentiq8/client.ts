/**
 * A typed client for the seven Authentiq8 calls. Each request: serialise the body once, sign those
 * exact bytes, POST them with the guide's headers, and read the answer (envelope + call fields).
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { PushError } from '../../errors';
import { DEFAULT_MAX_RESPONSE_BYTES, httpRequest, requireHttps } from '../http';
import {
  readAuthenticate,
  readAuthStatus,
  readCredits,
  readDevices,
  readLinkStatus,
  readPing,
  readQr,
  type AuthenticateAnswer,
  type AuthStatusAnswer,
  type CreditsAnswer,
  type DevicesAnswer,
  type LinkStatusAnswer,
  type PingAnswer,
  type QrAnswer,
} from './answers';
import { parseEnvelope, type Envelope } from './envelope';
import { rspCodeError } from './errors';
import { RSP_OK } from './rsp-codes';
import { loadRsaPrivateKey, signBody, type PrivateKeyInput } from './signing';
import { phpJsonEncode } from './php-json';
import {
  DEFAULT_ENDPOINT,
  HEADERS,
  INFERRED_FIELDS as F,
  INFERRED_TXN_TYPE_HEADER,
  TXN_TYPE_LOCATIONS,
  type QrPurpose,
  type TxnType,
  type TxnTypeLocation,
} from './wire-fields';
import { booleanOption, configError, integerOption, oneOfOption, requireOptionsObject } from '../options';

/** How the Authentiq8 Me API client is set up: the portal's client ID and key, the endpoint, timeouts. */
export interface Authentiq8ClientOptions {
  /** The client ID from the Authentiq8 Me portal. */
  clientId: string;
  /** RSA 2048–4096: PEM string, path to a PEM file, PEM bytes, or a KeyObject. */
  privateKey: PrivateKeyInput;
  /** For an encrypted PEM. */
  passphrase?: string;
  /** Default `https://api.authentiq8.me/index.php`. */
  endpoint?: string;
  /** Allow `http:` endpoints (local simulators only). */
  allowInsecureHttp?: boolean;
  /** Per call, connect to last byte. Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest accepted answer body. Default 256 KiB. */
  maxResponseBytes?: number;
  /** `ClientIP` when a call has no end user's address (ping, credits, …). Default `127.0.0.1`. */
  defaultClientIp?: string;
  /** Makes `TransactionID`s; must be unique per request. Default `crypto.randomUUID`. */
  newTransactionId?: () => string;
  /**
   * Called with each raw answer before it is read. The guide does not say whether answers are
   * signed; if the vendor publishes a server key, verify it here and throw to refuse the answer.
   */
  verifyResponse?: (body: Buffer, headers: Headers) => void;
  /**
   * [INFERRED] Where `txn_type` travels: `body` (default, a JSON field), `header` (`TxnType`) or
   * `query` (`?txn_type=`). The guide does not show it; change it here if the vendor says otherwise.
   */
  txnTypeLocation?: TxnTypeLocation;
}

/** Per-call context of an Authentiq8 Me API request. */
export interface CallContext {
  /** Aborts the request (the core's provider deadline); absent for no deadline beyond the client's. */
  signal?: AbortSignal;
  /** The end user's IP address, sent as `ClientIP`. */
  clientIp?: string;
}

/** A get-user-status answer: the read fields on 0000, otherwise the code for the caller to map. */
export type StatusResult<T> = { ok: true; answer: T } | { ok: false; rspCode: string };

export const DEFAULT_TIMEOUT_MS = 10_000;
const WHO = 'Authentiq8';
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * The signed Authentiq8 Me API: one method per transaction (authenticate, status, QR, credits…).
 */
export class Authentiq8Client {
  readonly endpoint: string;
  readonly clientId: string;
  readonly #key: KeyObject;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #defaultClientIp: string;
  readonly #newTransactionId: () => string;
  readonly #verifyResponse: Authentiq8ClientOptions['verifyResponse'];
  readonly #txnTypeLocation: TxnTypeLocation;

  constructor(options: Authentiq8ClientOptions) {
    requireOptionsObject(WHO, options);
    if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
      throw configError(WHO, 'clientId is required (the client ID from the portal).');
    }
    if (!ID_PATTERN.test(options.clientId)) {
      throw configError(WHO, 'clientId must be printable ASCII without spaces.');
    }
    if (options.privateKey === undefined || options.privateKey === null) {
      throw configError(WHO, 'privateKey is required (PEM string, file path or KeyObject).');
    }
    this.clientId = options.clientId;
    this.endpoint = requireHttps(
      options.endpoint ?? DEFAULT_ENDPOINT,
      booleanOption(WHO, 'allowInsecureHttp', options.allowInsecureHttp, false),
      'Authentiq8 endpoint',
    ).href;
    this.#key = loadRsaPrivateKey(options.privateKey, options.passphrase);
    this.#timeoutMs = integerOption(WHO, 'timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, 120_000);
    this.#maxResponseBytes = integerOption(
      WHO,
      'maxResponseBytes',
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
      1024,
      16 << 20,
    );
    const fallbackIp = options.defaultClientIp ?? '127.0.0.1';
    if (!isIP(fallbackIp)) throw configError(WHO, 'defaultClientIp is not an IP address.');
    this.#defaultClientIp = fallbackIp;
    this.#newTransactionId = options.newTransactionId ?? randomUUID;
    this.#verifyResponse = options.verifyResponse;
    this.#txnTypeLocation = oneOfOption(
      WHO,
      'txnTypeLocation',
      options.txnTypeLocation,
      TXN_TYPE_LOCATIONS,
      'body',
    );
  }

  async ping(message = 'World', context: CallContext = {}): Promise<PingAnswer> {
    return readPing(ok(await this.call('ping', { message }, context)));
  }

  async authenticate(
    request: { userId: string; action: string; message: string },
    context: CallContext = {},
  ): Promise<AuthenticateAnswer> {
    const fields = {
      [F.userId]: userIdOf(request.userId),
      [F.action]: request.action,
      [F.message]: request.message,
    };
    return readAuthenticate(ok(await this.call('authenticate', fields, context)));
  }

  async checkUserDevices(userId: string, context: CallContext = {}): Promise<DevicesAnswer> {
    return readDevices(ok(await this.call('check-user-devices', { [F.userId]: userIdOf(userId) }, context)));
  }

  async disconnectUser(userId: string, context: CallContext = {}): Promise<void> {
    ok(await this.call('disconnect-user', { [F.userId]: userIdOf(userId) }, context));
  }

  async getCredits(context: CallContext = {}): Promise<CreditsAnswer> {
    return readCredits(ok(await this.call('get-credits', {}, context)));
  }

  async getQrCode(userId: string, purpose: QrPurpose, context: CallContext = {}): Promise<QrAnswer> {
    const fields = { [F.userId]: userIdOf(userId), [F.qrPurpose]: purpose };
    return readQr(ok(await this.call('get-qr-code', fields, context)));
  }

  /** The state of one authentication (get-user-status with `auth_id`). */
  async getUserStatus(
    userId: string,
    authId: string,
    context: CallContext = {},
  ): Promise<StatusResult<AuthStatusAnswer>> {
    const fields = { [F.userId]: userIdOf(userId), [F.authId]: authId };
    const envelope = await this.call('get-user-status', fields, context);
    return envelope.rspCode === RSP_OK
      ? { ok: true, answer: readAuthStatus(envelope) }
      : { ok: false, rspCode: envelope.rspCode };
  }

  /** Whether the user's app is linked (get-user-status without `auth_id`). */
  async getLinkStatus(userId: string, context: CallContext = {}): Promise<StatusResult<LinkStatusAnswer>> {
    const envelope = await this.call('get-user-status', { [F.userId]: userIdOf(userId) }, context);
    return envelope.rspCode === RSP_OK
      ? { ok: true, answer: readLinkStatus(envelope) }
      : { ok: false, rspCode: envelope.rspCode };
  }

  /** One signed request; the envelope is checked, the rsp_code is left to the caller. */
  async call(txnType: TxnType, fields: Record<string, string>, context: CallContext = {}): Promise<Envelope> {
    const location = this.#txnTypeLocation;
    // Serialised once, the PHP way; the signature covers exactly these bytes.
    const body = phpJsonEncode(location === 'body' ? { [F.txnType]: txnType, ...fields } : fields);
    const transactionId = this.#newTransactionId();
    const url = new URL(this.endpoint);
    if (location === 'query') url.searchParams.set(F.txnType, txnType);
    const response = await httpRequest(url.href, {
      method: 'POST',
      headers: {
        ...(location === 'header' ? { [INFERRED_TXN_TYPE_HEADER]: txnType } : {}),
        [HEADERS.contentType]: 'application/json',
        [HEADERS.clientId]: this.clientId,
        [HEADERS.transactionId]: transactionId,
        [HEADERS.clientIp]:
          context.clientIp && isIP(context.clientIp) ? context.clientIp : this.#defaultClientIp,
        [HEADERS.signature]: signBody(body, this.#key),
      },
      body,
      timeoutMs: this.#timeoutMs,
      maxResponseBytes: this.#maxResponseBytes,
      signal: context.signal,
    });
    if (response.status === 200) this.#checkAnswer(txnType, response.body, response.headers);
    return parseEnvelope(txnType, response, transactionId);
  }

  #checkAnswer(txnType: TxnType, body: Buffer, headers: Headers): void {
    try {
      this.#verifyResponse?.(body, headers);
    } catch (error) {
      if (error instanceof PushError) throw error;
      throw new PushError('protocol', `Authentiq8 ${txnType}: the answer failed verifyResponse.`, {
        code: 'invalid_response',
        cause: error,
      });
    }
  }
}

function ok(envelope: Envelope): Envelope {
  if (envelope.rspCode !== RSP_OK) throw rspCodeError(envelope.rspCode, envelope.txnType);
  return envelope;
}

function userIdOf(userId: string | undefined): string {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw new PushError('input', 'Authentiq8: enter your user ID.', { code: 'missing_user_id' });
  }
  if (userId.length > 256) {
    throw new PushError('input', 'Authentiq8: the user ID is longer than 256 characters.', {
      code: 'invalid_user_id',
    });
  }
  return userId;
}

/**
 * BankID (RP API v6) as a PushProvider: `/auth` starts an order, `/collect` is one check, `/cancel`
 * withdraws it. The page shows an animated QR code (recomputed every second from the handle's
 * `qrStartSecret`, which never leaves the server) and a link that opens the app on the same device.
 * Fails closed: only a well-formed `complete` for this order, naming the person the start named
 * (when it named one), becomes `approved`.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { PushError } from '../../errors';
import type { ActionCapability, ActionRequest } from '../action';
import type {
  ApprovedStatus,
  ChallengeDisplay,
  ChallengeHandle,
  ChallengeStatus,
  PushProvider,
  StartRequest,
  StartedChallenge,
} from '../provider';
import { readAuthAnswer, readCollectAnswer, type CompletionData } from './answers';
import { readSignedData } from './signed-data';
import { FAILURE_HINTS, PENDING_HINTS, UNKNOWN_FAILURE, UNKNOWN_PENDING, bankIdMessage } from './messages';
import {
  MAX_USER_VISIBLE_DATA,
  encodeUserVisibleData,
  resolveOptions,
  type BankIdProviderOptions,
  type ResolvedBankIdOptions,
} from './options';
import { normalisePersonalNumber } from './personal-number';
import { launchUrl, qrData } from './qr';
import { BankIdTransport, checkTls } from './transport';
import { instructionOf } from '../texts';
import { bankIdTexts } from './texts';

/**
 * What a challenge needs later, kept in the server-side session. Holds the per-order
 * `qrStartSecret` (never sent to the browser) and never the personal number.
 */
export interface BankIdHandle extends ChallengeHandle {
  /** BankID's reference of the order, for collect and cancel. */
  orderRef: string;
  /** The token of the launch link that opens the BankID app on the same device. */
  autoStartToken: string;
  /** The public part of the animated QR code. */
  qrStartToken: string;
  /** The secret each QR frame's code is derived from; never sent to the browser. */
  qrStartSecret: string;
  /** Epoch ms when the order was created: second 0 of the animated QR code. */
  startedAt: number;
  // A `/sign` order (an action) also holds `intentHash`, the hash its signature must carry as hidden
  // data, and `shownTextHash`, SHA-256 (base64url) of the text sent to be shown and signed.
}

/**
 * An order lives about three minutes at BankID (RP API v6 documentation); after that collect says `expiredTransaction`.
 */
export const BANKID_ORDER_LIFETIME_MS = 180_000;

/**
 * Completion fields that are personal data: kept out of logs and audit events by the core.
 */
export const BANKID_PERSONAL_CLAIMS = ['personalNumber', 'name', 'givenName', 'surname', 'device'] as const;

/** BankID's limit for `/sign`'s `userVisibleData`, base64-encoded. */
const MAX_SIGN_VISIBLE_DATA = 40_000;
const INSTRUCTION = instructionOf(bankIdTexts, 'bankid.instruction');
const HANDLE_TOKEN = /^[0-9A-Za-z-]{8,128}$/;

/**
 * Swedish BankID through the RP API v6, over mutual TLS.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { BANKID_TEST_URL, BankIdProvider } from 'passport-push';
 *
 * const provider = new BankIdProvider({
 *   baseUrl: BANKID_TEST_URL,
 *   pfx: readFileSync('rp.p12'),
 *   passphrase: process.env.BANKID_PASSPHRASE,
 *   ca: readFileSync('bankid-ca.pem'),
 * });
 * ```
 */
export class BankIdProvider implements PushProvider<BankIdHandle> {
  readonly name = 'bankid';
  readonly displayName = 'BankID';
  /** What this provider tells the user, in English, German and Swedish. */
  readonly texts = bankIdTexts;
  readonly userId = 'optional';
  /**
   * A personal number typed at the start must be the person BankID confirms. The core compares it
   * (the session keeps the number sealed), so the handle holds no trace of it, not even a digest.
   */
  readonly subjectRule = 'match-if-typed';
  /** Personal numbers: audit events get pseudonyms unless the app opts in. */
  readonly personalUserIds = true;
  /**
   * Actions go to `/sign`: the phone shows the intent's text (amount and payee for a payment) and
   * the user signs it; the signature carries that text and the intent hash, checked on completion.
   */
  readonly actions: ActionCapability = { shows: 'amount-and-payee', proves: 'user-signature' };
  private readonly options: ResolvedBankIdOptions;

  /** `YYYYMMDDNNNN` from every spelling accepted here: one person is one ID for limits and records. */
  canonicalUserId(typed: string): string {
    return normalisePersonalNumber(typed);
  }
  private readonly transport: BankIdTransport;

  constructor(options: BankIdProviderOptions) {
    this.options = resolveOptions(options);
    checkTls(this.options.tls);
    this.transport = new BankIdTransport(this.options);
  }

  /** Creates an order; with a personal number only that person's BankID can complete it. */
  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge<BankIdHandle>> {
    if (request.action) return this.startSign(request, request.action, signal);
    const body: Record<string, unknown> = { endUserIp: endUserIp(request.clientIp) };
    const requirement: Record<string, unknown> = { ...this.options.requirement };
    const personalNumber =
      request.userId !== undefined && request.userId.trim() !== ''
        ? normalisePersonalNumber(request.userId)
        : undefined;
    if (personalNumber !== undefined) requirement['personalNumber'] = personalNumber;
    if (Object.keys(requirement).length > 0) body['requirement'] = requirement;
    const visible = this.userVisibleData(request.message);
    if (visible !== undefined) {
      body['userVisibleData'] = visible;
      if (this.options.userVisibleDataFormat !== undefined) {
        body['userVisibleDataFormat'] = this.options.userVisibleDataFormat;
      }
    }
    if (this.options.returnRisk) body['returnRisk'] = true;
    const answer = readAuthAnswer(await this.transport.post('auth', body, signal));
    const handle: BankIdHandle = { ...answer, startedAt: this.options.now() };
    return {
      handle,
      display: this.displayAt(handle, handle.startedAt),
      expiresAt: handle.startedAt + BANKID_ORDER_LIFETIME_MS,
      pollIntervalMs: this.options.pollIntervalMs,
    };
  }

  /**
   * An action's order (`/sign`) for the signed-in person only: the phone shows the intent's text as
   * plain text (no markup can restyle or hide a value) and the user signs it together with the
   * intent hash as hidden data.
   */
  private async startSign(
    request: StartRequest,
    action: ActionRequest,
    signal: AbortSignal,
  ): Promise<StartedChallenge<BankIdHandle>> {
    if (request.userId === undefined) {
      throw new PushError('input', 'A BankID action needs the personal number of the signed-in user.', {
        code: 'missing_user_id',
      });
    }
    const shown = Buffer.from(action.text, 'utf8');
    const userVisibleData = shown.toString('base64');
    if (userVisibleData.length > MAX_SIGN_VISIBLE_DATA) {
      throw new PushError('input', 'The action is too long for the BankID app.', { code: 'invalid_intent' });
    }
    const body = {
      endUserIp: endUserIp(request.clientIp),
      requirement: { ...this.options.requirement, personalNumber: normalisePersonalNumber(request.userId) },
      userVisibleData,
      userNonVisibleData: Buffer.from(action.hash, 'utf8').toString('base64'),
      ...(this.options.returnRisk ? { returnRisk: true } : {}),
    };
    const answer = readAuthAnswer(await this.transport.post('sign', body, signal));
    const handle: BankIdHandle = {
      ...answer,
      startedAt: this.options.now(),
      intentHash: action.hash,
      shownTextHash: sha256(shown),
    };
    return {
      handle,
      display: this.displayAt(handle, handle.startedAt),
      expiresAt: handle.startedAt + BANKID_ORDER_LIFETIME_MS,
      pollIntervalMs: this.options.pollIntervalMs,
    };
  }

  /** One `/collect`. */
  async check(handle: BankIdHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const { orderRef } = readHandle(handle);
    const answer = readCollectAnswer(await this.transport.post('collect', { orderRef }, signal), orderRef);
    // An order for a personal number completes for that person only: the core checks the subject
    // against the (sealed) typed number under `'match-if-typed'`.
    const { intentHash, shownTextHash } = handle;
    if (answer.status === 'complete' && typeof intentHash === 'string' && typeof shownTextHash === 'string') {
      return signedAction(answer.completionData, intentHash, shownTextHash);
    }
    if (answer.status === 'complete') return approved(answer.completionData);
    if (answer.status === 'pending') {
      const hint =
        answer.hintCode !== undefined && Object.hasOwn(PENDING_HINTS, answer.hintCode)
          ? PENDING_HINTS[answer.hintCode]
          : undefined;
      const { state, key } = hint ?? UNKNOWN_PENDING;
      return { state, message: bankIdMessage(key) };
    }
    const failure = Object.hasOwn(FAILURE_HINTS, answer.hintCode)
      ? FAILURE_HINTS[answer.hintCode]
      : undefined;
    const { state, key } = failure ?? UNKNOWN_FAILURE;
    return { state, reason: answer.hintCode, message: bankIdMessage(key) };
  }

  /** `/cancel`: BankID withdraws the order; the next collect says `failed`/`cancelled`. */
  async cancel(handle: BankIdHandle, signal: AbortSignal): Promise<void> {
    const { orderRef } = readHandle(handle);
    await this.transport.post('cancel', { orderRef }, signal);
  }

  /** The QR frame for `now` and the launch link; nothing once the order has expired or for a damaged handle. */
  currentDisplay(handle: BankIdHandle, now: number): ChallengeDisplay | undefined {
    try {
      const checked = readHandle(handle);
      if (now >= checked.startedAt + BANKID_ORDER_LIFETIME_MS) return undefined;
      return this.displayAt(checked, now);
    } catch {
      return undefined;
    }
  }

  /** Closes the keep-alive connections to BankID (shutdown, tests). */
  close(): void {
    this.transport.close();
  }

  private displayAt(handle: BankIdHandle, now: number): ChallengeDisplay {
    return {
      qr: qrData(handle.qrStartToken, handle.qrStartSecret, handle.startedAt, now),
      launchUrl: launchUrl(handle.autoStartToken),
      ...INSTRUCTION,
    };
  }

  private userVisibleData(message: string | undefined): string | undefined {
    if (message === undefined || message === '') return encodeUserVisibleData(this.options.userVisibleData);
    const encoded = encodeUserVisibleData(message) ?? '';
    if (encoded.length > MAX_USER_VISIBLE_DATA) {
      throw new PushError(
        'input',
        `The message for the BankID app is too long (at most ${MAX_USER_VISIBLE_DATA} characters once base64-encoded).`,
        {
          code: 'invalid_body',
        },
      );
    }
    return encoded;
  }
}

function approved(data: CompletionData): ChallengeStatus {
  const claims: Record<string, unknown> = {
    personalNumber: data.user.personalNumber,
    name: data.user.name,
    givenName: data.user.givenName,
    surname: data.user.surname,
    device: { ...data.device },
  };
  if (data.bankIdIssueDate !== undefined) claims['bankIdIssueDate'] = data.bankIdIssueDate;
  if (data.risk !== undefined) claims['risk'] = data.risk;
  if (data.stepUp !== undefined) claims['stepUp'] = { ...data.stepUp };
  return {
    state: 'approved',
    subject: data.user.personalNumber,
    claims,
    personalClaims: BANKID_PERSONAL_CLAIMS,
  };
}

/**
 * An action's completion: the signature must carry exactly the text that was sent to be shown and
 * the intent hash as hidden data; anything else is an approval of something else (`intent_mismatch`).
 */
function signedAction(data: CompletionData, intentHash: string, shownTextHash: string): ChallengeStatus {
  const signed = readSignedData(data.signature);
  if (
    signed === undefined ||
    sha256(Buffer.from(signed.visible, 'base64')) !== shownTextHash ||
    Buffer.from(signed.nonVisible, 'base64').toString('utf8') !== intentHash
  ) {
    throw new PushError('protocol', 'The BankID signature is not over the action that was sent.', {
      code: 'intent_mismatch',
    });
  }
  const status = approved(data) as ApprovedStatus;
  return {
    ...status,
    action: {
      intentHash,
      proof: { signature: data.signature, ocspResponse: data.ocspResponse },
    },
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** BankID requires the end user's IP; Express reports IPv4 clients as `::ffff:a.b.c.d`. */
function endUserIp(clientIp: string | undefined): string {
  const ip = clientIp?.startsWith('::ffff:') && isIP(clientIp.slice(7)) === 4 ? clientIp.slice(7) : clientIp;
  if (ip === undefined || isIP(ip) === 0) {
    throw new PushError('input', "BankID needs the end user's IP address (StartRequest.clientIp).", {
      code: 'invalid_body',
    });
  }
  return ip;
}

/** A handle from the session store is checked before use: it may be old or damaged. */
function readHandle(handle: ChallengeHandle): BankIdHandle {
  const { orderRef, autoStartToken, qrStartToken, qrStartSecret, startedAt, intentHash, shownTextHash } =
    handle;
  const tokens = [orderRef, autoStartToken, qrStartToken, qrStartSecret];
  const login = intentHash === undefined && shownTextHash === undefined;
  const signing =
    typeof intentHash === 'string' &&
    /^[0-9a-f]{64}$/.test(intentHash) &&
    typeof shownTextHash === 'string' &&
    /^[\w-]{43}$/.test(shownTextHash);
  if (
    !(login || signing) ||
    !tokens.every((token) => typeof token === 'string' && HANDLE_TOKEN.test(token)) ||
    typeof startedAt !== 'number' ||
    !Number.isFinite(startedAt)
  ) {
    throw new PushError('state', 'The BankID challenge in the session is damaged.', {
      code: 'invalid_challenge',
    });
  }
  return handle as BankIdHandle;
}

/**
 * An Authentiq8 Me API on loopback: signed JSON requests in, `rsp_code` envelopes out. It checks the
 * guide's headers, verifies every `DigitalSignature` over the exact received bytes against the
 * client's registered public key, refuses replayed `TransactionID`s, and keeps credits, users,
 * devices, QR links and pending authentications in memory. Time is read from `now()` (no timers).
 *
 * Where the guide is silent it follows the INFERRED contract of lib/providers/authentiq8/wire-fields.ts
 * (body and answer field names, status values) and these choices of ours: a replayed TransactionID
 * answers 9998 (security validation error); an unknown txn_type 9999; a bad Content-Type 1005; a
 * missing user_id 1003; an unknown auth_id 1040. Answers are not signed: the guide does not say
 * they are.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import type * as Pngjs from 'pngjs';
import { qrMatrix } from '../qr';
import { PNG_DATA_URL_PREFIX } from '../providers/png';
import { requirePeer } from './optional-peer';
import { loadRsaPublicKey, verifyBody, type PublicKeyInput } from '../providers/authentiq8/signing';
import { RSP_CODES, type RspCode } from '../providers/authentiq8/rsp-codes';
import {
  ENVELOPE_FIELDS,
  HEADERS,
  INFERRED_ACTIONS,
  INFERRED_FIELDS as F,
  INFERRED_QR_PURPOSES,
  TXN_TYPES,
  INFERRED_TXN_TYPE_HEADER,
  type AuthStatus,
  type TxnType,
  type TxnTypeLocation,
} from '../providers/authentiq8/wire-fields';
import {
  startLoopbackServer,
  type LoopbackAnswer,
  type LoopbackRequest,
  type LoopbackServer,
} from './loopback-server';
import type { Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';
import { Authentiq8WebhookSender } from './authentiq8-webhook';

/**
 * A merchant client the simulator knows: its ID, public key and credits.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator, type Authentiq8SimulatorClient } from 'passport-push/testing';
 *
 * const client: Authentiq8SimulatorClient = { clientId: 'test', publicKey: publicPem, credits: 10 };
 * await Authentiq8Simulator.start({ clients: [client] });
 * ```
 */
export interface Authentiq8SimulatorClient {
  /** The client ID the provider under test sends. */
  clientId: string;
  /** PEM (public key or certificate), PEM path, or KeyObject; a private key is reduced to its public half. */
  publicKey: PublicKeyInput;
  /** Prepaid credits; each authenticate costs one. Default 100. */
  credits?: number;
}

/**
 * Options of `Authentiq8Simulator.start`: registered clients, users, clock.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * await Authentiq8Simulator.start({
 *   clients: [{ clientId: 'test', publicKey: publicPem, credits: 10 }],
 *   users: ['alice'],
 * });
 * ```
 */
export interface Authentiq8SimulatorOptions {
  /** The merchant clients the simulator knows (more with `registerClient`). */
  clients?: readonly Authentiq8SimulatorClient[];
  /** Users of the first client; linked to one device unless `linked: false`. */
  users?: readonly (
    | string
    | {
        /** The user's ID. */
        userId: string;
        /** Whether the user starts linked to a device. Default true. */
        linked?: boolean;
      }
  )[];
  /** How long an authentication stays pending. Default 60 000 ms. */
  authLifetimeMs?: number;
  /** How long an enrolment QR code is valid. Default 120 000 ms. */
  qrLifetimeMs?: number;
  /** get-user-status more often than this for one user answers 1009. Default 1000 ms (the guide). */
  minPollIntervalMs?: number;
  /** get-qr-code answers `qr_payload` text (default) or a rendered `qr_code` PNG data URL. */
  qrFormat?: 'payload' | 'png';
  /** The clock, shared with the provider under test. Default `Date.now`. */
  now?: () => number;
  /** Where the simulator reads `txn_type` (the guide does not say). Default `body`. */
  txnTypeLocation?: TxnTypeLocation;
}

/**
 * Ways a real Authentiq8 server may answer differently from our inferred contract; set on `variance`.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: ['alice'] });
 * console.log(sim.variance);
 * ```
 */
export interface Authentiq8Variance {
  /** get-user-status answers echo neither `user_id` nor `auth_id`. */
  noEchoes?: boolean;
  /** Error answers (rsp_code ≠ 0000) carry no `transaction_id`. */
  errorsWithoutTransactionId?: boolean;
  /** `rsp_code` is a JSON number (`0`, `1044`) instead of a four-digit string. */
  numericCodes?: boolean;
  /** get-user-status answers echo this `auth_id` instead of the one asked about. */
  echoAuthId?: string;
  /** get-user-status answers echo this `user_id` instead of the one asked about. */
  echoUserId?: string;
  /**
   * authenticate pushes nothing and answers with the `auth_id` of the newest earlier authentication
   * (whoever it was for): an answer about another transaction. Cleared once used.
   */
  reuseAuthId?: boolean;
  /** authenticate answers echo `message`: the one received (`true`) or this other text. */
  echoMessage?: true | string;
}

/**
 * What the server received last, for exact wire assertions.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: ['alice'] });
 * // … after a start:
 * console.log(sim.lastRequest);
 * ```
 */
export interface Authentiq8ReceivedRequest {
  /** The HTTP method. */
  method: string;
  /** The request path, without the query. */
  path: string;
  /** The request headers as Node parsed them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body bytes exactly as received (what the signature covers). */
  body: Buffer;
}

/**
 * The simulated Authentiq8 Me app: the common phone, plus scanning a linking QR code.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: [{ userId: 'bob', linked: false }] });
 * sim.phone.scanQr(sim.qrPayloads('bob')[0]!); // links bob's app
 * ```
 */
export interface Authentiq8Phone extends Phone {
  /** Completes enrolment as the app does after scanning: false if unknown, used or expired. */
  scanQr(payload: string): boolean;
}

interface SimClient {
  clientId: string;
  publicKey: KeyObject;
  credits: number;
  users: Map<string, SimUser>;
  /** Every TransactionID accepted so far (a test server lives for one suite: unbounded is fine). */
  seenTransactionIds: Set<string>;
}
interface SimUser {
  userId: string;
  devices: { deviceId: string; name: string; platform: string; linkedAt: number }[];
  lastStatusPollAt: number | undefined;
}
interface SimAuth {
  authId: string;
  clientId: string;
  userId: string;
  message: string;
  action: string;
  status: AuthStatus;
  fetched: boolean;
  createdAt: number;
  expiresAt: number;
  approvedAt: number | undefined;
}
interface SimQr {
  code: string;
  payload: string;
  clientId: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

type Json = Record<string, unknown>;
type Reply = { code: RspCode; fields?: Json };
type Handler = (client: SimClient, body: Json) => Reply | Promise<Reply>;

const QR_SCHEME = 'authentiq8me://link?code=';
/**
 * How the simulator renders `qr_code` PNGs (small: PNG encoding is slow under jest's VM).
 */
export const SIMULATOR_QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, scale: 2 } as const;

/** `text` as a black-on-white QR code PNG, drawn as `SIMULATOR_QR_OPTIONS` says (pngjs, an optional peer). */
function qrPngDataUrl(text: string): string {
  const { PNG } = requirePeer<typeof Pngjs>('pngjs', 'Authentiq8Simulator (qrFormat: png)');
  const { margin, scale } = SIMULATOR_QR_OPTIONS;
  const code = qrMatrix(text);
  const side = (code.size + margin * 2) * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const shade = code.dark(Math.floor(x / scale) - margin, Math.floor(y / scale) - margin) ? 0 : 255;
      const at = (y * side + x) * 4;
      png.data.fill(shade, at, at + 3);
      png.data[at + 3] = 255;
    }
  }
  return PNG_DATA_URL_PREFIX + PNG.sync.write(png).toString('base64');
}

/**
 * Authentiq8 Me on loopback: checks signatures, a phone with linking QR codes, credits, faults.
 *
 * @example
 * ```ts
 * import { Authentiq8Provider } from 'passport-push';
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({
 *   clients: [{ clientId: 'test', publicKey: publicPem }],
 *   users: ['alice'],
 * });
 * const authentiq8 = new Authentiq8Provider({
 *   clientId: 'test',
 *   privateKey: privatePem,
 *   endpoint: sim.url,
 *   allowInsecureHttp: true,
 * });
 * // … start a login, then:
 * sim.phone.approve(sim.phone.pending('alice')[0]!.id);
 * ```
 */
export class Authentiq8Simulator implements ProviderSimulator {
  readonly url: string;
  /** The simulated phone of every user. */
  readonly phone: Authentiq8Phone;
  /** Fault injection for the next calls. */
  readonly faults: Faults;
  /** The last request that reached the protocol handler (not one swallowed by a fault). */
  lastRequest: Authentiq8ReceivedRequest | undefined;
  /** Answer variations, switchable at any time. */
  readonly variance: Authentiq8Variance = {};
  readonly #txnTypeLocation: TxnTypeLocation;

  readonly #server: LoopbackServer;
  readonly #now: () => number;
  readonly #authLifetimeMs: number;
  readonly #qrLifetimeMs: number;
  readonly #minPollIntervalMs: number;
  readonly #qrFormat: 'payload' | 'png';
  readonly #clients = new Map<string, SimClient>();
  readonly #auths = new Map<string, SimAuth>();
  readonly #qrs = new Map<string, SimQr>();
  readonly #calls: Record<string, number> = {};
  readonly #answers: Record<string, number> = {};
  #webhook: Authentiq8WebhookSender | undefined;

  /** Starts the server on 127.0.0.1, on a free port. */
  static async start(options: Authentiq8SimulatorOptions = {}): Promise<Authentiq8Simulator> {
    // The server must exist before the simulator that wraps it; requests before that get a 503.
    const ready: { simulator?: Authentiq8Simulator } = {};
    const server = await startLoopbackServer((request) =>
      ready.simulator ? ready.simulator.#handle(request) : { status: 503, body: 'starting' },
    );
    ready.simulator = new Authentiq8Simulator(server, options);
    return ready.simulator;
  }

  private constructor(server: LoopbackServer, options: Authentiq8SimulatorOptions) {
    this.#server = server;
    this.url = `${server.url}index.php`;
    this.faults = server.faults;
    this.#now = options.now ?? Date.now;
    this.#authLifetimeMs = options.authLifetimeMs ?? 60_000;
    this.#qrLifetimeMs = options.qrLifetimeMs ?? 120_000;
    this.#minPollIntervalMs = options.minPollIntervalMs ?? 1000;
    this.#qrFormat = options.qrFormat ?? 'payload';
    this.#txnTypeLocation = options.txnTypeLocation ?? 'body';
    for (const client of options.clients ?? []) this.registerClient(client);
    for (const user of options.users ?? []) {
      const { userId, linked } = typeof user === 'string' ? { userId: user, linked: true } : user;
      this.addUser(userId, { linked: linked ?? true });
    }
    this.phone = this.#makePhone();
  }

  /**
   * From now on, each answer on the phone (approve, deny, expire) is also sent as a webhook to
   * `url` (the app's `POST notify`), carrying `signature` in `SIMULATOR_WEBHOOK_SIGNATURE_HEADER`.
   * Returns the sender: its `faults` switch duplicates, reordering and late delivery, `forge` sends
   * a forged one. `undefined` stops sending.
   */
  sendWebhooksTo(
    url: string | undefined,
    signature = 'simulator-signature',
  ): Authentiq8WebhookSender | undefined {
    this.#webhook = url === undefined ? undefined : new Authentiq8WebhookSender(url, signature);
    return this.#webhook;
  }

  /** Requests received so far, by txn_type (`invalid` when the body named none). */
  get calls(): Readonly<Record<string, number>> {
    return { ...this.#calls };
  }

  /** Answers sent so far, by rsp_code. */
  get answers(): Readonly<Record<string, number>> {
    return { ...this.#answers };
  }

  /** Registers (or replaces) a merchant client and its public key; its users and spent ids stay. */
  registerClient(client: Authentiq8SimulatorClient): void {
    const existing = this.#clients.get(client.clientId);
    this.#clients.set(client.clientId, {
      clientId: client.clientId,
      publicKey: loadRsaPublicKey(client.publicKey),
      credits: client.credits ?? existing?.credits ?? 100,
      users: existing?.users ?? new Map(),
      seenTransactionIds: existing?.seenTransactionIds ?? new Set(),
    });
  }

  /** Adds a user of a client (the first one by default), linked to a device unless `linked: false`. */
  addUser(userId: string, options: { linked?: boolean; clientId?: string } = {}): void {
    const client = this.#client(options.clientId);
    if (!client.users.has(userId)) {
      client.users.set(userId, { userId, devices: [], lastStatusPollAt: undefined });
    }
    if (options.linked ?? true) this.linkDevice(userId, options.clientId);
  }

  /** Links one more device for the user (creating the user); returns its device id. */
  linkDevice(userId: string, clientId?: string): string {
    const client = this.#client(clientId);
    let user = client.users.get(userId);
    if (!user) {
      user = { userId, devices: [], lastStatusPollAt: undefined };
      client.users.set(userId, user);
    }
    const deviceId = `dev-${randomUUID()}`;
    user.devices.push({ deviceId, name: 'Test phone', platform: 'simulator', linkedAt: this.#now() });
    return deviceId;
  }

  /** Removes the user's devices as if deleted on the phone (the API's disconnect-user does this too). */
  unlinkDevices(userId: string, clientId?: string): void {
    const user = this.#client(clientId).users.get(userId);
    if (user) user.devices.length = 0;
  }

  /** Sets a client's prepaid credits (the first client by default). */
  setCredits(credits: number, clientId?: string): void {
    this.#client(clientId).credits = credits;
  }

  /** A client's prepaid credits left (the first client by default). */
  credits(clientId?: string): number {
    return this.#client(clientId).credits;
  }

  /** QR payloads issued for a user, newest first (what a phone would scan). */
  qrPayloads(userId: string): string[] {
    return [...this.#qrs.values()]
      .filter((qr) => qr.userId === userId)
      .reverse()
      .map((qr) => qr.payload);
  }

  /** Stops the server and its timers. */
  close(): Promise<void> {
    return this.#server.close();
  }

  #client(clientId?: string): SimClient {
    const client = clientId === undefined ? this.#clients.values().next().value : this.#clients.get(clientId);
    if (!client) throw new Error(`Authentiq8Simulator: no client ${clientId ?? '(none registered)'}`);
    return client;
  }

  // ----- the wire -----

  async #handle(request: LoopbackRequest): Promise<LoopbackAnswer> {
    this.lastRequest = {
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
    };
    const body = parseJson(request.body);
    const selector = this.#txnTypeOf(request, body);
    const txnType = selector ?? 'invalid';
    this.#calls[txnType] = (this.#calls[txnType] ?? 0) + 1;
    if (request.path.split('?')[0] !== '/index.php') {
      return { status: 404, contentType: 'text/html', body: '<h1>404 Not Found</h1>' };
    }
    const transactionId = header(request, HEADERS.transactionId);
    const reply = await this.#dispatch(request, body, transactionId, selector);
    this.#answers[reply.code] = (this.#answers[reply.code] ?? 0) + 1;
    const variance = this.variance;
    const envelope: Json = {
      ...reply.fields,
      [ENVELOPE_FIELDS.rspMsg]: reply.code === '0000' ? 'success' : RSP_CODES[reply.code].description,
      [ENVELOPE_FIELDS.rspCode]: variance.numericCodes ? Number(reply.code) : reply.code,
    };
    const echoTransaction = reply.code === '0000' || !variance.errorsWithoutTransactionId;
    if (transactionId !== undefined && echoTransaction)
      envelope[ENVELOPE_FIELDS.transactionId] = transactionId;
    return { contentType: 'application/json', body: JSON.stringify(envelope) };
  }

  /** The call selector from where this simulator is configured to read it. */
  #txnTypeOf(request: LoopbackRequest, body: Json | undefined): string | undefined {
    const value =
      this.#txnTypeLocation === 'body'
        ? body?.[F.txnType]
        : this.#txnTypeLocation === 'header'
          ? header(request, INFERRED_TXN_TYPE_HEADER)
          : new URL(request.path, 'http://simulator').searchParams.get(F.txnType);
    return typeof value === 'string' ? value : undefined;
  }

  async #dispatch(
    request: LoopbackRequest,
    body: Json | undefined,
    transactionId: string | undefined,
    txnType: string | undefined,
  ): Promise<Reply> {
    if (request.method !== 'POST') return { code: '1003' };
    const client = this.#clients.get(header(request, HEADERS.clientId) ?? '');
    const signature = header(request, HEADERS.signature) ?? '';
    // Unknown client and bad signature look the same from outside: 1004 auth failure.
    if (!client || !verifyBody(request.body, signature, client.publicKey)) return { code: '1004' };
    if (!transactionId) return { code: '1003' };
    if (client.seenTransactionIds.has(transactionId)) return { code: '9998' };
    client.seenTransactionIds.add(transactionId);
    if (!isIP(header(request, HEADERS.clientIp) ?? '')) return { code: '1017' };
    if (!(header(request, HEADERS.contentType) ?? '').toLowerCase().startsWith('application/json')) {
      return { code: '1005' };
    }
    if (!body) return { code: '1005' };
    if (!isTxnType(txnType)) return { code: '9999' };
    return this.#handlers[txnType](client, body);
  }

  readonly #handlers: Record<TxnType, Handler> = {
    ping: (_client, body) => ({
      code: '0000',
      fields: {
        [ENVELOPE_FIELDS.pingMessage]: `Hello ${typeof body.message === 'string' ? body.message : ''}`,
        [F.serverTime]: new Date(this.#now()).toISOString(),
      },
    }),

    'get-credits': (client) => ({ code: '0000', fields: { [F.credits]: client.credits } }),

    'check-user-devices': (client, body) =>
      this.#withUser(client, body, (user) => ({
        code: '0000',
        fields: {
          [F.registered]: user.devices.length > 0,
          [F.devices]: user.devices.map((d) => ({
            [F.deviceId]: d.deviceId,
            [F.deviceName]: d.name,
            [F.devicePlatform]: d.platform,
            [F.deviceLastSeen]: new Date(d.linkedAt).toISOString(),
          })),
        },
      })),

    'disconnect-user': (client, body) =>
      this.#withUser(client, body, (user) => {
        user.devices.length = 0;
        for (const auth of this.#auths.values()) {
          if (
            auth.clientId === client.clientId &&
            auth.userId === user.userId &&
            this.#statusOf(auth) === 'pending'
          ) {
            auth.status = 'cancelled';
          }
        }
        return { code: '0000' };
      }),

    'get-qr-code': async (client, body) => {
      const userId = body[F.userId];
      if (!isId(userId)) return { code: '1003' };
      const purpose = body[F.qrPurpose];
      if (purpose !== undefined && !(INFERRED_QR_PURPOSES as readonly unknown[]).includes(purpose)) {
        return { code: '1005' };
      }
      if (!client.users.has(userId))
        client.users.set(userId, { userId, devices: [], lastStatusPollAt: undefined });
      const code = randomUUID();
      const payload = `${QR_SCHEME}${code}`;
      this.#qrs.set(code, {
        code,
        payload,
        clientId: client.clientId,
        userId,
        expiresAt: this.#now() + this.#qrLifetimeMs,
        used: false,
      });
      const qrField =
        this.#qrFormat === 'png'
          ? {
              [F.qrImage]: qrPngDataUrl(payload),
            }
          : { [F.qrPayload]: payload };
      return { code: '0000', fields: { ...qrField, [F.expiresIn]: Math.round(this.#qrLifetimeMs / 1000) } };
    },

    authenticate: (client, body) =>
      this.#withUser(client, body, (user) => {
        const message = body[F.message] ?? '';
        const action = body[F.action] ?? 'login';
        if (typeof message !== 'string' || typeof action !== 'string') return { code: '1005' };
        if (message.length > 500) return { code: '1007' };
        if (!(INFERRED_ACTIONS as readonly string[]).includes(action)) return { code: '1005' };
        if (user.devices.length === 0) return { code: '1050' };
        if (this.variance.reuseAuthId) return this.#reusedAuthId();
        if (client.credits <= 0) return { code: '1051' };
        client.credits -= 1;
        const now = this.#now();
        const auth: SimAuth = {
          authId: `auth-${randomUUID()}`,
          clientId: client.clientId,
          userId: user.userId,
          message,
          action,
          status: 'pending',
          fetched: false,
          createdAt: now,
          expiresAt: now + this.#authLifetimeMs,
          approvedAt: undefined,
        };
        this.#auths.set(auth.authId, auth);
        const echo = this.variance.echoMessage;
        return {
          code: '0000',
          fields: {
            [F.authId]: auth.authId,
            [F.expiresIn]: Math.round(this.#authLifetimeMs / 1000),
            [F.status]: 'pending',
            ...(echo === undefined ? {} : { [F.message]: echo === true ? message : echo }),
          },
        };
      }),

    'get-user-status': (client, body) =>
      this.#withUser(client, body, (user) => {
        const now = this.#now();
        // The guide: "Do not request more than once per second per user-id."
        if (user.lastStatusPollAt !== undefined && now - user.lastStatusPollAt < this.#minPollIntervalMs) {
          return { code: '1009' };
        }
        user.lastStatusPollAt = now;
        const authId = body[F.authId];
        if (authId === undefined) {
          return {
            code: '0000',
            fields: {
              [F.status]: user.devices.length > 0 ? 'linked' : 'unlinked',
              [F.statusUserId]: user.userId,
            },
          };
        }
        const auth = typeof authId === 'string' ? this.#auths.get(authId) : undefined;
        if (!auth || auth.clientId !== client.clientId || auth.userId !== user.userId)
          return { code: '1040' };
        const status = this.#statusOf(auth);
        const fields: Json = { [F.status]: status };
        if (!this.variance.noEchoes) {
          fields[F.statusUserId] = this.variance.echoUserId ?? auth.userId;
          fields[F.statusAuthId] = this.variance.echoAuthId ?? auth.authId;
        }
        if (status === 'approved' && auth.approvedAt !== undefined) {
          fields[F.approvedAt] = new Date(auth.approvedAt).toISOString();
        }
        return { code: '0000', fields };
      }),
  };

  /** The tamper `reuseAuthId`: another transaction's auth_id, as if it were a new push's. */
  #reusedAuthId(): Reply {
    this.variance.reuseAuthId = false;
    const newest = [...this.#auths.values()].pop();
    if (!newest) throw new Error('Authentiq8Simulator: no authentication to reuse the auth_id of.');
    const fields = { [F.authId]: newest.authId, [F.expiresIn]: Math.round(this.#authLifetimeMs / 1000) };
    return { code: '0000', fields: { ...fields, [F.status]: 'pending' } };
  }

  #withUser(client: SimClient, body: Json, then: (user: SimUser) => Reply): Reply {
    const userId = body[F.userId];
    if (userId === undefined) return { code: '1003' };
    if (!isId(userId)) return { code: '1005' };
    const user = client.users.get(userId);
    return user ? then(user) : { code: '1044' };
  }

  /** Lifetimes are enforced when read: a pending auth past its deadline is expired. */
  #statusOf(auth: SimAuth): AuthStatus {
    if (auth.status === 'pending' && this.#now() >= auth.expiresAt) auth.status = 'expired';
    return auth.status;
  }

  // ----- the phone -----

  #makePhone(): Authentiq8Phone {
    const pendingAuth = (id: string): SimAuth | undefined => {
      const auth = this.#auths.get(id);
      return auth && this.#statusOf(auth) === 'pending' ? auth : undefined;
    };
    return {
      pending: (userId?: string): PhoneRequest[] =>
        [...this.#auths.values()]
          .filter(
            (auth) => (userId === undefined || auth.userId === userId) && this.#statusOf(auth) === 'pending',
          )
          .reverse()
          .map((auth) => ({
            id: auth.authId,
            userId: auth.userId,
            bindingMessage: auth.message,
            // Anything but a login is an action to approve: the app shows what the message says.
            ...(auth.action === 'login' ? {} : { action: auth.message }),
            fetched: auth.fetched,
            createdAt: auth.createdAt,
            expiresAt: auth.expiresAt,
          })),
      // The API has no "seen" state: fetching only marks the request for the phone's own list.
      fetch: (id) => {
        const auth = pendingAuth(id);
        if (auth) auth.fetched = true;
      },
      approve: (id) => {
        const auth = pendingAuth(id);
        if (!auth) return false;
        auth.status = 'approved';
        auth.approvedAt = this.#now();
        this.#webhook?.send({ userId: auth.userId, authId: auth.authId, status: auth.status });
        return true;
      },
      deny: (id) => {
        const auth = pendingAuth(id);
        if (!auth) return;
        auth.status = 'declined';
        this.#webhook?.send({ userId: auth.userId, authId: auth.authId, status: auth.status });
      },
      expire: (id) => {
        const auth = pendingAuth(id);
        if (!auth) return;
        auth.status = 'expired';
        this.#webhook?.send({ userId: auth.userId, authId: auth.authId, status: auth.status });
      },
      scanQr: (payload) => {
        const qr = payload.startsWith(QR_SCHEME) ? this.#qrs.get(payload.slice(QR_SCHEME.length)) : undefined;
        if (!qr || qr.used || this.#now() >= qr.expiresAt) return false;
        qr.used = true;
        this.linkDevice(qr.userId, qr.clientId);
        return true;
      },
    };
  }
}

function parseJson(body: Buffer): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function header(request: LoopbackRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function isTxnType(value: unknown): value is TxnType {
  return (TXN_TYPES as readonly unknown[]).includes(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= 256;
}

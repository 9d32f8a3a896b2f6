/**
 * A BankID RP API v6 server on loopback: HTTPS that demands a client certificate from its own test
 * CA, JSON requests checked field by field as the real server does (`invalidParameters` otherwise),
 * orders in memory with BankID's hint codes, an animated-QR check, and a phone that scans, opens,
 * signs, approves and cancels. The clock is injectable so tests move time instead of waiting.
 *
 * Inferred where the RP API documentation says nothing precise (see README, "BankID"): unknown
 * request fields are refused; an unknown `orderRef` is `invalidParameters`; the QR code read by the
 * phone may be up to one second old.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { bankIdTestCertificates, type BankIdTestCertificates, type PemPair } from './bankid-test-ca';
import { answerThroughFault, FaultQueue } from './loopback-server';
import type { Fault, Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';

/**
 * The person who approves in the app.
 *
 * @example
 * ```ts
 * import type { BankIdPerson } from 'passport-push/testing';
 *
 * const alva: Partial<BankIdPerson> = {
 *   personalNumber: '198512249874',
 *   givenName: 'Alva',
 *   surname: 'Lind',
 * };
 * ```
 */
export interface BankIdPerson {
  /** The 12-digit Swedish personal number (use test numbers only). */
  personalNumber: string;
  /** The person's given name. */
  givenName: string;
  /** The person's surname. */
  surname: string;
}

/**
 * Time limits, clock and default person of a simulator.
 *
 * @example
 * ```ts
 * import { BankIdSimulator } from 'passport-push/testing';
 *
 * await BankIdSimulator.start({ now: clock.now, orderLifetimeMs: 60_000 });
 * ```
 */
export interface BankIdSimulatorOptions {
  /** The clock, for tests that move time. Default `Date.now`. */
  now?: () => number;
  /** How long an order waits for the app to start (QR scanned or autostart) before `startFailed`. Default 30 000 ms. */
  startLifetimeMs?: number;
  /** How long an order lives before `expiredTransaction`. Default 180 000 ms. */
  orderLifetimeMs?: number;
  /** Who approves when the order names no personal number and the test names nobody. */
  defaultPerson?: BankIdPerson;
}

/**
 * The client side of the mutual TLS, for the provider's options.
 *
 * @example
 * ```ts
 * import { BankIdSimulator } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * const { pfx, passphrase, ca } = sim.clientCertificate();
 * ```
 */
export interface BankIdClientCertificate {
  /** The RP certificate, PEM. */
  cert: string;
  /** Its private key, PEM. */
  key: string;
  /** Certificate and key as PKCS#12 (the provider's `pfx`). */
  pfx: Buffer;
  /** The PKCS#12 file's passphrase. */
  passphrase: string;
  /** The CA of the simulator's server certificate (the provider's `ca`). */
  ca: string;
}

/**
 * The last request the server received, parsed.
 *
 * @example
 * ```ts
 * import { BankIdSimulator } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * // … after a start:
 * console.log(sim.lastRequest);
 * ```
 */
export interface BankIdReceivedRequest {
  /** The HTTP method. */
  method: string;
  /** The request path (for example `/rp/v6.0/auth`). */
  path: string;
  /** The `Content-Type` header; undefined when absent. */
  contentType: string | undefined;
  /** The body as text. */
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

/**
 * A pending hint code, or any other the test wants the server to send.
 *
 * @example
 * ```ts
 * import { BankIdSimulator, type BankIdPendingHint } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * const hint: BankIdPendingHint = 'userSign';
 * // … after a start: sim.setHint(orderRef, hint);
 * ```
 */
export type BankIdPendingHint =
  | 'outstandingTransaction'
  | 'noClient'
  | 'started'
  | 'userMrtd'
  | 'userCallConfirm'
  | 'userSign'
  | (string & {});

/**
 * What the simulator knows about one order.
 *
 * @example
 * ```ts
 * import { BankIdSimulator } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * // … after a start:
 * const [order] = sim.orderList();
 * ```
 */
export interface BankIdSimulatedOrder {
  /** The order's reference, as `/auth` answered it. */
  orderRef: string;
  /** The order's status, as `/collect` answers it. */
  status: 'pending' | 'failed' | 'complete';
  /** The hint code `/collect` sends with it; undefined when none. */
  hintCode: string | undefined;
  /** The personal number the order is limited to, if any. */
  personalNumber: string | undefined;
  /** Whether the app has the order (QR scanned or autostart used). */
  started: boolean;
  /** When the order was created, in epoch ms by the simulator's clock. */
  createdAt: number;
  /** The `/auth` body as received. */
  request: Readonly<Record<string, unknown>>;
}

interface Order extends BankIdSimulatedOrder {
  autoStartToken: string;
  qrStartToken: string;
  qrStartSecret: string;
  endUserIp: string;
  completion: Record<string, unknown> | undefined;
}

/** BankID's documented HTTP status for each error code. */
const ERROR_STATUS: Readonly<Record<string, number>> = {
  alreadyInProgress: 400,
  invalidParameters: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  requestTimeout: 408,
  unsupportedMediaType: 415,
  internalError: 500,
  maintenance: 503,
};

/**
 * A fault that makes the server answer with BankID's error JSON for `errorCode`.
 *
 * @example
 * ```ts
 * import { bankIdErrorFault, BankIdSimulator } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * sim.faults.inject(bankIdErrorFault('maintenance'), 1); // the next call answers 503 maintenance
 * ```
 */
export function bankIdErrorFault(errorCode: string, details = 'Simulated error.'): Fault {
  return {
    kind: 'status',
    status: ERROR_STATUS[errorCode] ?? 400,
    contentType: 'application/json',
    body: JSON.stringify({ errorCode, details }),
  };
}

const PERSONAL_NUMBER = /^\d{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const OID = /^[0-2](?:\.\d+)+(?:\.\*)?$/;
const AUTH_FIELDS = new Set([
  'endUserIp',
  'requirement',
  'userVisibleData',
  'userVisibleDataFormat',
  'userNonVisibleData',
  'returnUrl',
  'returnRisk',
  'web',
  'app',
]);
const REQUIREMENT_FIELDS = new Set([
  'pinCode',
  'mrtd',
  'cardReader',
  'certificatePolicies',
  'personalNumber',
]);
const MAX_REQUEST_BYTES = 64 * 1024;

const DEFAULT_PERSON: BankIdPerson = {
  personalNumber: '199001011239',
  givenName: 'Testa',
  surname: 'Testsson',
};

type Answer = { status: number; body: string; contentType?: string };

class InvalidParameters extends Error {}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const bankIdError = (errorCode: string, details: string): Answer =>
  json(ERROR_STATUS[errorCode] ?? 400, { errorCode, details });

/**
 * A BankID RP API v6 server on loopback, with mutual TLS, a phone and faults (see the file comment).
 *
 * @example
 * ```ts
 * import { BankIdProvider } from 'passport-push';
 * import { BankIdSimulator } from 'passport-push/testing';
 *
 * const sim = await BankIdSimulator.start();
 * const bankId = new BankIdProvider(sim.providerOptions());
 * const { handle } = await bankId.start({ clientIp: '192.0.2.10' }, signal);
 * const orderRef = sim.scanQr(bankId.currentDisplay(handle, Date.now())!.qr!);
 * sim.userSign(orderRef);
 * sim.approve(orderRef, { personalNumber: '198512249874', givenName: 'Alva', surname: 'Lind' });
 * ```
 */
export class BankIdSimulator implements ProviderSimulator {
  /** The last request received, valid or not. */
  lastRequest: BankIdReceivedRequest | undefined;
  /** The simulated BankID app of every person. */
  readonly phone: Phone;
  private readonly faultQueue = new FaultQueue();
  /** Fault injection for the next calls. */
  readonly faults: Faults = this.faultQueue;
  private readonly orders = new Map<string, Order>();
  private readonly counts: Record<string, number> = {};
  private readonly now: () => number;
  private readonly startLifetimeMs: number;
  private readonly orderLifetimeMs: number;
  private readonly defaultPerson: BankIdPerson;
  private server: Server | undefined;
  private baseUrl = '';

  /** Starts the HTTPS server on 127.0.0.1, port 0. */
  static async start(options: BankIdSimulatorOptions = {}): Promise<BankIdSimulator> {
    const simulator = new BankIdSimulator(options, await bankIdTestCertificates());
    await simulator.listen();
    return simulator;
  }

  private constructor(
    options: BankIdSimulatorOptions,
    private readonly certificates: BankIdTestCertificates,
  ) {
    this.now = options.now ?? Date.now;
    this.startLifetimeMs = options.startLifetimeMs ?? 30_000;
    this.orderLifetimeMs = options.orderLifetimeMs ?? 180_000;
    this.defaultPerson = options.defaultPerson ?? DEFAULT_PERSON;
    this.phone = this.makePhone();
  }

  /** The provider's `baseUrl`: `https://127.0.0.1:<port>/rp/v6.0`. */
  get url(): string {
    if (this.baseUrl === '') throw new Error('BankIdSimulator: use BankIdSimulator.start().');
    return this.baseUrl;
  }

  /** Requests received per endpoint (`auth`, `collect`, `cancel`, or the path for anything else). */
  get calls(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** Everything `new BankIdProvider(…)` needs to talk to this simulator (PKCS#12 client certificate). */
  providerOptions(): {
    /** The simulator's URL. */
    baseUrl: string;
    /** The trusted RP certificate and key, PKCS#12. */
    pfx: Buffer;
    /** The PKCS#12 file's passphrase. */
    passphrase: string;
    /** The CA of the simulator's server certificate. */
    ca: string;
  } {
    const { pfx, passphrase } = this.certificates.client;
    return { baseUrl: this.url, pfx, passphrase, ca: this.certificates.ca };
  }

  /** The RP certificate the server accepts (PEM and PKCS#12) and the CA to trust the server with. */
  clientCertificate(): BankIdClientCertificate {
    return { ...this.certificates.client, ca: this.certificates.ca };
  }

  /** A client certificate from another CA: the server refuses it in the TLS handshake. */
  untrustedClientCertificate(): PemPair {
    return { ...this.certificates.foreignClient };
  }

  /** A CA that did not sign the server's certificate: a provider trusting it must refuse the server. */
  foreignCa(): string {
    return this.certificates.foreignCa;
  }

  /**
   * While on, the server trusts no client certificate (as if the RP certificate were revoked or
   * from the other environment). Open connections are closed so the next call shakes hands anew.
   */
  refuseClientCertificates(on: boolean): void {
    const server = this.listening();
    server.setSecureContext({
      ...this.certificates.server,
      ca: on ? this.certificates.foreignCa : this.certificates.ca,
    });
    server.closeAllConnections();
  }

  /** Every order, oldest first, with its current status. */
  orderList(): BankIdSimulatedOrder[] {
    return [...this.orders.values()].map((order) => this.view(this.refresh(order)));
  }

  /** One order by reference. */
  order(orderRef: string): BankIdSimulatedOrder {
    return this.view(this.live(orderRef, false));
  }

  /**
   * The phone reads the QR code: it must name a pending order, and carry the right HMAC for the
   * current second (or the one before: the page may be a frame behind). Returns the orderRef.
   */
  scanQr(qr: string): string {
    const match = /^bankid\.([0-9A-Za-z-]+)\.(\d{1,6})\.([0-9a-f]{64})$/.exec(qr);
    if (!match) throw new Error('BankIdSimulator: not BankID QR data.');
    const [, token, seconds, code] = match as unknown as [string, string, string, string];
    const order = [...this.orders.values()].find((o) => o.qrStartToken === token);
    if (!order) throw new Error('BankIdSimulator: the QR code names no order.');
    this.refresh(order);
    if (order.status !== 'pending') throw new Error(`BankIdSimulator: the order is ${order.status}.`);
    const current = Math.floor((this.now() - order.createdAt) / 1000);
    const time = Number(seconds);
    if (time !== current && time !== current - 1) {
      throw new Error(`BankIdSimulator: the QR code is for second ${time}, it is second ${current}.`);
    }
    const expected = createHmac('sha256', order.qrStartSecret).update(String(time)).digest('hex');
    if (code !== expected) throw new Error('BankIdSimulator: the QR code has the wrong HMAC.');
    this.startOrder(order);
    return order.orderRef;
  }

  /** The app is opened on the same device with the autostart token. Returns the orderRef. */
  openWithAutostart(autoStartToken: string): string {
    const order = [...this.orders.values()].find((o) => o.autoStartToken === autoStartToken);
    if (!order) throw new Error('BankIdSimulator: no order has that autostart token.');
    this.refresh(order);
    if (order.status !== 'pending') throw new Error(`BankIdSimulator: the order is ${order.status}.`);
    this.startOrder(order);
    return order.orderRef;
  }

  /** Any pending hint code (including ones the provider does not know). */
  setHint(orderRef: string, hintCode: BankIdPendingHint): void {
    this.live(orderRef).hintCode = hintCode;
  }

  /** The user has picked the BankID and is asked for the security code. */
  userSign(orderRef: string): void {
    const order = this.live(orderRef);
    if (!order.started) throw new Error('BankIdSimulator: the app does not have the order yet.');
    order.hintCode = 'userSign';
  }

  /**
   * The user approves. The order must be in the app, and for this person if it names one. A `/sign`
   * order's signature holds the texts the order sent, or `signed`'s (a tampered app or server:
   * another text shown and signed, other hidden data).
   */
  approve(orderRef: string, person: Partial<BankIdPerson> = {}, signed: BankIdSignedTexts = {}): void {
    const order = this.live(orderRef);
    if (!order.started) throw new Error('BankIdSimulator: the app does not have the order yet.');
    const who: BankIdPerson = {
      ...this.defaultPerson,
      ...(order.personalNumber === undefined ? {} : { personalNumber: order.personalNumber }),
      ...person,
    };
    if (order.personalNumber !== undefined && who.personalNumber !== order.personalNumber) {
      throw new Error('BankIdSimulator: the order is for another personal number.');
    }
    order.status = 'complete';
    order.hintCode = undefined;
    order.completion = this.completionData(order, who, signed);
  }

  /**
   * The `/collect` answer the server would give for `orderRef` now, as an object: the material for
   * a tampered answer (another order, another person) injected with a `body` fault.
   *
   * @example
   * ```ts
   * import { BankIdSimulator } from 'passport-push/testing';
   *
   * const sim = await BankIdSimulator.start();
   * declare const orderRef: string; // an order the phone approved
   * const real = sim.collectAnswer(orderRef);
   * sim.faults.inject({ kind: 'body', body: JSON.stringify({ ...real, orderRef: crypto.randomUUID() }) }, 1);
   * ```
   */
  collectAnswer(orderRef: string): Record<string, unknown> {
    return structuredClone(this.collect(this.live(orderRef, false)));
  }

  /** The user presses Cancel in the app (`userCancel`). */
  cancelByUser(orderRef: string): void {
    this.fail(orderRef, 'userCancel');
  }

  /** Ends the order with any failure hint code (`certificateErr`, `startFailed`, or an unknown one). */
  fail(orderRef: string, hintCode: string): void {
    const order = this.live(orderRef);
    order.status = 'failed';
    order.hintCode = hintCode;
  }

  /** Stops the server; the URL stays known, so a provider now meets a closed port. */
  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    // Closing twice is harmless (a test may close early to see a closed port).
    this.server = undefined;
    server.closeAllConnections();
    return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private async listen(): Promise<void> {
    const server = createServer(
      { ...this.certificates.server, ca: this.certificates.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => this.receive(req, res),
    );
    // A refused handshake is the expected outcome of some tests, not a server fault.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/rp/v6.0`;
  }

  private listening(): Server {
    if (!this.server) throw new Error('BankIdSimulator: use BankIdSimulator.start().');
    return this.server;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      this.serve(req, Buffer.concat(chunks).toString('utf8'), res).catch((error: unknown) => {
        send(res, bankIdError('internalError', `Simulator error: ${(error as Error).message}`));
      });
    });
  }

  private serve(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    return answerThroughFault(res, this.faultQueue.take(), () => this.handle(req, body), 'application/json');
  }

  private handle(req: IncomingMessage, body: string): Answer {
    const path = req.url ?? '/';
    const contentType = req.headers['content-type'];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      parsed = undefined;
    }
    this.lastRequest = { method: req.method ?? 'GET', path, contentType, body, json: parsed };
    const endpoint = /^\/rp\/v6\.0\/(auth|sign|collect|cancel)$/.exec(path)?.[1];
    this.counts[endpoint ?? path] = (this.counts[endpoint ?? path] ?? 0) + 1;
    if (endpoint === undefined) return bankIdError('notFound', 'No such endpoint.');
    if (req.method !== 'POST') return bankIdError('methodNotAllowed', 'Only POST is allowed.');
    if (!/^application\/json(?:\s*;.*)?$/i.test(contentType ?? '')) {
      return bankIdError('unsupportedMediaType', 'Content-Type must be application/json.');
    }
    try {
      const request = record(parsed, 'The body');
      if (endpoint === 'auth' || endpoint === 'sign') return this.auth(request, endpoint);
      const order = this.known(request);
      if (endpoint === 'cancel') {
        if (order.status === 'pending') {
          order.status = 'failed';
          order.hintCode = 'cancelled';
        }
        return json(200, {});
      }
      return json(200, this.collect(order));
    } catch (error) {
      if (error instanceof InvalidParameters) return bankIdError('invalidParameters', error.message);
      throw error;
    }
  }

  /** `/auth`, or `/sign` (an action: its text up to 40,000 characters is required, and signed). */
  private auth(request: Readonly<Record<string, unknown>>, endpoint: 'auth' | 'sign' = 'auth'): Answer {
    for (const key of Object.keys(request)) {
      if (!AUTH_FIELDS.has(key)) throw new InvalidParameters(`Unknown parameter ${key}.`);
    }
    const endUserIp = request['endUserIp'];
    if (typeof endUserIp !== 'string' || isIP(endUserIp) === 0)
      throw new InvalidParameters('Invalid endUserIp.');
    const personalNumber = checkRequirement(request['requirement']);
    const visible = request['userVisibleData'];
    const maxVisible = endpoint === 'sign' ? 40_000 : 1500;
    if (
      (visible !== undefined || endpoint === 'sign') &&
      !(
        typeof visible === 'string' &&
        visible.length > 0 &&
        visible.length <= maxVisible &&
        BASE64.test(visible)
      )
    ) {
      throw new InvalidParameters('Invalid userVisibleData.');
    }
    const hidden = request['userNonVisibleData'];
    if (
      hidden !== undefined &&
      !(
        endpoint === 'sign' &&
        typeof hidden === 'string' &&
        hidden.length > 0 &&
        hidden.length <= 200_000 &&
        BASE64.test(hidden)
      )
    ) {
      throw new InvalidParameters('Invalid userNonVisibleData.');
    }
    const format = request['userVisibleDataFormat'];
    if (format !== undefined && (format !== 'simpleMarkdownV1' || visible === undefined)) {
      throw new InvalidParameters('Invalid userVisibleDataFormat.');
    }
    if (request['returnRisk'] !== undefined && typeof request['returnRisk'] !== 'boolean') {
      throw new InvalidParameters('Invalid returnRisk.');
    }
    if (personalNumber !== undefined) {
      const running = [...this.orders.values()].filter(
        (o) => o.personalNumber === personalNumber && this.refresh(o).status === 'pending',
      );
      if (running.length > 0) {
        // BankID cancels the order already running for this person, and refuses the new one.
        for (const order of running) {
          order.status = 'failed';
          order.hintCode = 'cancelled';
        }
        return bankIdError('alreadyInProgress', 'Order already in progress for pno.');
      }
    }
    const order: Order = {
      orderRef: randomUUID(),
      autoStartToken: randomUUID(),
      qrStartToken: randomUUID(),
      qrStartSecret: randomUUID(),
      status: 'pending',
      hintCode: 'outstandingTransaction',
      personalNumber,
      started: false,
      createdAt: this.now(),
      endUserIp,
      request: { ...request },
      completion: undefined,
    };
    this.orders.set(order.orderRef, order);
    const { orderRef, autoStartToken, qrStartToken, qrStartSecret } = order;
    return json(200, { orderRef, autoStartToken, qrStartToken, qrStartSecret });
  }

  private known(request: Readonly<Record<string, unknown>>): Order {
    for (const key of Object.keys(request)) {
      if (key !== 'orderRef') throw new InvalidParameters(`Unknown parameter ${key}.`);
    }
    const orderRef = request['orderRef'];
    if (typeof orderRef !== 'string') throw new InvalidParameters('Invalid orderRef.');
    const order = this.orders.get(orderRef);
    if (!order) throw new InvalidParameters('No such order.');
    return this.refresh(order);
  }

  private collect(order: Order): Record<string, unknown> {
    const answer: Record<string, unknown> = { orderRef: order.orderRef, status: order.status };
    if (order.hintCode !== undefined) answer['hintCode'] = order.hintCode;
    if (order.status === 'complete') answer['completionData'] = order.completion;
    return answer;
  }

  private completionData(
    order: Order,
    person: BankIdPerson,
    signed: BankIdSignedTexts,
  ): Record<string, unknown> {
    const requirement = (order.request['requirement'] ?? {}) as Record<string, unknown>;
    const data: Record<string, unknown> = {
      user: {
        personalNumber: person.personalNumber,
        name: `${person.givenName} ${person.surname}`,
        givenName: person.givenName,
        surname: person.surname,
      },
      device: { ipAddress: order.endUserIp, uhi: randomBytes(18).toString('base64url') },
      bankIdIssueDate: '2024-01-15Z',
      signature: Buffer.from(signatureXml(order, signed)).toString('base64'),
      ocspResponse: randomBytes(48).toString('base64'),
    };
    if (requirement['mrtd'] === true) data['stepUp'] = { mrtd: true };
    if (order.request['returnRisk'] === true) data['risk'] = 'low';
    return data;
  }

  private startOrder(order: Order): void {
    order.started = true;
    order.hintCode = 'started';
  }

  /** Applies the time limits: no app within `startLifetimeMs` → startFailed; past the lifetime → expiredTransaction. */
  private refresh(order: Order): Order {
    if (order.status !== 'pending') return order;
    const age = this.now() - order.createdAt;
    if (age >= this.orderLifetimeMs) {
      order.status = 'failed';
      order.hintCode = 'expiredTransaction';
    } else if (!order.started && age >= this.startLifetimeMs) {
      order.status = 'failed';
      order.hintCode = 'startFailed';
    }
    return order;
  }

  private live(orderRef: string, mustBePending = true): Order {
    const order = this.orders.get(orderRef);
    if (!order) throw new Error('BankIdSimulator: no such order.');
    this.refresh(order);
    if (mustBePending && order.status !== 'pending')
      throw new Error(`BankIdSimulator: the order is ${order.status}.`);
    return order;
  }

  private view(order: Order): BankIdSimulatedOrder {
    const { orderRef, status, hintCode, personalNumber, started, createdAt, request } = order;
    return { orderRef, status, hintCode, personalNumber, started, createdAt, request };
  }

  private makePhone(): Phone {
    const toRequest = (order: Order): PhoneRequest => ({
      id: order.orderRef,
      userId: order.personalNumber ?? '',
      fetched: order.started,
      createdAt: order.createdAt,
      expiresAt: order.createdAt + this.orderLifetimeMs,
    });
    return {
      pending: (userId) =>
        [...this.orders.values()]
          .filter((o) => this.refresh(o).status === 'pending')
          .filter((o) => userId === undefined || o.personalNumber === userId)
          .reverse()
          .map(toRequest),
      fetch: (id) => {
        const order = this.live(id);
        if (!order.started) this.startOrder(order);
      },
      approve: (id) => {
        const order = this.live(id);
        if (!order.started) this.startOrder(order);
        this.approve(id);
        return true;
      },
      deny: (id) => this.cancelByUser(id),
      expire: (id) => this.fail(id, 'expiredTransaction'),
    };
  }
}

/**
 * What a tampered `/sign` signature holds instead of the order's texts (plain text, not base64).
 *
 * @example
 * ```ts
 * import type { BankIdSimulator } from 'passport-push/testing';
 *
 * declare const sim: BankIdSimulator;
 * declare const orderRef: string; // a /sign order the app has opened
 * sim.approve(orderRef, {}, { visibleText: 'Approve payment\n\nAmount: 5000.00 EUR' });
 * ```
 */
export interface BankIdSignedTexts {
  /** The text the signature says was shown and signed. */
  visibleText?: string;
  /** The hidden data the signature says was signed. */
  nonVisibleText?: string;
}

/** A signature's XML in BankID's shape (not cryptographically valid): what was signed, for the RP to read. */
function signatureXml(order: Order, signed: BankIdSignedTexts): string {
  const encode = (text: string | undefined) =>
    text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64');
  const visible = encode(signed.visibleText) ?? order.request['userVisibleData'];
  const hidden = encode(signed.nonVisibleText) ?? order.request['userNonVisibleData'];
  const signedData =
    (typeof visible === 'string'
      ? `<usrVisibleData charset="UTF-8" visible="wysiwys">${visible}</usrVisibleData>`
      : '') +
    (typeof hidden === 'string' ? `<usrNonVisibleData>${hidden}</usrNonVisibleData>` : '') +
    '<srvInfo><name>simulated</name></srvInfo><clientInfo><funcId>Signing</funcId></clientInfo>';
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' +
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>simulated</SignatureValue>' +
    `<Object><bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" Id="bidSignedData">${signedData}</bankIdSignedData></Object></Signature>`
  );
}

function record(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameters(`${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** Checks `requirement` as the server does; returns its personal number, if any. */
function checkRequirement(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const requirement = record(value, 'requirement');
  for (const key of Object.keys(requirement)) {
    if (!REQUIREMENT_FIELDS.has(key)) throw new InvalidParameters(`Unknown requirement ${key}.`);
  }
  for (const flag of ['pinCode', 'mrtd']) {
    if (requirement[flag] !== undefined && typeof requirement[flag] !== 'boolean') {
      throw new InvalidParameters(`Invalid requirement.${flag}.`);
    }
  }
  const cardReader = requirement['cardReader'];
  if (cardReader !== undefined && cardReader !== 'class1' && cardReader !== 'class2') {
    throw new InvalidParameters('Invalid requirement.cardReader.');
  }
  const policies = requirement['certificatePolicies'];
  if (
    policies !== undefined &&
    !(Array.isArray(policies) && policies.every((p) => typeof p === 'string' && OID.test(p)))
  ) {
    throw new InvalidParameters('Invalid requirement.certificatePolicies.');
  }
  const personalNumber = requirement['personalNumber'];
  if (personalNumber === undefined) return undefined;
  if (typeof personalNumber !== 'string' || !PERSONAL_NUMBER.test(personalNumber)) {
    throw new InvalidParameters('Invalid requirement.personalNumber.');
  }
  return personalNumber;
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
  res.end(answer.body);
}

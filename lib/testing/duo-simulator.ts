/**
 * A Duo Auth API v2 server on loopback: it checks every request's HMAC signature and `Date` skew,
 * keeps users and their devices, answers preauth, sends "pushes" to a phone API, and holds
 * `auth_status` until the phone answers (at most `holdCapMs`).
 *
 * Inferred where Duo publishes no exact value (see README, "Duo"): the 401 error codes and
 * messages, the allowed clock skew (300 s), the hold cap, and strict refusal of unknown parameters.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { duoSignature, sameSignature, type DuoParams } from '../providers/duo/signing';
import {
  startLoopbackServer,
  type LoopbackAnswer,
  type LoopbackRequest,
  type LoopbackServer,
} from './loopback-server';
import type { Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';

/**
 * One of a user's devices, as preauth lists it.
 *
 * @example
 * ```ts
 * import type { DuoSimulatorDevice } from 'passport-push/testing';
 *
 * declare const device: DuoSimulatorDevice;
 * ```
 */
export interface DuoSimulatorDevice {
  /** Duo's device ID (`device` in preauth's answer). */
  device: string;
  /** What the device can do (for example `push`, `sms`), as preauth lists it. */
  capabilities: readonly string[];
  /** The device type (for example `phone`); absent when preauth omits it. */
  type?: string;
  /** The name the user sees for the device; absent when preauth omits it. */
  display_name?: string;
}

/**
 * How the simulator treats one user.
 *
 * @example
 * ```ts
 * import { DuoSimulator, type DuoSimulatorUser } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start();
 * const carol: DuoSimulatorUser = {};
 * sim.addUser('carol', carol);
 * ```
 */
export interface DuoSimulatorUser {
  /** What preauth answers for this user. Default `auth`. */
  preauth?: 'auth' | 'allow' | 'deny' | 'enroll';
  /** Default: one phone with `auto`, `push`, `sms`, `phone`, `mobile_otp`. */
  devices?: readonly DuoSimulatorDevice[];
}

/**
 * Settings of a `DuoSimulator`; all optional.
 *
 * @example
 * ```ts
 * import { DuoSimulator } from 'passport-push/testing';
 *
 * await DuoSimulator.start({ users: ['alice', 'bob'] });
 * ```
 */
export interface DuoSimulatorOptions {
  /** Default: a random valid key. */
  integrationKey?: string;
  /** Default: a random valid key. */
  secretKey?: string;
  /** Users that exist (case-insensitive), each with a push-capable phone. More with `addUser`. */
  users?: readonly string[];
  /** Preauth for a username Duo does not know (Duo's "new user policy"). Default `enroll`. */
  newUserPolicy?: 'enroll' | 'deny' | 'allow';
  /** Longest `auth_status` hold before answering `waiting` anyway. Default 20 000 ms; 0 answers at once. */
  holdCapMs?: number;
  /** How far a request's `Date` may be from the simulator's clock. Default 300 s. */
  maxSkewSeconds?: number;
  /** The clock, for skew tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * Duo-specific faults, on top of the generic `faults`.
 *
 * @example
 * ```ts
 * import { DuoSimulator, type DuoFault } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start({ users: ['alice'] });
 * declare const fault: DuoFault;
 * sim.injectFault(fault, 1);
 * ```
 */
export type DuoFault =
  | 'rate_limited'
  | 'server_error'
  | 'bad_signature'
  | 'malformed_json'
  | {
      /** The fault: a slow answer. */
      kind: 'slow';
      /** How long the answer waits, in ms. */
      ms: number;
    };

/**
 * The phone of every simulated user: Duo Push's four outcomes.
 *
 * @example
 * ```ts
 * import { DuoSimulator } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start({ users: ['alice'] });
 * // … after a start:
 * sim.phone.reportFraud(sim.phone.pending('alice')[0]!.id);
 * ```
 */
export interface DuoPhone extends Phone {
  /** The user taps "Approve". */
  approve(id: string): boolean;
  /** The user taps "Deny". */
  deny(id: string): void;
  /** The user denies and reports the push as fraudulent. */
  reportFraud(id: string): void;
  /** The push times out unanswered. */
  timeout(id: string): void;
  /** The `pushinfo` pairs the phone shows under a pending push. */
  pushInfo(id: string): Readonly<Record<string, string>>;
}

/**
 * How the simulator lies in its `/auth` answers, for tests that the library fails closed: instead
 * of a new push for the user asked for, it answers with the `txid` of another transaction (the
 * newest earlier one, or the newest one of another user) and pushes nothing.
 *
 * @example
 * ```ts
 * import { DuoSimulator } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start({ users: ['alice', 'bob'] });
 * sim.tamperNextAuth({ kind: 'txid-of-user', user: 'bob' });
 * ```
 */
export type DuoTamper =
  | {
      /** Answer with the txid of the newest earlier transaction, whoever it was for. */
      kind: 'reused-txid';
    }
  | {
      /** Answer with the txid of the newest transaction of `user`: another user's approval. */
      kind: 'txid-of-user';
      /** The other user, whose push (and its answer) stands in for the one asked for. */
      user: string;
    };

/**
 * What the server received last, after the signature check, for exact wire assertions.
 *
 * @example
 * ```ts
 * import { DuoSimulator } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start({ users: ['alice'] });
 * // … after a start:
 * console.log(sim.lastRequest?.params);
 * ```
 */
export interface DuoReceivedRequest {
  /** The HTTP method. */
  method: string;
  /** The request path (for example `/auth/v2/auth`). */
  path: string;
  /** The `Content-Type` header; undefined when absent. */
  contentType: string | undefined;
  /** The `Date` header the signature covers; undefined when absent. */
  date: string | undefined;
  /** The request's parameters, from the query or the form body. */
  params: DuoParams;
}

interface Transaction {
  txid: string;
  seq: number;
  username: string;
  result: 'waiting' | 'allow' | 'deny';
  status: string;
  statusMsg: string;
  pushinfo: string;
  /** The push's title (`type`), when the request named one. */
  type: string | undefined;
  createdAt: number;
  /** Resolvers of held `auth_status` calls, released when the phone answers. */
  waiters: Set<() => void>;
}

const DEFAULT_DEVICE: DuoSimulatorDevice = {
  device: 'DPFZRS9FB0D46QFTM891',
  type: 'phone',
  display_name: 'iOS (XXX-XXX-0100)',
  capabilities: ['auto', 'push', 'sms', 'phone', 'mobile_otp'],
};

const ROUTES: Readonly<Record<string, { method: 'GET' | 'POST'; required: string[]; optional: string[] }>> = {
  '/auth/v2/preauth': { method: 'POST', required: ['username'], optional: ['ipaddr'] },
  '/auth/v2/auth': {
    method: 'POST',
    required: ['username', 'factor', 'device', 'async'],
    optional: ['ipaddr', 'type', 'display_username', 'pushinfo'],
  },
  '/auth/v2/auth_status': { method: 'GET', required: ['txid'], optional: [] },
};

/** Duo documents that the URL-encoded `pushinfo` "must be less than 20,000 bytes". */
const MAX_PUSHINFO_BYTES = 20_000;

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomKey(length: number, alphabet: string): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function ok(response: unknown): LoopbackAnswer {
  return { contentType: 'application/json', body: JSON.stringify({ stat: 'OK', response }) };
}

function fail(status: number, code: number, message: string, detail?: string): LoopbackAnswer {
  const body: Record<string, unknown> = { stat: 'FAIL', code, message };
  if (detail !== undefined) body['message_detail'] = detail;
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

const invalidParams = (detail: string): LoopbackAnswer =>
  fail(400, 40002, 'Invalid request parameters', detail);

/** Duo's documented push status texts, for what the wait page shows. */
const STATUS_MESSAGES: Readonly<Record<string, string>> = {
  pushed: 'Pushed a login request to your device...',
  allow: 'Success. Logging you in...',
  deny: 'Login request denied.',
  fraud: 'Login request reported as fraudulent.',
  timeout: 'Login timed out.',
};

/**
 * A Duo Auth API v2 server on loopback with a phone you drive from tests (see the file comment).
 *
 * @example
 * ```ts
 * import { DuoProvider } from 'passport-push';
 * import { DuoSimulator } from 'passport-push/testing';
 *
 * const sim = await DuoSimulator.start({ users: ['alice'] });
 * const duo = new DuoProvider({
 *   integrationKey: sim.integrationKey,
 *   secretKey: sim.secretKey,
 *   apiHost: sim.apiHost,
 *   allowInsecureHttp: true,
 * });
 * // … start a login, then:
 * sim.phone.approve(sim.phone.pending('alice')[0]!.id);
 * ```
 */
export class DuoSimulator implements ProviderSimulator {
  /** The integration key to give `DuoProvider` (its `integrationKey`). */
  readonly integrationKey: string;
  /** The secret key to give `DuoProvider` (its `secretKey`). */
  readonly secretKey: string;
  /** The simulated phone of every user. */
  readonly phone: DuoPhone;
  /** The last request that passed the signature check. */
  lastRequest: DuoReceivedRequest | undefined;
  private server: LoopbackServer | undefined;
  private readonly users = new Map<string, Required<DuoSimulatorUser>>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly counts: Record<string, number> = {};
  private readonly newUserPolicy: 'enroll' | 'deny' | 'allow';
  private readonly holdCapMs: number;
  private readonly maxSkewMs: number;
  private readonly now: () => number;
  private readonly heldListeners = new Set<() => void>();
  private heldCount = 0;
  private seq = 0;
  private tamper: DuoTamper | undefined;

  /** Starts the server on 127.0.0.1, on a free port. */
  static async start(options: DuoSimulatorOptions = {}): Promise<DuoSimulator> {
    const simulator = new DuoSimulator(options);
    simulator.server = await startLoopbackServer((request) => simulator.handle(request));
    return simulator;
  }

  private constructor(options: DuoSimulatorOptions) {
    this.integrationKey = options.integrationKey ?? `DI${randomKey(18, KEY_CHARS)}`;
    this.secretKey = options.secretKey ?? randomKey(40, `${KEY_CHARS}abcdefghijklmnopqrstuvwxyz`);
    for (const user of options.users ?? []) this.addUser(user);
    this.newUserPolicy = options.newUserPolicy ?? 'enroll';
    this.holdCapMs = Math.max(0, options.holdCapMs ?? 20_000);
    this.maxSkewMs = (options.maxSkewSeconds ?? 300) * 1000;
    this.now = options.now ?? Date.now;
    this.phone = this.makePhone();
  }

  /** `http://127.0.0.1:port/`. */
  get url(): string {
    return this.loopback().url;
  }

  /** What to give `DuoProvider` as `apiHost` (with `allowInsecureHttp: true`). */
  get apiHost(): string {
    return this.url.replace(/\/$/, '');
  }

  /** Fault injection for the next calls. */
  get faults(): Faults {
    return this.loopback().faults;
  }

  /** Requests received per endpoint (`preauth`, `auth`, `auth_status`, `(other)`), signed or not. */
  get calls(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** How many `auth_status` calls have been held open so far. */
  get held(): number {
    return this.heldCount;
  }

  /** Adds (or replaces) a user, case-insensitively. */
  addUser(username: string, user: DuoSimulatorUser = {}): void {
    this.users.set(username.trim().toLowerCase(), {
      preauth: user.preauth ?? 'auth',
      devices: user.devices ?? [DEFAULT_DEVICE],
    });
  }

  /** Resolves once `count` `auth_status` calls in total have been held open (for ordering tests). */
  whenHeld(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.heldCount < count) return;
        this.heldListeners.delete(check);
        resolve();
      };
      this.heldListeners.add(check);
      check();
    });
  }

  /** The next `/auth` answers with another transaction's txid instead of pushing (see `DuoTamper`). */
  tamperNextAuth(tamper: DuoTamper): void {
    this.tamper = tamper;
  }

  /** The next `times` requests (default: all until `faults.clear()`) meet this Duo fault. */
  injectFault(fault: DuoFault, times?: number): void {
    const json = 'application/json';
    if (fault === 'rate_limited') {
      const body = JSON.stringify({ stat: 'FAIL', code: 42901, message: 'Too Many Requests' });
      this.faults.inject({ kind: 'status', status: 429, body, contentType: json }, times);
    } else if (fault === 'server_error') {
      const body = JSON.stringify({ stat: 'FAIL', code: 50000, message: 'Internal server error' });
      this.faults.inject({ kind: 'status', status: 500, body, contentType: json }, times);
    } else if (fault === 'bad_signature') {
      const body = JSON.stringify({
        stat: 'FAIL',
        code: 40103,
        message: 'Invalid signature in request credentials',
      });
      this.faults.inject({ kind: 'status', status: 401, body, contentType: json }, times);
    } else if (fault === 'malformed_json') {
      this.faults.inject({ kind: 'body', body: '{"stat": "OK", "response": {"result": "allow"' }, times);
    } else {
      this.faults.inject({ kind: 'delay', ms: fault.ms }, times);
    }
  }

  /** Releases held calls and stops the server. */
  close(): Promise<void> {
    for (const transaction of this.transactions.values()) this.release(transaction);
    return this.server?.close() ?? Promise.resolve();
  }

  private loopback(): LoopbackServer {
    if (!this.server) throw new Error('DuoSimulator: use DuoSimulator.start().');
    return this.server;
  }

  private async handle(request: LoopbackRequest): Promise<LoopbackAnswer> {
    const url = new URL(request.path, 'http://simulator');
    const route = ROUTES[url.pathname];
    const name = route ? url.pathname.slice('/auth/v2/'.length) : '(other)';
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (!route || !Object.hasOwn(ROUTES, url.pathname)) return fail(404, 40401, 'Resource not found');
    if (request.method !== route.method) return fail(405, 40501, 'Method not allowed');
    const contentType = request.headers['content-type'];
    if (route.method === 'POST' && !/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
      return invalidParams('the body must be form-encoded');
    }
    const form =
      route.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : url.searchParams;
    const keys = [...form.keys()];
    if (new Set(keys).size !== keys.length) return invalidParams('a parameter is repeated');
    const params: Record<string, string> = Object.fromEntries(form.entries());
    const refusal = this.verify(request, route.method, url.pathname, params);
    if (refusal) return refusal;
    const date = request.headers['date'];
    this.lastRequest = { method: request.method, path: url.pathname, contentType, date, params };
    for (const key of route.required) if (!Object.hasOwn(params, key)) return invalidParams(key);
    for (const key of keys) {
      if (!route.required.includes(key) && !route.optional.includes(key)) return invalidParams(key);
    }
    if (url.pathname === '/auth/v2/preauth') return this.preauth(params);
    if (url.pathname === '/auth/v2/auth') return this.auth(params);
    return this.authStatus(params);
  }

  /** Basic credentials with our integration key, a fresh `Date`, and the HMAC of the canonical request. */
  private verify(
    request: LoopbackRequest,
    method: 'GET' | 'POST',
    path: string,
    params: DuoParams,
  ): LoopbackAnswer | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers['authorization'] ?? '');
    const date = request.headers['date'];
    if (!match?.[1] || date === undefined) return fail(401, 40101, 'Missing request credentials');
    const [ikey, signature] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
    if (ikey !== this.integrationKey || signature === undefined) {
      return fail(401, 40102, 'Invalid integration key in request credentials');
    }
    const sentAt = Date.parse(date);
    if (!Number.isFinite(sentAt) || Math.abs(this.now() - sentAt) > this.maxSkewMs) {
      return fail(401, 40105, 'Request has expired', 'The request date is too far from the server clock');
    }
    const host = (request.headers['host'] ?? '').toLowerCase();
    const expected = duoSignature(this.secretKey, { date, method, host, path, params });
    if (!sameSignature(expected, signature))
      return fail(401, 40103, 'Invalid signature in request credentials');
    return undefined;
  }

  private preauth(params: Record<string, string>): LoopbackAnswer {
    const user = this.users.get((params['username'] ?? '').toLowerCase());
    const result = user?.preauth ?? this.newUserPolicy;
    const messages = {
      auth: 'Account is active',
      allow: 'Allowing unknown user',
      deny: 'Login denied',
      enroll: 'Enroll an authentication device to proceed',
    };
    const response: Record<string, unknown> = { result, status_msg: messages[result] };
    if (result === 'auth') response['devices'] = user?.devices ?? [];
    if (result === 'enroll')
      response['enroll_portal_url'] = 'https://api-example.duosecurity.com/portal?code=x';
    return ok(response);
  }

  private auth(params: Record<string, string>): LoopbackAnswer {
    if (params['factor'] !== 'push') return invalidParams('factor');
    if (params['async'] !== '1') return invalidParams('async');
    const username = (params['username'] ?? '').toLowerCase();
    const user = this.users.get(username);
    if (user?.preauth !== 'auth') return invalidParams('username');
    const device = params['device'];
    const pushable = user.devices.filter((d) => d.capabilities.includes('push'));
    if (!pushable.some((d) => device === 'auto' || d.device === device)) return invalidParams('device');
    const pushinfo = params['pushinfo'] ?? '';
    if (Buffer.byteLength(pushinfo, 'utf8') >= MAX_PUSHINFO_BYTES) return invalidParams('pushinfo');
    const tampered = this.tamperedTxid();
    if (tampered !== undefined) return ok({ txid: tampered });
    const txid = randomUUID();
    this.transactions.set(txid, {
      txid,
      seq: ++this.seq,
      username,
      result: 'waiting',
      status: 'pushed',
      statusMsg: STATUS_MESSAGES['pushed'] ?? '',
      pushinfo,
      type: params['type'],
      createdAt: this.now(),
      waiters: new Set(),
    });
    return ok({ txid });
  }

  /** The txid a tampered `/auth` answers with (used once), or undefined to push for real. */
  private tamperedTxid(): string | undefined {
    const tamper = this.tamper;
    if (tamper === undefined) return undefined;
    this.tamper = undefined;
    const wanted = tamper.kind === 'txid-of-user' ? tamper.user.trim().toLowerCase() : undefined;
    const newest = [...this.transactions.values()]
      .filter((t) => wanted === undefined || t.username === wanted)
      .sort((a, b) => b.seq - a.seq)[0];
    if (!newest) throw new Error('DuoSimulator: no transaction to answer a tampered /auth with.');
    return newest.txid;
  }

  /** Answers at once when the push is answered; otherwise holds until it is, or until the cap. */
  private async authStatus(params: Record<string, string>): Promise<LoopbackAnswer> {
    const transaction = this.transactions.get(params['txid'] ?? '');
    if (!transaction) return invalidParams('txid');
    if (transaction.result === 'waiting' && this.holdCapMs > 0) await this.hold(transaction);
    const { result, status, statusMsg } = transaction;
    return ok({ result, status, status_msg: statusMsg });
  }

  /** Waits until the phone answers (or the simulator closes), at most `holdCapMs`. */
  private hold(transaction: Transaction): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        transaction.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.holdCapMs);
      timer.unref();
      transaction.waiters.add(done);
      this.heldCount += 1;
      for (const listener of [...this.heldListeners]) listener();
    });
  }

  private release(transaction: Transaction): void {
    for (const waiter of [...transaction.waiters]) waiter();
  }

  private answer(id: string, result: 'allow' | 'deny', status: string): Transaction {
    const transaction = this.transactions.get(id);
    if (!transaction || transaction.result !== 'waiting')
      throw new Error(`DuoSimulator: no pending push ${id}.`);
    transaction.result = result;
    transaction.status = status;
    transaction.statusMsg = STATUS_MESSAGES[status] ?? status;
    this.release(transaction);
    return transaction;
  }

  private makePhone(): DuoPhone {
    const pending = (userId?: string): PhoneRequest[] => {
      const wanted = userId?.trim().toLowerCase();
      return [...this.transactions.values()]
        .filter((t) => t.result === 'waiting' && (wanted === undefined || t.username === wanted))
        .sort((a, b) => b.seq - a.seq)
        .map((t) => {
          const info = new URLSearchParams(t.pushinfo);
          const serviceName = info.get('Service') ?? undefined;
          const serviceAddress = info.get('Address') ?? undefined;
          // Duo Mobile shows the push's title and, under it, each pushinfo pair.
          const action =
            t.type === undefined
              ? undefined
              : [t.type, '', ...[...info.entries()].map(([key, value]) => `${key}: ${value}`)].join('\n');
          return {
            id: t.txid,
            userId: t.username,
            ...(serviceName !== undefined ? { serviceName } : {}),
            ...(serviceAddress !== undefined ? { serviceAddress } : {}),
            ...(action !== undefined ? { action } : {}),
            fetched: false,
            createdAt: t.createdAt,
            // Nominal only: a push here never times out by itself; `phone.timeout(id)` does that.
            expiresAt: t.createdAt + 60_000,
          };
        });
    };
    return {
      pending,
      // Duo reports nothing when the app opens a push.
      fetch: () => undefined,
      approve: (id) => {
        const transaction = this.transactions.get(id);
        if (transaction?.result !== 'waiting') return false;
        this.answer(id, 'allow', 'allow');
        return true;
      },
      deny: (id) => void this.answer(id, 'deny', 'deny'),
      reportFraud: (id) => void this.answer(id, 'deny', 'fraud'),
      timeout: (id) => void this.answer(id, 'deny', 'timeout'),
      expire: (id) => void this.answer(id, 'deny', 'timeout'),
      pushInfo: (id) => {
        const transaction = this.transactions.get(id);
        if (!transaction) throw new Error(`DuoSimulator: no push ${id}.`);
        return Object.fromEntries(new URLSearchParams(transaction.pushinfo).entries());
      },
    };
  }
}

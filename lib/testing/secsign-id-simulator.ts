/**
 * A SecSign ID server (classic HTTP API) on loopback: form-encoded requests in, raw `key=value&…`
 * answers out, parameters checked per request type as the real server's firewall does, sessions in
 * memory, an access pass per session, and a phone that sees, fetches, approves and denies them.
 *
 * Inferred where SecSign publishes nothing (see README, "SecSign ID"): errors come with HTTP 200;
 * bad requests and unknown sessions answer `error=400`; `showaccesspass=false` omits the icon; a
 * wrong access-pass pick on the phone is refused and the session stays pending.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  startLoopbackServer,
  type LoopbackAnswer,
  type LoopbackRequest,
  type LoopbackServer,
} from './loopback-server';
import type { Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';
import {
  designKey,
  randomDecoy,
  randomDesign,
  renderAccessPass,
  requirePngjs,
  toDataUrl,
  type AccessPassDesign,
} from './secsign-id-access-pass';

/**
 * Options of `SecSignIdSimulator.start`: users, lifetimes, clock.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * await SecSignIdSimulator.start({ users: ['alice', 'bob'], pendingLifetimeMs: 60_000 });
 * ```
 */
export interface SecSignIdSimulatorOptions {
  /** SecSign IDs that exist (case-insensitive). More with `addUser`. */
  users?: readonly string[];
  /** How long a session stays pending or fetched before it reads as EXPIRED (2). Default 120 000 ms. */
  pendingLifetimeMs?: number;
  /** Wrong passes the phone shows next to the right one. Default 3. */
  decoys?: number;
  /** The clock, for tests that move time instead of waiting. Default `Date.now`. */
  now?: () => number;
  /**
   * How `ReqReleaseAuthSession` is answered: `ok` as the seed guide's servers (state 3 echoed back),
   * or `error` as current cloud servers probably do (SecSign's JS client dropped the call). Default `ok`.
   */
  releaseAnswer?: 'ok' | 'error';
}

/**
 * Ways a real server (or something in front of it) may answer differently; set them on `variance`.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * console.log(sim.variance); // switches for answers the real server might give
 * ```
 */
export interface SecSignIdVariance {
  /** State answers name another `authsessionid` (a mixed-up proxy or cache). */
  foreignSessionId?: boolean;
  /** State answers name this SecSign ID instead of the session's: another user's approval. */
  approvedBy?: string;
  /** New sessions echo this `servicename` instead of the one sent: the phone shows other text. */
  otherServiceName?: string;
}

/**
 * What the server received last, decoded as a form, for exact wire assertions.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * // … after a start:
 * expect(sim.lastRequest?.params.secsignid).toBe('alice');
 * ```
 */
export interface SecSignIdReceivedRequest {
  /** The HTTP method. */
  method: string;
  /** The request path. */
  path: string;
  /** The `Content-Type` header; undefined when absent. */
  contentType: string | undefined;
  /** The body exactly as sent. */
  body: string;
  /** The form body's parameters, by name. */
  params: Readonly<Record<string, string>>;
  /** Parameter names in the order sent. */
  keys: readonly string[];
}

/**
 * The SecSign ID server's numeric session states, by name.
 */
export const SECSIGN_STATE = {
  NOSTATE: 0,
  PENDING: 1,
  EXPIRED: 2,
  AUTHENTICATED: 3,
  DENIED: 4,
  SUSPENDED: 5,
  CANCELED: 6,
  FETCHED: 7,
  INVALID: 8,
} as const;

/**
 * The simulator's error text for a SecSign ID that does not exist.
 */
export const UNKNOWN_ID_MESSAGE = 'A SecSign ID does not exist with that name.';
/**
 * The JIRA wording; the server's exact text is not published.
 */
export const FROZEN_ID_MESSAGE =
  'This SecSign ID is frozen due to concurrent login requests. The user needs to reactivate his account first.';

interface SimSession {
  seq: number;
  authsessionid: string;
  requestid: string;
  secsignid: string;
  serviceName: string;
  serviceAddress: string;
  state: number;
  createdAt: number;
  expiresAt: number;
  design: AccessPassDesign | undefined;
  icon: Buffer | undefined;
  /** Built the first time the phone looks, then fixed: the phone shows the same grid each time. */
  choices?: { urls: string[]; correct: number };
}

type Params = Record<string, string>;
type Rule = { required: readonly string[]; optional: readonly string[] };

const SESSION_PARAMS = ['apimethod', 'request', 'secsignid', 'authsessionid', 'requestid'];
const RULES: Readonly<Record<string, Rule>> = {
  ReqRequestAuthSession: {
    required: ['apimethod', 'request', 'secsignid', 'servicename', 'serviceaddress'],
    optional: ['pluginname', 'showaccesspass', 'timezone'],
  },
  ReqGetAuthSessionState: { required: SESSION_PARAMS, optional: [] },
  ReqCancelAuthSession: { required: SESSION_PARAMS, optional: [] },
  ReqReleaseAuthSession: { required: SESSION_PARAMS, optional: [] },
};

// eslint-disable-next-line no-control-regex
const TEXT = /^[^&\u0000-\u001f\u007f]{1,255}$/;
const FORMATS: Readonly<Record<string, RegExp>> = {
  apimethod: /^[\w.-]{1,64}$/,
  secsignid: /^[\w@.-]{1,255}$/,
  authsessionid: /^-?\d{1,19}$/,
  requestid: /^[0-9A-F]{64}$/,
  servicename: TEXT,
  serviceaddress: TEXT,
  pluginname: TEXT,
  showaccesspass: /^(?:true|false|1|0)$/,
  timezone: /^[\w/+:-]{0,64}$/,
};

const LIVE_STATES: ReadonlySet<number> = new Set([SECSIGN_STATE.PENDING, SECSIGN_STATE.FETCHED]);

/** Raw answer: values are never URL-encoded (the server does not; base64 keeps `+ / =`). */
function answer(pairs: readonly (readonly [string, string | number])[]): LoopbackAnswer {
  return { body: pairs.map(([key, value]) => `${key}=${value}`).join('&') };
}

function errorAnswer(error: number, message: string, errorCode?: number): LoopbackAnswer {
  const pairs: [string, string | number][] = [
    ['error', error],
    ['errormsg', message],
  ];
  if (errorCode !== undefined) pairs.push(['errorcode', errorCode]);
  return answer(pairs);
}

const badRequest = (why: string): LoopbackAnswer => errorAnswer(400, `Invalid request: ${why}.`);
const noSession = (): LoopbackAnswer => errorAnswer(400, 'The auth session does not exist.');

function otherSessionId(id: string): string {
  return id === '1' ? '2' : '1';
}

/**
 * SecSign ID on loopback: the classic HTTP API with access passes, a phone and faults.
 *
 * @example
 * ```ts
 * import { SecSignIdProvider } from 'passport-push';
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * const secsign = new SecSignIdProvider({
 *   endpoint: sim.url,
 *   fallbackEndpoint: null,
 *   allowInsecureHttp: true,
 *   serviceName: 'Test',
 *   serviceAddress: 'http://localhost',
 * });
 * // … start a login, then on the "phone":
 * const [request] = sim.phone.pending('alice');
 * sim.phone.approve(request!.id, request!.choices!.indexOf(accessPass));
 * await sim.close();
 * ```
 */
export class SecSignIdSimulator implements ProviderSimulator {
  /** The last request received (any type, valid or not). */
  lastRequest: SecSignIdReceivedRequest | undefined;
  /** The simulated phone of every user. */
  readonly phone: Phone;
  /** Answer variations, switchable at any time. */
  readonly variance: SecSignIdVariance = {};
  /** The `authsessionid`s of every `ReqReleaseAuthSession` received, in order. */
  readonly releases: string[] = [];
  private readonly releaseWaiters: (() => void)[] = [];
  private readonly releaseAnswer: 'ok' | 'error';
  private readonly aliases = new Map<string, string>();
  private readonly frozen = new Set<string>();
  private server: LoopbackServer | undefined;
  private readonly users = new Set<string>();
  private readonly sessions = new Map<string, SimSession>();
  private readonly counts: Record<string, number> = {};
  private readonly lifetimeMs: number;
  private readonly decoys: number;
  private readonly now: () => number;
  private seq = 0;

  /** Starts the server on 127.0.0.1, on a free port. */
  static async start(options: SecSignIdSimulatorOptions = {}): Promise<SecSignIdSimulator> {
    requirePngjs(); // a missing pngjs fails here, with the install line, not in the middle of a login
    const simulator = new SecSignIdSimulator(options);
    simulator.server = await startLoopbackServer((request) => simulator.handle(request));
    return simulator;
  }

  private constructor(options: SecSignIdSimulatorOptions) {
    for (const user of options.users ?? []) this.addUser(user);
    this.lifetimeMs = options.pendingLifetimeMs ?? 120_000;
    this.decoys = Math.max(0, Math.min(options.decoys ?? 3, 20));
    this.now = options.now ?? Date.now;
    this.releaseAnswer = options.releaseAnswer ?? 'ok';
    this.phone = this.makePhone();
  }

  get url(): string {
    return this.loopback().url;
  }

  /** Fault injection for the next calls. */
  get faults(): Faults {
    return this.loopback().faults;
  }

  /** Requests received per `request` value (`(none)` when it was missing). */
  get calls(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** Adds a SecSign ID the server knows (case-insensitively). */
  addUser(id: string): void {
    this.users.add(id.trim().toLowerCase());
  }

  /**
   * Another spelling the server accepts for an existing ID; sessions and answers carry the
   * canonical ID (so the typed one and the confirmed one differ).
   */
  addAlias(alias: string, canonical: string): void {
    this.aliases.set(alias.trim().toLowerCase(), canonical.trim().toLowerCase());
  }

  /** Freezes an ID: new auth sessions for it answer errorcode 20006 until `unfreeze`. */
  freeze(id: string): void {
    this.frozen.add(id.trim().toLowerCase());
  }

  /** Lifts `freeze`: the ID can log in again. */
  unfreeze(id: string): void {
    this.frozen.delete(id.trim().toLowerCase());
  }

  /** Resolves once `count` releases have arrived (no sleeping in tests). */
  releasesReceived(count = 1): Promise<readonly string[]> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.releases.length >= count) resolve([...this.releases]);
        else this.releaseWaiters.push(check);
      };
      check();
    });
  }

  /** The server-side state code of a session, `undefined` once it is gone (cancelled or unknown). */
  stateOf(authsessionid: string): number | undefined {
    const session = this.sessions.get(authsessionid);
    return session === undefined ? undefined : this.refresh(session).state;
  }

  /** Stops the server and its timers. */
  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  private loopback(): LoopbackServer {
    if (!this.server) throw new Error('SecSignIdSimulator: use SecSignIdSimulator.start().');
    return this.server;
  }

  private handle(request: LoopbackRequest): LoopbackAnswer {
    const body = request.body.toString('utf8');
    const contentType = request.headers['content-type'];
    const form = new URLSearchParams(body);
    const keys = [...form.keys()];
    const params: Params = Object.fromEntries(form.entries());
    this.lastRequest = { method: request.method, path: request.path, contentType, body, params, keys };
    const type = Object.hasOwn(params, 'request') ? (params['request'] ?? '') : '(none)';
    this.counts[type] = (this.counts[type] ?? 0) + 1;

    // The routing server in front of the API only lets POST / through.
    if (request.method !== 'POST' || request.path !== '/') {
      return {
        status: 404,
        contentType: 'text/html',
        body: '<html><body><h1>404 Not Found</h1></body></html>',
      };
    }
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
      return badRequest('the body must be form-encoded');
    }
    const problem = this.firewall(params, keys);
    if (problem !== undefined) return badRequest(problem);
    switch (type) {
      case 'ReqRequestAuthSession':
        return this.requestAuthSession(params);
      case 'ReqGetAuthSessionState':
        return this.getState(params);
      case 'ReqCancelAuthSession':
        return this.cancel(params);
      case 'ReqReleaseAuthSession':
        return this.release(params);
      default:
        return errorAnswer(400, 'This request is not supported any longer.');
    }
  }

  /** Required parameters present, nothing unknown, nothing twice, every value in its format. */
  private firewall(params: Params, keys: readonly string[]): string | undefined {
    const rule = RULES[params['request'] ?? ''];
    if (rule === undefined || !Object.hasOwn(RULES, params['request'] ?? '')) return 'unknown request';
    if (new Set(keys).size !== keys.length) return 'a parameter is repeated';
    for (const key of rule.required) if (!Object.hasOwn(params, key)) return `missing ${key}`;
    for (const key of keys) {
      if (!rule.required.includes(key) && !rule.optional.includes(key)) return `unexpected parameter ${key}`;
      const format = FORMATS[key];
      if (format !== undefined && !format.test(params[key] ?? '')) return `malformed ${key}`;
    }
    return undefined;
  }

  private requestAuthSession(params: Params): LoopbackAnswer {
    const typed = (params['secsignid'] ?? '').toLowerCase();
    const secsignid = this.aliases.get(typed) ?? typed;
    if (!this.users.has(secsignid)) return errorAnswer(500, UNKNOWN_ID_MESSAGE, 20000);
    if (this.frozen.has(secsignid)) return errorAnswer(500, FROZEN_ID_MESSAGE, 20006);
    const now = this.now();
    this.prune(now);
    const taken = new Set<string>();
    for (const other of this.sessions.values()) {
      if (!LIVE_STATES.has(this.refresh(other).state)) continue;
      // A new request suspends the pending one for the same ID (AuthSession SUSPENDED comment).
      if (other.secsignid === secsignid) other.state = SECSIGN_STATE.SUSPENDED;
      else if (other.design) taken.add(designKey(other.design));
    }
    const showPass = params['showaccesspass'] !== 'false' && params['showaccesspass'] !== '0';
    const design = showPass ? randomDesign(taken) : undefined;
    const session: SimSession = {
      seq: ++this.seq,
      authsessionid: randomBytes(8).readBigInt64BE().toString(),
      requestid: randomBytes(32).toString('hex').toUpperCase(),
      secsignid,
      serviceName: params['servicename'] ?? '',
      serviceAddress: params['serviceaddress'] ?? '',
      state: SECSIGN_STATE.PENDING,
      createdAt: now,
      expiresAt: now + this.lifetimeMs,
      design,
      icon: design ? renderAccessPass(design) : undefined,
    };
    this.sessions.set(session.authsessionid, session);
    // Field order as in SecSign's Node example; the icon last.
    const pairs: [string, string | number][] = [
      ['authsessionid', session.authsessionid],
      ['servicename', this.variance.otherServiceName ?? session.serviceName],
      ['secsignid', session.secsignid],
      ['authsessionstate', session.state],
      ['serviceaddress', session.serviceAddress],
      ['requestid', session.requestid],
    ];
    if (session.icon) pairs.push(['authsessionicondata', session.icon.toString('base64')]);
    return answer(pairs);
  }

  private getState(params: Params): LoopbackAnswer {
    const session = this.find(params);
    if (!session) return noSession();
    const echoed = this.variance.foreignSessionId
      ? otherSessionId(session.authsessionid)
      : session.authsessionid;
    return answer([
      ['authsessionid', echoed],
      ['secsignid', this.variance.approvedBy ?? session.secsignid],
      ['authsessionstate', this.refresh(session).state],
    ]);
  }

  /** Recorded always; answered as configured (the session itself is left as it is). */
  private release(params: Params): LoopbackAnswer {
    this.releases.push(params['authsessionid'] ?? '');
    for (const wake of this.releaseWaiters.splice(0)) wake();
    if (this.releaseAnswer === 'error') return errorAnswer(400, 'This request is not supported any longer.');
    const session = this.find(params);
    if (!session) return noSession();
    return answer([
      ['authsessionid', session.authsessionid],
      ['authsessionstate', this.refresh(session).state],
    ]);
  }

  /** "After the auth session is successfully canceled it is not possible to inquire the status again." */
  private cancel(params: Params): LoopbackAnswer {
    const session = this.find(params);
    if (!session) return noSession();
    this.sessions.delete(session.authsessionid);
    return answer([
      ['authsessionid', session.authsessionid],
      ['authsessionstate', SECSIGN_STATE.CANCELED],
    ]);
  }

  /** The request id is the capability: all three values must match. */
  private find(params: Params): SimSession | undefined {
    const session = this.sessions.get(params['authsessionid'] ?? '');
    if (!session || session.requestid !== params['requestid']) return undefined;
    return session.secsignid === (params['secsignid'] ?? '').toLowerCase() ? session : undefined;
  }

  /** Expiry is lazy: a live session past its deadline reads as EXPIRED from then on. */
  private refresh(session: SimSession): SimSession {
    if (LIVE_STATES.has(session.state) && this.now() >= session.expiresAt)
      session.state = SECSIGN_STATE.EXPIRED;
    return session;
  }

  /** Finished sessions are kept a while for state queries, then dropped so a long demo stays small. */
  private prune(now: number): void {
    const horizon = now - Math.max(10 * this.lifetimeMs, 600_000);
    for (const [id, session] of this.sessions) if (session.createdAt < horizon) this.sessions.delete(id);
  }

  private live(id: string): SimSession | undefined {
    const session = this.sessions.get(id);
    return session && LIVE_STATES.has(this.refresh(session).state) ? session : undefined;
  }

  private choicesOf(session: SimSession): { urls: string[]; correct: number } | undefined {
    if (!session.icon || !session.design) return undefined;
    if (!session.choices) {
      const taken = new Set([designKey(session.design)]);
      const passes = [toDataUrl(session.icon)];
      for (let i = 0; i < this.decoys; i++) {
        const decoy = randomDecoy(taken);
        taken.add(designKey(decoy));
        passes.push(toDataUrl(renderAccessPass(decoy)));
      }
      const urls: string[] = [];
      let correct = 0;
      // Shuffle by drawing: the right pass lands anywhere.
      while (passes.length > 0) {
        const [pick] = passes.splice(randomInt(passes.length), 1);
        if (pick === undefined) break;
        if (pick === toDataUrl(session.icon)) correct = urls.length;
        urls.push(pick);
      }
      session.choices = { urls, correct };
    }
    return session.choices;
  }

  private makePhone(): Phone {
    const mustBeLive = (id: string): SimSession => {
      const session = this.live(id);
      if (!session) throw new Error(`SecSignIdSimulator: no pending session ${id}.`);
      return session;
    };
    return {
      pending: (userId?: string): PhoneRequest[] => {
        const wanted = userId?.trim().toLowerCase();
        return [...this.sessions.values()]
          .filter(
            (s) => LIVE_STATES.has(this.refresh(s).state) && (wanted === undefined || s.secsignid === wanted),
          )
          .sort((a, b) => b.seq - a.seq)
          .map((s) => {
            const choices = this.choicesOf(s);
            return {
              id: s.authsessionid,
              userId: s.secsignid,
              serviceName: s.serviceName,
              serviceAddress: s.serviceAddress,
              ...(choices ? { choices: [...choices.urls] } : {}),
              fetched: s.state === SECSIGN_STATE.FETCHED,
              createdAt: s.createdAt,
              expiresAt: s.expiresAt,
            };
          });
      },
      fetch: (id) => {
        mustBeLive(id).state = SECSIGN_STATE.FETCHED;
      },
      approve: (id, choice) => {
        const session = this.live(id);
        if (!session) return false;
        const choices = this.choicesOf(session);
        // A wrong (or missing) pick is refused and the session stays pending, as in the app.
        if (choices && choice !== choices.correct) return false;
        session.state = SECSIGN_STATE.AUTHENTICATED;
        return true;
      },
      deny: (id) => {
        mustBeLive(id).state = SECSIGN_STATE.DENIED;
      },
      expire: (id) => {
        mustBeLive(id).state = SECSIGN_STATE.EXPIRED;
      },
    };
  }
}

/**
 * What every provider simulator offers: a real HTTP server on loopback that speaks the provider's
 * wire protocol, a "phone" that sees and answers pending requests, and switchable faults.
 */

/**
 * One login request as the phone shows it.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator, type PhoneRequest } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * const requests: PhoneRequest[] = sim.phone.pending('alice');
 * ```
 */
export interface PhoneRequest {
  /** The simulator's own id for this request (what the phone API takes). */
  id: string;
  /** The user ID the push went to. */
  userId: string;
  /** The service name the provider sent (shown on the phone). */
  serviceName?: string;
  /** The service address the provider sent (shown on the phone). */
  serviceAddress?: string;
  /** Access passes the phone offers (data URLs); exactly one is the right one. Absent: just confirm. */
  choices?: string[];
  /** The code the phone shows next to Approve (CIBA binding message). */
  bindingMessage?: string;
  /** The action the phone asks to approve, as it shows it (CIBA: the `authorization_details` JSON). */
  action?: string;
  /** Whether the phone has opened the request (SecSign FETCHED). */
  fetched: boolean;
  /** When the request reached the phone, epoch ms (the simulator's clock). */
  createdAt: number;
  /** When the request expires, epoch ms (the simulator's clock). */
  expiresAt: number;
}

/**
 * The simulated phone: the pending requests, and approve, deny, expire or fetch one.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * // … after a start:
 * const [request] = sim.phone.pending('alice');
 * sim.phone.deny(request!.id);
 * ```
 */
export interface Phone {
  /** Pending requests, newest first; for one user ID when given. */
  pending(userId?: string): PhoneRequest[];
  /** The phone opened the request (SecSign state 7). */
  fetch(id: string): void;
  /**
   * Approve. Where the provider shows access passes, `choice` is the index in `choices` the user
   * picked; a wrong pick is refused (returns false) and the request stays pending.
   */
  approve(id: string, choice?: number): boolean;
  /** Deny: the user refused the push. */
  deny(id: string): void;
  /** Let the request run out, as if nobody answered in time. */
  expire(id: string): void;
}

/**
 * One fault a simulator can inject: a status, a reset, a delay, a body, a huge answer…
 *
 * @example
 * ```ts
 * import type { Fault } from 'passport-push/testing';
 *
 * const faults: Fault[] = [
 *   { kind: 'reset' },
 *   { kind: 'delay', ms: 5_000 },
 *   { kind: 'body', body: '<html>' },
 *   { kind: 'truncate' },
 * ];
 * ```
 */
export type Fault =
  /** Wait before answering (a slow provider; beyond the client's timeout, a timeout). */
  | {
      /** The fault: a delayed answer. */
      kind: 'delay';
      /** How long to wait, in ms. */
      ms: number;
    }
  /** Answer with this HTTP status and body (500, 503, an HTML error page…). */
  | {
      /** The fault: an error status. */
      kind: 'status';
      /** The HTTP status to answer with. */
      status: number;
      /** The answer's body; absent for an empty one. */
      body?: string;
      /** The answer's `Content-Type`; absent for none. */
      contentType?: string;
    }
  /** Destroy the connection without answering. */
  | {
      /** The fault: a destroyed connection. */
      kind: 'reset';
    }
  /** Answer 200 with this body instead of the real one (garbage, empty, half an answer). */
  | {
      /** The fault: a replaced body. */
      kind: 'body';
      /** The body to answer with. */
      body: string;
    }
  /**
   * Announce the real answer whole (its status, headers and `Content-Length`), send only its first
   * half and drop the connection: an answer cut short on the way, as a broken proxy or link leaves it.
   */
  | {
      /** The fault: an answer cut short. */
      kind: 'truncate';
    }
  /** Answer the real body, a few bytes at a time. */
  | {
      /** The fault: a slowly dripped answer. */
      kind: 'drip';
      /** Bytes per chunk. */
      chunkBytes: number;
      /** Time between chunks, in ms. */
      intervalMs: number;
    }
  /** Answer 200 with a body of this many bytes. */
  | {
      /** The fault: an oversized answer. */
      kind: 'huge';
      /** The body's size, in bytes. */
      bytes: number;
    };

/**
 * A simulator's fault injection: the next calls meet a fault instead of an answer.
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator } from 'passport-push/testing';
 *
 * const sim = await SecSignIdSimulator.start({ users: ['alice'] });
 * sim.faults.inject({ kind: 'status', status: 503 }, 2); // the next two calls answer 503
 * sim.faults.clear();
 * ```
 */
export interface Faults {
  /** The next `times` requests (default: every request until `clear()`) meet this fault. */
  inject(fault: Fault, times?: number): void;
  /** Forgets every injected fault: the next calls get real answers. */
  clear(): void;
}

/**
 * What every simulator offers: its URL, a phone, faults, call counts and close().
 *
 * @example
 * ```ts
 * import { SecSignIdSimulator, type ProviderSimulator } from 'passport-push/testing';
 *
 * const sim: ProviderSimulator = await SecSignIdSimulator.start({ users: ['alice'] });
 * console.log(sim.url, sim.calls);
 * await sim.close();
 * ```
 */
export interface ProviderSimulator {
  /** The endpoint to give the provider, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The simulated phone of every user. */
  readonly phone: Phone;
  /** Fault injection for the next calls. */
  readonly faults: Faults;
  /** Requests received so far, by the protocol's request type (for call-count assertions). */
  readonly calls: Readonly<Record<string, number>>;
  /** Stops the server and its timers. */
  close(): Promise<void>;
}

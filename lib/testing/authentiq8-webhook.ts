/**
 * The Authentiq8 simulator's webhook sender: when the phone answers, it POSTs the inferred webhook
 * (`{"user_id", "auth_id", "status"}`, see `INFERRED_WEBHOOK_FIELDS`) to a configurable URL, with
 * the faults a real sender may show: duplicates, reordering, late delivery, and forged webhooks
 * (about a user who answered nothing, with a wrong signature header).
 */
import { INFERRED_WEBHOOK_FIELDS as W } from '../providers/authentiq8/wire-fields';

/**
 * The header a test's `verifyNotification` may check; the vendor has published none.
 */
export const SIMULATOR_WEBHOOK_SIGNATURE_HEADER = 'x-authentiq8-simulator-signature';

/**
 * What a real sender may do wrong; all off by default, switchable at any time.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator, type WebhookFaults } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: ['alice'] });
 * const faults: WebhookFaults = sim.sendWebhooksTo('http://127.0.0.1:3000/auth/push/notify', 'sig')!.faults;
 * faults.reorder = true;
 * faults.lateMs = 500;
 * ```
 */
export interface WebhookFaults {
  /** Send every webhook twice. */
  duplicate?: boolean;
  /** Hold each webhook until the next one, then send the newer first (`flush()` sends the rest). */
  reorder?: boolean;
  /** Wait this long before sending, in ms (real time). */
  lateMs?: number;
}

/**
 * One webhook as the sender meant it.
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator, type WebhookEvent } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: ['alice'] });
 * const event: WebhookEvent = { userId: 'alice', authId: 'auth-1', status: 'approved' };
 * sim.sendWebhooksTo('http://127.0.0.1:3000/auth/push/notify', 'sig')!.send(event);
 * ```
 */
export interface WebhookEvent {
  /** The user the authentication was for (`user_id`). */
  userId: string;
  /** The authentication's ID (`auth_id`). */
  authId: string;
  /** The authentication's new status (`status`), for example `approved`. */
  status: string;
}

/**
 * POSTs webhooks to `url`, signed with `signature` (what the test's verify hook expects).
 *
 * @example
 * ```ts
 * import { Authentiq8Simulator } from 'passport-push/testing';
 *
 * const sim = await Authentiq8Simulator.start({ users: ['alice'] });
 * const webhooks = sim.sendWebhooksTo('http://127.0.0.1:3000/auth/push/notify', 'test-signature')!;
 * webhooks.faults.duplicate = true; // every webhook twice
 * await webhooks.settled();
 * ```
 */
export class Authentiq8WebhookSender {
  /** The faults to inject into the next deliveries; set its fields in the test. */
  readonly faults: WebhookFaults = {};
  /** The HTTP status of every delivery, in order. */
  readonly deliveries: number[] = [];
  #held: WebhookEvent | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(
    /** Where the webhooks are POSTed. */
    readonly url: string,
    /** The signature every delivery carries (what the app's verify hook expects). */
    readonly signature: string,
  ) {}

  /** Sends (or, with faults, holds, delays or repeats) the webhook for one answer. */
  send(event: WebhookEvent): void {
    if (this.faults.reorder) {
      const held = this.#held;
      this.#held = event;
      if (!held) return;
      this.#deliver(event);
      this.#deliver(held);
      this.#held = undefined;
      return;
    }
    this.#deliver(event);
  }

  /** A webhook nobody's phone sent: about `userId`, claiming approval, with a wrong signature. */
  forge(userId: string, authId = 'forged-auth-id'): Promise<number> {
    return this.#post({ userId, authId, status: 'approved' }, 'forged-signature');
  }

  /** Sends a webhook held back for reordering. */
  flush(): void {
    const held = this.#held;
    this.#held = undefined;
    if (held) this.#deliver(held);
  }

  /** Resolves once every delivery started so far has been answered. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #deliver(event: WebhookEvent): void {
    const times = this.faults.duplicate ? 2 : 1;
    for (let i = 0; i < times; i++) {
      const delivery = (async () => {
        if (this.faults.lateMs) await new Promise((resolve) => setTimeout(resolve, this.faults.lateMs));
        await this.#post(event, this.signature).catch(() => undefined);
      })();
      this.#inFlight.add(delivery);
      void delivery.finally(() => this.#inFlight.delete(delivery));
    }
  }

  async #post(event: WebhookEvent, signature: string): Promise<number> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SIMULATOR_WEBHOOK_SIGNATURE_HEADER]: signature },
      body: JSON.stringify({ [W.userId]: event.userId, [W.authId]: event.authId, status: event.status }),
    });
    await response.arrayBuffer();
    this.deliveries.push(response.status);
    return response.status;
  }
}

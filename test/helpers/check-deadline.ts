/**
 * A provider whose next check runs under a short abort deadline: for the faults a client can only
 * give up on (an answer that never comes, one dripped a byte at a time). The provider's own
 * timeouts stay generous, so no other call of the test races a clock, and the armed check cannot
 * be answered in time: aborted (retryable) is its only ending, however busy the machine is.
 */
import type { PushProvider } from '../../lib';

export interface CheckDeadline<P extends PushProvider> {
  /** Use this provider in the app: the same provider, with `check` under the armed deadline. */
  readonly provider: P;
  /** The next check (only that one) is aborted after `ms`. */
  limitNextCheck(ms: number): void;
}

export function checkDeadline<P extends PushProvider>(provider: P): CheckDeadline<P> {
  let armed: number | undefined;
  const check: PushProvider['check'] = (handle, signal) => {
    const ms = armed;
    armed = undefined;
    return provider.check(
      handle,
      ms === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(ms)]),
    );
  };
  const wrapped = new Proxy(provider, {
    get(target, property) {
      if (property === 'check') return check;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { provider: wrapped, limitNextCheck: (ms) => (armed = ms) };
}

/**
 * Runs `work` with a signal that aborts after `ms` or when `parent` aborts, and releases the timer
 * the moment the work ends. (AbortSignal.timeout keeps its timer, and whatever the signal holds,
 * until it fires: about 1–2 KB per provider call for the whole timeout.)
 */
export async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal, timedOut: () => boolean) => Promise<T>,
  parent?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }, ms);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  try {
    return await work(controller.signal, () => expired);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/**
 * `work`'s outcome, or a rejection with `abortedWith(signal.reason)` the moment `signal` aborts. The
 * work itself goes on: for a caller that gives up on something others may still wait for.
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  abortedWith: (reason: unknown) => unknown = (reason) => reason,
): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(abortedWith(signal.reason) as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedWith(signal.reason) as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

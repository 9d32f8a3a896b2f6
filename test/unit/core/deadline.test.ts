import { untilAborted, withDeadline } from '../../../lib/deadline';

afterEach(() => jest.useRealTimers());

describe('withDeadline', () => {
  test('aborts the work at the deadline and says it timed out', async () => {
    jest.useFakeTimers();
    const result = withDeadline(
      1000,
      (signal, timedOut) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () =>
            resolve({ reason: (signal.reason as Error).name, timedOut: timedOut() }),
          ),
        ),
    );
    jest.advanceTimersByTime(1000);
    await expect(result).resolves.toEqual({ reason: 'TimeoutError', timedOut: true });
  });

  test("follows the caller's signal, which is not a timeout", async () => {
    const parent = new AbortController();
    const result = withDeadline(
      60_000,
      (signal, timedOut) =>
        new Promise((resolve) => signal.addEventListener('abort', () => resolve(timedOut()))),
      parent.signal,
    );
    parent.abort();
    await expect(result).resolves.toBe(false);
  });

  test('an already aborted caller signal aborts at once', async () => {
    await expect(withDeadline(60_000, async (signal) => signal.aborted, AbortSignal.abort())).resolves.toBe(
      true,
    );
  });

  test('releases its timer as soon as the work ends, also when it throws', async () => {
    jest.useFakeTimers();
    await withDeadline(60_000, async () => 'done');
    await expect(withDeadline(60_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('untilAborted', () => {
  test("answers the work's outcome while the signal stays quiet, and without a signal", async () => {
    await expect(untilAborted(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
    await expect(untilAborted(Promise.reject(new Error('no')), undefined)).rejects.toThrow('no');
  });

  test('rejects the moment the signal aborts (or at once if it had), with the reason made into its error', async () => {
    const never = new Promise<number>(() => {});
    const controller = new AbortController();
    const waiting = untilAborted(
      never,
      controller.signal,
      (reason) => new Error(`gave up: ${String(reason)}`),
    );
    controller.abort('left');
    await expect(waiting).rejects.toThrow('gave up: left');
    await expect(untilAborted(never, controller.signal)).rejects.toBe('left');
  });

  test('the work goes on for others when one caller gives up', async () => {
    let finish = (_value: number) => {};
    const shared = new Promise<number>((resolve) => (finish = resolve));
    const controller = new AbortController();
    const gaveUp = untilAborted(shared, controller.signal);
    const stayed = untilAborted(shared, new AbortController().signal);
    controller.abort(new Error('gone'));
    finish(7);
    await expect(gaveUp).rejects.toThrow('gone');
    await expect(stayed).resolves.toBe(7);
  });
});

import { withDeadline } from '../../../lib/deadline';

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

import { PushError } from '../../lib/errors';

/** The PushError `promise` rejects with; anything else (another error, or no error) fails the test. */
export async function thrown(promise: Promise<unknown>): Promise<PushError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PushError) return error;
    throw error;
  }
  throw new Error('expected a PushError');
}

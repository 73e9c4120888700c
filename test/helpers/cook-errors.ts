import { isCookError, type CookError } from '../../app/cooking/errors';

/** The CookError thrown by `fn`; fails the test if it returns instead, rethrows anything else. */
export function thrown(fn: () => unknown): CookError {
  try {
    fn();
  } catch (err) {
    if (isCookError(err)) return err;
    throw err;
  }
  throw new Error('expected a CookError, but nothing was thrown');
}

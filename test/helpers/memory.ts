import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A real gc() without starting jest with --expose-gc, obtained the way jest-leak-detector does. */
const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap in use right after a full collection: what a leak check compares. */
export function heapUsedAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

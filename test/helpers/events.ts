import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first `event` whose arguments satisfy `predicate`. The timeout only turns a
 * hang into a clear failure; it is never what a test waits for.
 */
export function waitForEvent<T = unknown>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    const listener = (value: T) => {
      let ok: boolean;
      try {
        ok = predicate(value);
      } catch (err) {
        clearTimeout(timer);
        emitter.off(event, listener);
        reject(err);
        return;
      }
      if (!ok) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/** Resolves once `check()` is true, re-checking whenever `event` fires on `emitter`. */
export async function until(
  emitter: EventEmitter,
  event: string,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  if (check()) return;
  await waitForEvent(emitter, event, () => check(), timeoutMs);
}

import { createHook } from 'node:async_hooks';

/**
 * Live timers created by the product's own code, from creation to clear or fire. A process-wide
 * count would also see jest's and other modules' timers come and go; `from` narrows it further
 * (e.g. to app/anova/ for the client alone).
 */
export function trackAppTimers(from: RegExp = /[\\/]app[\\/][^\n]+\.ts:/) {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return;
      const saved = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = saved;
      if (from.test(stack)) live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  });
  hook.enable();
  return {
    /** Live timers now. Destroy hooks are delivered asynchronously, so let them arrive first. */
    count: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      return live.size;
    },
    stop: () => hook.disable(),
  };
}

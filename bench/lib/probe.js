'use strict';
/**
 * Bench-only preload: `node -r ./bench/lib/probe.js dist/app/cli.js serve`, spawned with an IPC
 * channel. Answers {probe:'sample', id, gc?} messages with what the process's memory is made of,
 * so the app itself needs no benchmark hooks. Without an IPC channel it does nothing.
 */
if (typeof process.send === 'function') {
  const v8 = require('node:v8');
  let gc = null;

  /**
   * gc() from --expose-gc, which server-process.js passes along with this preload. (Turning the
   * flag on at run time with v8.setFlagsFromString is what V8 calls unpredictable: not here.)
   */
  const collect = () => {
    gc ??= globalThis.gc;
    if (typeof gc !== 'function') throw new Error('the probe needs node --expose-gc');
    gc();
  };

  /** CommonJS modules loaded, grouped by npm package ('app' = our dist/, builtins are not in the cache). */
  const modules = () => {
    const byPackage = {};
    const files = Object.keys(require.cache);
    for (const file of files) {
      const match = /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
      const name = match ? match[1].replace('\\', '/') : /[\\/]dist[\\/]app[\\/]/.test(file) ? 'app' : 'other';
      byPackage[name] = (byPackage[name] ?? 0) + 1;
    }
    return { count: files.length, byPackage };
  };

  const countBy = (list) => list.reduce((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});

  const sample = () => ({
    memory: process.memoryUsage(),
    heap: v8.getHeapStatistics(),
    spaces: Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [
        s.space_name,
        { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size },
      ]),
    ),
    code: v8.getHeapCodeStatistics(),
    modules: modules(),
    resources: countBy(process.getActiveResourcesInfo()),
  });

  process.on('message', (msg) => {
    if (!msg || msg.probe !== 'sample') return;
    const before = sample();
    let afterGc = null;
    if (msg.gc) {
      collect();
      afterGc = sample();
    }
    process.send({ probe: 'sample', id: msg.id, before, afterGc });
  });
  // Listening for 'message' refs the channel; the probe must never keep the server alive.
  process.channel.unref();
}

'use strict';
/**
 * Bench-only preload: `node -r ./bench/lib/probe.js dist/app/cli.js serve`, spawned with an IPC
 * channel. The app itself has no benchmark hooks; this answers, over IPC:
 *   {probe:'sample', id, gc?}     what the process's memory is made of (after a forced GC if asked)
 *   {probe:'timers', id}          timer callbacks run so far, by kind, delay and where scheduled
 *   {probe:'heap-snapshot', id, file}  writes a V8 heap snapshot (after a GC) to `file`
 *   {probe:'profile-start', id, intervalUs?} / {probe:'profile-stop', id, file}
 *                                 V8's CPU profiler over a window the section chooses
 * Every answer carries cpuStart and cpuEnd: the process's CPU time in µs around the request.
 * Without an IPC channel it does nothing.
 *
 * Timer wake-ups are counted by wrapping setTimeout and setInterval (global and node:timers)
 * before the app loads: every callback that runs is one wake-up of the event loop by a timer.
 * Each scheduling records the first stack frame outside node's internals (the app schedules
 * no timer per push or per request, so this costs nothing that matters), and callbacks are
 * counted per (kind, delay, site): an unexpected waker can be named.
 */
if (typeof process.send === 'function') {
  const v8 = require('node:v8');
  const timers = require('node:timers');
  let gc = null;

  /** gc() from --expose-gc, which server-process.js passes along with this preload. */
  const collect = () => {
    gc ??= globalThis.gc;
    if (typeof gc !== 'function') throw new Error('the probe needs node --expose-gc');
    gc();
  };

  // ------------------------------------------------------------------ timer wake-ups
  const timerStats = new Map(); // "setInterval 30000 ms <site>" -> {kind, delayMs, fired, scheduled, site}
  let timerFired = 0;
  const siteOf = () => {
    const lines = (new Error().stack ?? '').split('\n').slice(3);
    const frame = lines.find((l) => !l.includes('node:internal') && !l.includes(__filename)) ?? lines[0] ?? '';
    return frame
      .trim()
      .replace(/^at /, '')
      .replace(/\(?(\/[^()]*\/)?(dist\/app\/|node_modules\/)/, '($2')
      .slice(0, 160);
  };
  const wrap = (original, kind) => {
    const wrapped = function (callback, delay, ...args) {
      if (typeof callback !== 'function') return original.call(this, callback, delay, ...args);
      const site = siteOf();
      const key = `${kind} ${Math.max(1, Math.round(Number(delay) || 0))} ms ${site}`;
      let stat = timerStats.get(key);
      if (!stat) timerStats.set(key, (stat = { kind, delayMs: Number(delay) || 0, fired: 0, scheduled: 0, site }));
      stat.scheduled++;
      return original.call(
        this,
        function (...a) {
          timerFired++;
          stat.fired++;
          return callback.apply(this, a);
        },
        delay,
        ...args,
      );
    };
    for (const key of Reflect.ownKeys(original)) {
      if (key !== 'length' && key !== 'name' && key !== 'prototype') wrapped[key] = original[key]; // util.promisify.custom
    }
    return wrapped;
  };
  const wrappedTimeout = wrap(timers.setTimeout, 'setTimeout');
  const wrappedInterval = wrap(timers.setInterval, 'setInterval');
  globalThis.setTimeout = timers.setTimeout = wrappedTimeout;
  globalThis.setInterval = timers.setInterval = wrappedInterval;

  // ------------------------------------------------------------------ memory
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

  const cpuMicros = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };

  const countBy = (list) => list.reduce((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});

  const sample = () => ({
    memory: process.memoryUsage(),
    heap: v8.getHeapStatistics(),
    spaces: Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size }]),
    ),
    code: v8.getHeapCodeStatistics(),
    modules: modules(),
    resources: countBy(process.getActiveResourcesInfo()),
    // Counters an instrumented entry (compressed-server.js) keeps, e.g. commits.
    counters: globalThis.__benchCounters ?? null,
  });

  const handlers = {
    sample(msg) {
      const before = sample();
      let afterGc = null;
      if (msg.gc) {
        collect();
        afterGc = sample();
      }
      return { before, afterGc };
    },
    timers() {
      return { fired: timerFired, byKind: Object.fromEntries(timerStats) };
    },
    'heap-snapshot'(msg) {
      collect();
      return { file: v8.writeHeapSnapshot(msg.file) };
    },
    /** Starts V8's CPU profiler (sampling every msg.intervalUs, default 200 µs) in this process. */
    async 'profile-start'(msg) {
      const inspector = require('node:inspector');
      profiler ??= new inspector.Session();
      profiler.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: msg.intervalUs ?? 200 });
      await post('Profiler.start');
      return {};
    },
    /** Stops it and writes the profile (.cpuprofile JSON) to msg.file. */
    async 'profile-stop'(msg) {
      const { profile } = await post('Profiler.stop');
      await post('Profiler.disable');
      profiler.disconnect();
      require('node:fs').writeFileSync(msg.file, JSON.stringify(profile));
      return { file: msg.file };
    },
  };
  let profiler = null;
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      profiler.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );

  process.on('message', async (msg) => {
    const handler = msg && typeof msg.probe === 'string' ? handlers[msg.probe] : undefined;
    if (!handler) return;
    // The process's CPU time (all threads, µs) when the request arrived and when its answer was
    // ready: a section subtracts what the probe itself cost from what it measures.
    const cpuStart = cpuMicros();
    let answer;
    try {
      answer = await handler(msg);
    } catch (err) {
      answer = { error: String(err?.stack ?? err) };
    }
    process.send({ probe: msg.probe, id: msg.id, ...answer, cpuStart, cpuEnd: cpuMicros() });
  });
  // Listening for 'message' refs the channel; the probe must never keep the server alive.
  process.channel.unref();
}

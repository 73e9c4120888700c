'use strict';
/**
 * Node/V8 flag sets for a 512 MB Pi: RSS idle and after a /status load, and what each costs in
 * throughput and tail latency. One fresh server process per set and round; the rounds visit the
 * sets in turn, so a noisy moment on a shared machine does not land on one set only, and the
 * medians are reported.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { delay } = require('../lib/http');
const { median } = require('../lib/stats');

/**
 * The candidates. `recommended` is the one bench/README.md argues for; the numbers printed next
 * to it are the argument. --jitless (and --lite-mode, which implies it) are left out on purpose:
 * they disable WebAssembly, and the first JSON response makes Koa 3 touch the global `Response`,
 * which loads undici, whose HTTP parser is WebAssembly: the server dies on its first request.
 */
const FLAG_SETS = [
  { label: 'node defaults', flags: [] },
  { label: 'Dockerfile today', flags: ['--max-semi-space-size=2', '--max-old-space-size=64'] },
  { label: 'small young generation', flags: ['--max-semi-space-size=1', '--max-old-space-size=64'], recommended: true },
  { label: '+ optimize for size', flags: ['--max-semi-space-size=1', '--max-old-space-size=64', '--optimize-for-size'] },
  { label: 'no TurboFan (for scale)', flags: ['--max-semi-space-size=1', '--max-old-space-size=64', '--no-opt'] },
];

const RECOMMENDED_FLAGS = FLAG_SETS.find((s) => s.recommended).flags;

/** One server: idle RSS (first round only), warm-up, the measured load, RSS after it. */
async function measure(ctx, set, withIdle) {
  const logFile = path.join(ctx.tmpDir, 'flags-server.log');
  const server = await spawnServer({ sim: ctx.sim, flags: set.flags, probe: false, logFile });
  try {
    await server.waitReady();
    let idle = null;
    if (withIdle) {
      await delay(ctx.plan.idleSettleMs);
      idle = server.memory();
    }
    // Warm the JIT first: what is compared is steady-state cost, not how fast each set warms up.
    await runLoad({ url: server.url, connections: 10, durationS: ctx.plan.flagWarmupS, requests: [{ path: '/status', headers: AUTH }] });
    const load = await runLoad({
      url: server.url,
      connections: 10,
      durationS: ctx.plan.flagLoadS,
      requests: [{ path: '/status', headers: AUTH }],
      serverCpuMs: server.cpuMs,
    });
    return { idle, load, afterLoad: server.memory() };
  } catch (err) {
    return { failed: `${err.message} ${server.stderr()}`.trim().slice(0, 300) }; // a flag set that kills the server is a result too
  } finally {
    await server.stop();
    fs.rmSync(logFile, { force: true });
  }
}

async function flagSets(ctx) {
  const runs = FLAG_SETS.map(() => []);
  for (let round = 0; round < ctx.plan.flagRounds; round++) {
    for (const [i, set] of FLAG_SETS.entries()) {
      ctx.progress(`flags, round ${round + 1}/${ctx.plan.flagRounds}: ${set.flags.join(' ') || '(none)'}`);
      runs[i].push(await measure(ctx, set, round === 0));
    }
  }
  return FLAG_SETS.map((set, i) => {
    const ok = runs[i].filter((r) => !r.failed);
    if (ok.length === 0) return { ...set, failed: runs[i][0].failed };
    const med = (pick) => median(ok.map(pick));
    return {
      ...set,
      rounds: ok.length,
      idle: runs[i][0].idle,
      afterLoadRss: med((r) => r.afterLoad.rss),
      rps: med((r) => r.load.rps),
      rpsRange: [Math.min(...ok.map((r) => r.load.rps)), Math.max(...ok.map((r) => r.load.rps))],
      p99Ms: med((r) => r.load.latencyMs.p99),
      serverCpuUsPerRequest: med((r) => r.load.serverCpuUsPerRequest),
      non200Share: Math.max(...ok.map((r) => r.load.non200Share)),
    };
  });
}

module.exports = { flagSets, FLAG_SETS, RECOMMENDED_FLAGS };

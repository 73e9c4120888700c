'use strict';
/**
 * Node/V8 flag sets for a 512 MB Pi: RSS and PSS idle and after a /status load, and what each
 * costs in throughput, tail latency and CPU. The production set is read from its one source,
 * NODE_OPTIONS in docker/Dockerfile (bench/lib/node-flags.js); the others are candidates
 * measured against it. One fresh server process per set and round, started from the private
 * copy of the node binary; the rounds visit the sets in turn, so a noisy moment on a shared
 * machine does not land on one set only, and the medians are reported.
 *
 * Left out on purpose: --jitless (and --lite-mode, which implies it) disables WebAssembly, and
 * the first JSON response makes Koa touch the global `Response`, which loads undici, whose HTTP
 * parser is WebAssembly: the server dies on its first request. `nodeOptions` says whether a set
 * can go in NODE_OPTIONS at all (V8 flags outside Node's allow-list cannot: they would have to
 * move to the image's ENTRYPOINT).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { delay } = require('../lib/http');
const { median } = require('../lib/stats');
const { productionFlags } = require('../lib/node-flags');

function flagSets() {
  const prod = productionFlags();
  return [
    { label: 'node defaults', flags: [] },
    { label: 'production (docker/Dockerfile NODE_OPTIONS)', flags: prod, production: true },
    { label: '+ one V8 worker thread', flags: [...prod, '--v8-pool-size=1'] },
    { label: '+ MALLOC_ARENA_MAX=2 (glibc, environment)', flags: prod, env: { MALLOC_ARENA_MAX: '2' } },
    { label: '+ optimize for size', flags: [...prod, '--optimize-for-size'] },
  ];
}

const allowedInNodeOptions = (flags) => flags.every((f) => process.allowedNodeEnvironmentFlags.has(f.split('=')[0]));

/** One server: idle RSS/PSS (first round only), warm-up, the measured load, RSS/PSS after it. */
async function measure(ctx, set, withIdle) {
  const logFile = path.join(ctx.tmpDir, 'flags-server.log');
  const server = await spawnServer({
    sim: ctx.sim,
    flags: set.flags,
    env: set.env,
    execPath: ctx.privateNode,
    probe: false,
    logFile,
  });
  try {
    await server.waitReady();
    let idle = null;
    if (withIdle) {
      await delay(ctx.plan.idleSettleMs);
      idle = server.pss();
    }
    // Warm the JIT first: what is compared is steady-state cost, not how fast each set warms up.
    await runLoad({
      url: server.url,
      connections: 10,
      durationS: ctx.plan.flagWarmupS,
      requests: [{ path: '/status', headers: AUTH }],
    });
    const load = await runLoad({
      url: server.url,
      connections: 10,
      durationS: ctx.plan.flagLoadS,
      requests: [{ path: '/status', headers: AUTH }],
      serverCpuMs: server.cpuMs,
    });
    return { idle, load, afterLoad: server.pss() };
  } catch (err) {
    return { failed: `${err.message} ${server.stderr()}`.trim().slice(0, 300) }; // a flag set that kills the server is a result too
  } finally {
    await server.stop();
    fs.rmSync(logFile, { force: true });
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function compareFlags(ctx) {
  const sets = flagSets();
  const runs = sets.map(() => []);
  for (let round = 0; round < ctx.plan.flagRounds; round++) {
    for (const [i, set] of sets.entries()) {
      ctx.progress(`flags, round ${round + 1}/${ctx.plan.flagRounds}: ${set.label}`);
      runs[i].push(await measure(ctx, set, round === 0));
    }
  }
  return sets.map((set, i) => {
    const ok = runs[i].filter((r) => !r.failed);
    const base = { ...set, nodeOptions: allowedInNodeOptions(set.flags) };
    if (ok.length === 0) return { ...base, failed: runs[i][0].failed };
    const med = (pick) => median(ok.map(pick));
    return {
      ...base,
      rounds: ok.length,
      idle: runs[i][0].idle,
      afterLoadRss: med((r) => r.afterLoad.rss),
      afterLoadPss: med((r) => r.afterLoad.pss),
      rps: med((r) => r.load.rps),
      rpsRange: [Math.min(...ok.map((r) => r.load.rps)), Math.max(...ok.map((r) => r.load.rps))],
      p99Ms: med((r) => r.load.latencyMs.p99),
      serverCpuUsPerRequest: med((r) => r.load.serverCpuUsPerRequest),
      non200Share: Math.max(...ok.map((r) => r.load.non200Share)),
    };
  });
}

module.exports = { compareFlags, flagSets };

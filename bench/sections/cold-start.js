'use strict';
/**
 * Cold start: process spawn → first /health 200 (the HTTP server is up), → the log line
 * 'anova device selected' (the cloud told us about the cooker), → first /status 200 (the cooker
 * is known with a state). Several runs, median reported. Also SIGTERM → exit when idle.
 */
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { spawnServer, AUTH } = require('../lib/server-process');
const { request, nextClientIp, delay } = require('../lib/http');
const { median } = require('../lib/stats');

const POLL_MS = 2;

/** Polls `url` until it answers 200; returns ms since `since`. */
async function firstOk(url, since, headers = {}) {
  for (;;) {
    const res = await request(url, { headers: { ...headers, 'cf-connecting-ip': nextClientIp() } }).catch(() => null);
    if (res?.status === 200) return performance.now() - since;
    await delay(POLL_MS);
  }
}

/** Wall time of `node -e 0`: what Node itself costs before any of our code runs. */
function nodeFloorMs() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

async function coldStart(ctx) {
  const runs = [];
  for (let i = 0; i < ctx.plan.coldStartRuns; i++) {
    ctx.progress(`cold start ${i + 1}/${ctx.plan.coldStartRuns}`);
    const server = await spawnServer({ sim: ctx.sim, probe: false, logFile: null });
    const healthMs = await firstOk(`${server.url}/health`, server.spawnedAt);
    const statusMs = await firstOk(`${server.url}/status`, server.spawnedAt, AUTH);
    const selected = server.logLines.find((l) => l.line.includes('"anova device selected"'));
    const stopAt = performance.now();
    const exit = await server.stop();
    runs.push({
      healthMs,
      deviceSelectedMs: selected ? selected.at : null,
      statusMs,
      shutdownMs: performance.now() - stopAt,
      exitCode: exit.code,
    });
  }
  const floors = [];
  for (let i = 0; i < 3; i++) floors.push(await nodeFloorMs());
  const pick = (k) => runs.map((r) => r[k]).filter((v) => v !== null);
  return {
    runs,
    medianMs: {
      health: median(pick('healthMs')),
      deviceSelected: median(pick('deviceSelectedMs')),
      status: median(pick('statusMs')),
      shutdown: median(pick('shutdownMs')),
    },
    nodeFloorMs: median(floors),
  };
}

module.exports = { coldStart };

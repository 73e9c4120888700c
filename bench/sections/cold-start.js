'use strict';
/**
 * Cold start with the production flags: process spawn → first /health 200 (the HTTP server is
 * up, the journal opened, integrity-checked and migrated before it listens), → the log line
 * 'anova device selected' (the cloud told us about the cooker), → first /status 200 (the cooker
 * is known with a state). Each run twice: on a new data directory (the database is created and
 * migrated) and again on the same one (opened and checked, nothing to migrate). Medians.
 * Also SIGTERM → exit when idle.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { spawnServer, AUTH } = require('../lib/server-process');
const { request, nextClientIp, delay } = require('../lib/http');
const { median } = require('../lib/stats');
const { productionFlags } = require('../lib/node-flags');

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
function nodeFloorMs(execPath) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

async function once(ctx, dataDir) {
  const server = await spawnServer({ sim: ctx.sim, execPath: ctx.privateNode, probe: false, logFile: null, dataDir });
  const healthMs = await firstOk(`${server.url}/health`, server.spawnedAt);
  const statusMs = await firstOk(`${server.url}/status`, server.spawnedAt, AUTH);
  const selected = server.logLines.find((l) => l.line.includes('"anova device selected"'));
  const migrations = server.logLines.filter((l) => l.line.includes('"journal schema migrated"')).length;
  const stopAt = performance.now();
  const exit = await server.stop();
  return {
    run: {
      healthMs,
      deviceSelectedMs: selected ? selected.at : null,
      statusMs,
      shutdownMs: performance.now() - stopAt,
      exitCode: exit.code,
      migrations,
    },
    dataDir: server.dataDir,
  };
}

async function coldStart(ctx) {
  const runs = [];
  const reopened = [];
  for (let i = 0; i < ctx.plan.coldStartRuns; i++) {
    ctx.progress(`cold start ${i + 1}/${ctx.plan.coldStartRuns} (new data directory, then the same again)`);
    const fresh = await once(ctx);
    runs.push(fresh.run);
    const again = await once(ctx, fresh.dataDir);
    reopened.push(again.run);
    fs.rmSync(fresh.dataDir, { recursive: true, force: true });
  }
  const floors = [];
  for (let i = 0; i < 3; i++) floors.push(await nodeFloorMs(ctx.privateNode));
  const medians = (list) => {
    const pick = (k) => list.map((r) => r[k]).filter((v) => v !== null);
    return {
      health: median(pick('healthMs')),
      deviceSelected: median(pick('deviceSelectedMs')),
      status: median(pick('statusMs')),
      shutdown: median(pick('shutdownMs')),
      migrations: median(pick('migrations')),
    };
  };
  return {
    flags: productionFlags(),
    runs,
    reopened,
    medianMs: medians(runs),
    reopenedMedianMs: medians(reopened),
    nodeFloorMs: median(floors),
  };
}

module.exports = { coldStart };

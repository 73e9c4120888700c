'use strict';
/**
 * Where the CPU goes, from V8's CPU profiler started and stopped inside the server (probe.js)
 * around a window, so start-up is not in it:
 *   /status  GET /status at 10 connections, after a warm-up (cli.js serve, log line per request);
 *   pushes   the compressed server (./soak.js) with one push per 2 s of cook time, idle and then
 *            cooking: per push, by owner (our code by area, each package, node's own, the GC).
 * Self time by owner and the top functions; time per request or per push.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, ROOT, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { delay } = require('../lib/http');
const { summariseProfile } = require('../lib/cpu-profile');
const { LONG_COOK, startCook } = require('../lib/requests');
const { pushDriver } = require('./soak');

async function window(server, ctx, name, during) {
  const file = path.join(ctx.tmpDir, `${name}.cpuprofile`);
  await server.profileStart(200);
  const count = await during();
  await server.profileStop(file);
  const summary = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')), { top: 12 });
  fs.rmSync(file, { force: true });
  return { ...summary, count, busyUsPerOp: count > 0 ? (summary.busyMs * 1000) / count : null };
}

async function profileStatus(ctx) {
  const logFile = path.join(ctx.tmpDir, 'profile-server.log');
  const server = await spawnServer({ sim: ctx.sim, execPath: ctx.privateNode, logFile });
  try {
    await server.waitReady();
    const load = (s) =>
      runLoad({ url: server.url, connections: 10, durationS: s, requests: [{ path: '/status', headers: AUTH }] });
    await load(ctx.plan.warmupS);
    return await window(server, ctx, 'status', async () => (await load(ctx.plan.profileS)).requests);
  } finally {
    await server.stop();
    fs.rmSync(logFile, { force: true });
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function profilePushes(ctx) {
  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  const scale = ctx.plan.soakTimeScale;
  const sim = await startSimulator({ behavior: { rateLimit: null }, pushIntervalMs: 3_600_000 });
  const anchor = Date.now();
  sim.setTimeScale(scale);
  const driver = pushDriver(sim, scale);
  const server = await spawnServer({
    sim,
    entry: 'compressed',
    execPath: ctx.privateNode,
    logFile: 'count',
    env: { BENCH_TIME_SCALE: String(scale), BENCH_CLOCK_ANCHOR: String(anchor), ANOVA_OFFLINE_AFTER_SECONDS: '3600' },
  });
  try {
    await server.waitReady();
    const pushesDuring = async (seconds) => {
      const before = driver.pushes();
      await delay(seconds * 1000);
      return driver.pushes() - before;
    };
    await delay(ctx.plan.warmupS * 1000);
    const idle = await window(server, ctx, 'pushes-idle', () => pushesDuring(ctx.plan.profileS));
    await startCook(server, { ...LONG_COOK, time_minutes: 72 * 60 });
    await delay(ctx.plan.warmupS * 1000);
    const cooking = await window(server, ctx, 'pushes-cooking', () => pushesDuring(ctx.plan.profileS));
    return { scale, idle, cooking };
  } finally {
    driver.stop();
    await server.stop();
    await sim.close();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function profiles(ctx) {
  ctx.progress(`profile: GET /status at 10 connections, ${ctx.plan.profileS} s`);
  const status = await profileStatus(ctx);
  ctx.progress(`profile: state pushes idle and cooking, ${ctx.plan.profileS} s each`);
  const pushes = await profilePushes(ctx);
  return { status, pushes };
}

module.exports = { profiles };

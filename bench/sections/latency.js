'use strict';
/**
 * Latency and throughput over loopback: GET /health and GET /status (authenticated) at 1, 10
 * and 50 connections in a closed loop (each connection sends its next request when the answer
 * arrives), with the production flags and the default log level (one JSON line per request,
 * written to a file) and a distinct client address per request. The same /status load against
 * a minimal Koa + winston app calibrates the numbers for the machine.
 *
 * Then /status at 50 connections while a cook runs: without alerts; with the cooker raising and
 * clearing a low-water alert every 200 ms (each one a journal commit and, with a receiver, a
 * notification) and no notification receiver; and the same with NOTIFY_WEBHOOK_URL pointing at
 * a loopback receiver that accepts and never answers (every attempt hangs until its 10 s
 * timeout, the queue fills). The journal's alert events are counted afterwards.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, freePort, procMemory, procCpuMs, AUTH, ROOT } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { request, delay } = require('../lib/http');
const { startReceiver } = require('../lib/receivers');
const { startCook, stopCook, getJson } = require('../lib/requests');

const ENDPOINTS = [
  { name: 'GET /health', path: '/health', headers: {} },
  { name: 'GET /status', path: '/status', headers: AUTH },
];
const CONNECTIONS = [1, 10, 50];
const ALERT_TOGGLE_MS = 200;
const COOK = { temperature_celsius: 63, time_minutes: 120, food_type: 'chicken breast', thickness_mm: 25 };

async function latency(ctx) {
  const logFile = path.join(ctx.tmpDir, 'latency-server.log');
  const server = await spawnServer({ sim: ctx.sim, execPath: ctx.privateNode, logFile });
  await server.waitReady();
  ctx.progress('latency: warm-up');
  const warmUp = await runLoad({
    url: server.url,
    connections: 10,
    durationS: ctx.plan.warmupS,
    requests: [{ path: '/status', headers: AUTH }],
  });

  const runs = [];
  for (const endpoint of ENDPOINTS) {
    for (const connections of CONNECTIONS) {
      ctx.progress(`latency: ${endpoint.name} at ${connections} connection(s), ${ctx.plan.loadS} s`);
      const r = await runLoad({
        url: server.url,
        connections,
        durationS: ctx.plan.loadS,
        requests: [{ path: endpoint.path, headers: endpoint.headers }],
        serverCpuMs: server.cpuMs,
      });
      runs.push({ endpoint: endpoint.name, ...r });
    }
  }
  await server.stop();
  // /status logs one info line per request (a successful /health only at debug level, by design).
  const statusLines = countAccessLines(logFile, '/status');
  const statusRequests =
    warmUp.requests + runs.filter((r) => r.endpoint === 'GET /status').reduce((n, r) => n + r.requests, 0);
  fs.rmSync(logFile, { force: true });
  fs.rmSync(server.dataDir, { recursive: true, force: true });

  const notifications = [];
  for (const [receiverKind, alerts] of [
    [null, false],
    [null, true],
    ['hang', true],
  ]) {
    ctx.progress(
      `latency: GET /status at 50 connections, a cook${alerts ? ' with alerts' : ''}, ${receiverKind ? 'a receiver that never answers' : 'no notification receiver'}`,
    );
    notifications.push(await underAlerts(ctx, receiverKind, alerts));
  }

  ctx.progress(`calibration: minimal Koa + winston, GET /status at 10 connections, ${ctx.plan.loadS} s`);
  const calibration = await koaBaseline(ctx);
  return {
    runs,
    // The readiness polls are logged too, hence a hair over 1: the log line really is written.
    accessLogLinesPerStatusRequest: statusLines / statusRequests,
    notifications,
    calibration,
  };
}

/** /status at 50 connections during a cook (whose cooker toggles a low-water alert, if `alerts`). */
async function underAlerts(ctx, receiverKind, alerts) {
  const { startSimulator } = require(path.join(ROOT, 'dist', 'app', 'simulator', 'index.js'));
  const sim = await startSimulator({ behavior: { rateLimit: null }, cookers: [{ type: 'a7', waterTempC: 62.9 }] });
  const receiver = receiverKind ? await startReceiver(receiverKind) : null;
  const logFile = path.join(ctx.tmpDir, 'latency-alerts.log');
  const server = await spawnServer({
    sim,
    execPath: ctx.privateNode,
    logFile,
    env: receiver ? { NOTIFY_WEBHOOK_URL: receiver.url } : {},
  });
  let toggles = 0;
  let timer = null;
  try {
    await server.waitReady();
    const cook = await startCook(server, COOK);
    await runLoad({
      url: server.url,
      connections: 10,
      durationS: ctx.plan.warmupS,
      requests: [{ path: '/status', headers: AUTH }],
    });
    let low = false;
    if (alerts)
      timer = setInterval(() => {
        low = !low;
        sim.setLowWater(undefined, low ? 'warning' : 'ok');
        sim.pushNow();
        toggles++;
      }, ALERT_TOGGLE_MS);
    const r = await runLoad({
      url: server.url,
      connections: 50,
      durationS: ctx.plan.loadS,
      requests: [{ path: '/status', headers: AUTH }],
      serverCpuMs: server.cpuMs,
    });
    clearInterval(timer);
    timer = null;
    sim.setLowWater(undefined, 'ok');
    await stopCook(server);
    const log = fs.readFileSync(logFile, 'utf8');
    const detail = await getJson(server, `/cooks/${cook.cook_id}`);
    return {
      receiver: receiverKind ?? 'none',
      alerts,
      alertsRaised: Math.ceil(toggles / 2),
      // What the journal recorded for those alerts (one alert_raised each, if all is well).
      alertEventsRecorded: (detail.events ?? []).filter((e) => e.type === 'alert_raised').length,
      receiverConnections: receiver?.received() ?? 0,
      queueFullLines: (log.match(/notification queue full/g) ?? []).length,
      ...r,
    };
  } finally {
    if (timer) clearInterval(timer);
    await server.stop();
    await receiver?.close();
    await sim.close();
    fs.rmSync(logFile, { force: true });
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/** Access log lines for one path (JSON lines as app/log.ts writes them). */
function countAccessLines(file, urlPath) {
  let n = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.includes('"message":"request"') && line.includes(`"path":${JSON.stringify(urlPath)}`)) n++;
  }
  return n;
}

/** The minimal Koa + winston app under the same /status load (its own process, stdout to a file). */
async function koaBaseline(ctx) {
  const port = await freePort();
  const out = fs.openSync(path.join(ctx.tmpDir, 'koa-baseline.log'), 'w');
  const child = spawn(ctx.privateNode, [path.join(__dirname, '..', 'lib', 'baseline-koa.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    cwd: ROOT,
    stdio: ['ignore', out, 'inherit'],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  while (!(await request(`${url}/status`).catch(() => null))) await delay(10);
  await delay(ctx.plan.idleSettleMs);
  const idle = procMemory(child.pid);
  await runLoad({ url, connections: 10, durationS: ctx.plan.warmupS, requests: [{ path: '/status' }] });
  const load = await runLoad({
    url,
    connections: 10,
    durationS: ctx.plan.loadS,
    requests: [{ path: '/status' }],
    serverCpuMs: () => procCpuMs(child.pid),
  });
  const afterLoad = procMemory(child.pid);
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(path.join(ctx.tmpDir, 'koa-baseline.log'), { force: true });
  return { idle, afterLoad, load };
}

module.exports = { latency };

'use strict';
/**
 * Latency and throughput over loopback: GET /health and GET /status (authenticated) at 1, 10
 * and 50 connections, with the default log level (one JSON line per request, written to a
 * file) and a distinct client address per request. The same /status load against a minimal
 * Koa + winston app calibrates the numbers for the machine.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { spawnServer, freePort, procMemory, procCpuMs, AUTH } = require('../lib/server-process');
const { runLoad } = require('../lib/load');
const { request, delay } = require('../lib/http');

const ENDPOINTS = [
  { name: 'GET /health', path: '/health', headers: {} },
  { name: 'GET /status', path: '/status', headers: AUTH },
];
const CONNECTIONS = [1, 10, 50];

async function latency(ctx) {
  const logFile = path.join(ctx.tmpDir, 'latency-server.log');
  const server = await spawnServer({ sim: ctx.sim, logFile });
  await server.waitReady();
  ctx.progress('latency: warm-up');
  const warmUp = await runLoad({ url: server.url, connections: 10, durationS: ctx.plan.warmupS, requests: [{ path: '/status', headers: AUTH }] });

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
  const statusRequests = warmUp.requests + runs.filter((r) => r.endpoint === 'GET /status').reduce((n, r) => n + r.requests, 0);
  fs.rmSync(logFile, { force: true });

  ctx.progress(`calibration: minimal Koa + winston, GET /status at 10 connections, ${ctx.plan.loadS} s`);
  const calibration = await koaBaseline(ctx);
  return {
    runs,
    // The readiness polls are logged too, hence a hair over 1: the log line really is written.
    accessLogLinesPerStatusRequest: statusLines / statusRequests,
    calibration,
  };
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
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'lib', 'baseline-koa.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
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
